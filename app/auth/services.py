from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import Role, User
from app.auth.passwords import hash_password, needs_rehash, verify_password
from app.db import utcnow
from app.extensions import db


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The user if the credentials are right and the account active; else None.
    Always runs one Argon2 verification, so timing does not reveal unknown users."""
    user = find_user_by_email(email)
    ok = verify_password(user.password_hash if user else None, password)
    if not (ok and user and user.active):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    return user


def create_user(*, email: str, name: str, password: str, role: Role, creditor_id: int | None = None) -> User:
    user = User(email=email.strip().lower(), name=name, password_hash=hash_password(password),
                role=role, creditor_id=creditor_id, active=True)
    db.session.add(user)
    return user


def jurists() -> list[User]:
    return list(db.session.scalars(
        select(User).where(User.role == Role.JURIST, User.active.is_(True)).order_by(User.name)))
