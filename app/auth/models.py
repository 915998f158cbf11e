from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum, enum_column
from app.db import Base, TimestampMixin, VersionedMixin, utcnow


class Role(LabelledEnum):
    ADMIN = ("admin", "Administratör")
    JURIST = ("jurist", "Jurist")
    CREDITOR = ("creditor", "Fordringsägare")


class User(UserMixin, TimestampMixin, VersionedMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role), index=True)
    creditor_id: Mapped[int | None] = mapped_column(ForeignKey("creditors.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # SHA-256 of the personal calendar-feed token (the token itself is shown once, then only revoked)
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # TOTP two-factor authentication (RFC 6238). The secret is set when the user starts the
    # setup and counts only once confirmed with a code; the last accepted time step stops a
    # code from being used twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # Bumped when the password or 2FA changes or the account is disabled: every session
    # that carries an older epoch ends (see app.auth.sessions).
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    creditor = relationship("Creditor", lazy="joined")

    @property
    def is_active(self) -> bool:  # flask-login: a disabled user cannot log in or keep a session
        return bool(self.active)

    @property
    def totp_enabled(self) -> bool:
        return self.totp_secret is not None and self.totp_confirmed_at is not None

    @property
    def is_staff(self) -> bool:
        """Admins and jurists work for the agency and see every case."""
        return self.role in (Role.ADMIN, Role.JURIST)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"


class LoginAttempt(Base):
    """One login attempt, kept for throttling (app.auth.throttle) and purged after a day.
    ``account`` is the e-mail as typed (lower-cased), whether or not such a user exists."""

    __tablename__ = "login_attempts"
    __audited__ = False  # a security log of its own, not a change to a record

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    account: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (
        Index("ix_login_attempts_account_at", "account", "at"),
        Index("ix_login_attempts_address_at", "address", "at"),
    )
