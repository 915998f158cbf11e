from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, TimestampMixin, VersionedMixin


class Debtor(TimestampMixin, VersionedMixin, Base):
    """Gäldenär / svarande: a private person or a company."""

    __tablename__ = "debtors"

    id: Mapped[int] = mapped_column(primary_key=True)
    is_company: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(200), index=True)
    # personnummer (YYYYMMDD-NNNN) or organisationsnummer (NNNNNN-NNNN), see app.core.identity
    identity_number: Mapped[str] = mapped_column(String(13), unique=True)
    street: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(6), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    # Folkbokföring (for a company: the board's seat), which decides forum (RB 10:1)
    registered_municipality: Mapped[str] = mapped_column(String(100), default="")
    # Set by app.retention when the debtor's personal data has been removed.
    anonymised_on: Mapped[date | None] = mapped_column(Date)

    ability_records = relationship("AbilityRecord", back_populates="debtor",
                                   order_by="AbilityRecord.recorded_on.desc()", cascade="all, delete-orphan")

    @property
    def latest_ability(self):
        return self.ability_records[0] if self.ability_records else None

    @property
    def kind_label(self) -> str:
        return "Företag" if self.is_company else "Privatperson"

    def __repr__(self) -> str:
        return f"<Debtor {self.name}>"
