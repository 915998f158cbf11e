"""Hearings, outcomes and the deadlines that follow from them."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum, enum_column
from app.core.types import Money
from app.db import Base, utcnow


class HearingKind(LabelledEnum):
    PREPARATORY = ("preparatory", "Muntlig förberedelse")
    MAIN = ("main", "Huvudförhandling")


class Hearing(Base):
    __tablename__ = "hearings"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[HearingKind] = mapped_column(enum_column(HearingKind))
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    court: Mapped[str] = mapped_column(String(120), default="")
    court_case_number: Mapped[str] = mapped_column(String(30), default="")
    place: Mapped[str] = mapped_column(String(300), default="")  # room, or the video link
    attendees: Mapped[str] = mapped_column(String(500), default="")
    lawyer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)

    case = relationship("Case", back_populates="hearings")
    lawyer = relationship("User")


class OutcomeKind(LabelledEnum):
    JUDGMENT = ("judgment", "Dom")
    DEFAULT_JUDGMENT = ("default_judgment", "Tredskodom")
    UTSLAG = ("utslag", "Utslag")
    SETTLEMENT = ("settlement", "Förlikning")
    DISMISSAL = ("dismissal", "Avvisning / avskrivning")


class Outcome(Base):
    """A decision, as structured data: what was awarded and when, the basis of enforcement."""

    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[OutcomeKind] = mapped_column(enum_column(OutcomeKind))
    decided_on: Mapped[date] = mapped_column(Date)
    authority: Mapped[str] = mapped_column(String(120), default="")
    case_number: Mapped[str] = mapped_column(String(30), default="")
    served_on: Mapped[date | None] = mapped_column(Date)
    awarded_capital: Mapped[Decimal | None] = mapped_column(Money)
    interest_from: Mapped[date | None] = mapped_column(Date)
    awarded_costs: Mapped[Decimal | None] = mapped_column(Money)
    appealed: Mapped[bool] = mapped_column(Boolean, default=False)
    final_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case = relationship("Case", back_populates="outcomes")

    @property
    def enforceable(self) -> bool:
        return self.kind in (OutcomeKind.JUDGMENT, OutcomeKind.DEFAULT_JUDGMENT, OutcomeKind.UTSLAG)

    def as_title(self):
        from filings.model import EnforceableTitle

        return EnforceableTitle(kind=self.kind.label, authority=self.authority, case_number=self.case_number,
                                decided_on=self.decided_on, final_on=self.final_on)

    def award_lines(self):
        from filings.model import AwardLine

        lines = []
        if self.awarded_capital:
            lines.append(AwardLine(label="Kapitalbelopp", amount=self.awarded_capital,
                                   interest_from=self.interest_from,
                                   interest_basis="6 § räntelagen (1975:635)" if self.interest_from else ""))
        if self.awarded_costs:
            lines.append(AwardLine(label="Rättegångskostnader", amount=self.awarded_costs))
        return tuple(lines)


class CaseDeadline(Base):
    """A deadline derived from the case's facts (app.course.deadlines), stored so that lists,
    the calendar feed and the daily job query it instead of recomputing every case."""

    __tablename__ = "case_deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(300), default="")
    notified_on: Mapped[date | None] = mapped_column(Date)

    case = relationship("Case", back_populates="deadlines")

    __table_args__ = (UniqueConstraint("case_id", "code", name="uq_case_deadlines_case_code"),
                      Index("ix_case_deadlines_due_on", "due_on"))


class Notification(Base):
    """A message to a jurist (deadline due soon or passed), shown in the app and mailed when SMTP is set."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    emailed: Mapped[bool] = mapped_column(Boolean, default=False)

    case = relationship("Case")
