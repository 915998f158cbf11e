"""Payments received on a case (the ledger's input)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum, enum_column
from app.core.types import Money
from app.db import Base, utcnow


class PaymentSource(LabelledEnum):
    DEBTOR = ("debtor", "Betalning från gäldenären")
    KRONOFOGDEN = ("kronofogden", "Redovisning från Kronofogden")
    CREDITOR = ("creditor", "Direktbetalning till fordringsägaren")


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    paid_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Money)
    source: Mapped[PaymentSource] = mapped_column(enum_column(PaymentSource))
    note: Mapped[str] = mapped_column(String(300), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case = relationship("Case", back_populates="payments")
