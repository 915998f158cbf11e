"""Values for the law tables' series proposed, approved or withdrawn in the app."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum, enum_column
from app.db import Base, TimestampMixin, VersionedMixin, utcnow


class LawValueState(LabelledEnum):
    PROPOSED = ("proposed", "Väntar på godkännande")
    APPROVED = ("approved", "Godkänt")
    WITHDRAWN = ("withdrawn", "Återkallat")


VERIFICATION_LABELS = {"verified": "Verifierad", "to_verify": "Att verifiera"}


class LawValue(VersionedMixin, TimestampMixin, Base):
    """One value for an existing series of app/law/data (e.g. referensranta from 2027-01-01).

    It takes effect (is installed into app.law's tables) only once a second admin has approved
    it; the proposer can never approve their own. Every change is in the audit log (app.audit)."""

    __tablename__ = "law_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_name: Mapped[str] = mapped_column(String(40))
    series_key: Mapped[str] = mapped_column(String(60))
    valid_from: Mapped[date] = mapped_column(Date)
    # the exact decimal as entered ("59200", "2.00", "-0.50"): no float, no database rounding
    value_text: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(500))
    source_url: Mapped[str | None] = mapped_column(String(500))
    verification: Mapped[str] = mapped_column(String(16))  # "verified" | "to_verify"
    note: Mapped[str | None] = mapped_column(String(1000))
    state: Mapped[LawValueState] = mapped_column(enum_column(LawValueState, 16), default=LawValueState.PROPOSED,
                                                 index=True)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    proposed_by = relationship("User", foreign_keys=[proposed_by_id])
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    withdrawn_by = relationship("User", foreign_keys=[withdrawn_by_id])

    __table_args__ = (Index("ix_law_values_series", "table_name", "series_key", "valid_from"),)

    @property
    def value(self) -> Decimal:
        return Decimal(self.value_text)

    @property
    def verified(self) -> bool:
        return self.verification == "verified"


class LawValuesState(Base):
    """One row: a token that changes whenever the set of approved values changes. Every process
    (web workers, Celery workers) compares it with the token of the values it has installed, at
    the start of each request or task, and reloads when it differs (one primary-key read)."""

    __tablename__ = "law_values_state"
    __audited__ = False  # a cache marker; the changes themselves are audited on LawValue

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
