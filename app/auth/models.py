from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum, enum_column
from app.db import Base, TimestampMixin, VersionedMixin


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

    creditor = relationship("Creditor", lazy="joined")

    @property
    def is_active(self) -> bool:  # flask-login: a disabled user cannot log in or keep a session
        return bool(self.active)

    @property
    def is_staff(self) -> bool:
        """Admins and jurists work for the agency and see every case."""
        return self.role in (Role.ADMIN, Role.JURIST)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"
