from __future__ import annotations

from decimal import Decimal

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.types import Money
from app.db import Base, TimestampMixin, VersionedMixin


class Creditor(TimestampMixin, VersionedMixin, Base):
    """Fordringsägare: the agency's client, who is owed the money."""

    __tablename__ = "creditors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    org_number: Mapped[str] = mapped_column(String(13), unique=True)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(6), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    bankgiro: Mapped[str] = mapped_column(String(20), default="")
    bank_account: Mapped[str] = mapped_column(String(40), default="")
    # Set by an admin: up to this claim value the jurist may go to court without the
    # creditor's approval (None: every proposal waits for the creditor).
    approval_not_required_up_to: Mapped[Decimal | None] = mapped_column(Money)

    def __repr__(self) -> str:
        return f"<Creditor {self.name}>"
