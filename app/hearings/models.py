"""Hearings, outcomes and the deadlines that follow from them."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum, enum_column
from app.core.types import Money
from app.db import Base, utcnow
from app.law.judgment import is_execution_title


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
    CONFIRMED_SETTLEMENT = ("confirmed_settlement", "Stadfäst förlikning")
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
    # Nöjdförklaring: the parties declared they will not appeal (laga kraft before the appeal time).
    waiver_on: Mapped[date | None] = mapped_column(Date)
    # Kronofogden's costs fixed in the utslag or awarded with the dom (BFL 48 §, ansökningsavgift).
    kfm_costs: Mapped[Decimal | None] = mapped_column(Money)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case = relationship("Case", back_populates="outcomes")

    @property
    def enforceable(self) -> bool:
        return is_execution_title(self.kind.value)


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
    # Life of a deadline (app.course.deadlines.DEADLINE_STATES): open until a step meets it, a
    # later stage supersedes it or the case ends; only open deadlines are listed and reminded of.
    state: Mapped[str] = mapped_column(String(16), default="open", server_default="open")
    closed_by: Mapped[str] = mapped_column(String(60), default="", server_default="")
    closed_on: Mapped[date | None] = mapped_column(Date)

    case = relationship("Case", back_populates="deadlines")

    @property
    def is_open(self) -> bool:
        return self.state == "open"

    __table_args__ = (UniqueConstraint("case_id", "code", name="uq_case_deadlines_case_code"),
                      Index("ix_case_deadlines_due_on", "due_on"))


class FilingRecord(Base):
    """What a filing decided when it was given in: court, track, claim value and its parts, fees
    paid. Later filings (the kostnadsräkning, the verkställighet) read these facts instead of
    deciding again; a change (the court reclassifies, the claim is reduced) is a new record with
    a reason, and the newest record of a kind is the one in force."""

    __tablename__ = "filing_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # payment_order, summons, transfer
    filed_on: Mapped[date] = mapped_column(Date)
    court: Mapped[str] = mapped_column(String(120), default="")
    track: Mapped[str] = mapped_column(String(16), default="")
    claim_value: Mapped[Decimal] = mapped_column(Money)
    capital: Mapped[Decimal] = mapped_column(Money)
    interest: Mapped[Decimal] = mapped_column(Money)
    setoff: Mapped[Decimal] = mapped_column(Money)
    collection_charges: Mapped[Decimal] = mapped_column(Money)
    court_fee: Mapped[Decimal] = mapped_column(Money)  # ansökningsavgift or tilläggsavgift paid
    kfm_fees: Mapped[Decimal] = mapped_column(Money)  # Kronofogden stage: ansökningsavgift + BFL 48 §
    reason: Mapped[str] = mapped_column(Text, default="")  # why a later record changed the facts
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case = relationship("Case", back_populates="filing_records")

    LABELS = {"payment_order": "Ansökan om betalningsföreläggande", "summons": "Stämningsansökan",
              "transfer": "Begäran om överlämnande till tingsrätt"}

    @property
    def label(self) -> str:
        return self.LABELS.get(self.kind, self.kind)


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
