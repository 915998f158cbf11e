from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, event, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.cases.status import OPEN_STATUSES, CaseStatus
from app.core.clock import today
from app.core.enums import LabelledEnum, enum_column
from app.core.types import Money
from app.db import Base, TimestampMixin, VersionedMixin, utcnow


class ObjectionCategory(LabelledEnum):
    ALREADY_PAID = ("already_paid", "Redan betalt")
    DEFECTIVE = ("defective", "Fel vara/tjänst")
    NOT_ORDERED = ("not_ordered", "Ej beställt")
    WRONG_AMOUNT = ("wrong_amount", "Fel belopp")
    LIMITATION = ("limitation", "Preskription")
    IDENTITY = ("identity", "Identitet/bedrägeri")
    SETOFF = ("setoff", "Kvittning")
    OTHER = ("other", "Övrigt")


class ObjectionChannel(LabelledEnum):
    LETTER = ("letter", "Brev")
    EMAIL = ("email", "E-post")
    PHONE = ("phone", "Telefon")
    PORTAL = ("portal", "Webbportal")
    KRONOFOGDEN = ("kronofogden", "Kronofogden")


class Case(TimestampMixin, VersionedMixin, Base):
    """Ärende: one disputed claim handled by the agency."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(30), unique=True)
    creditor_id: Mapped[int] = mapped_column(ForeignKey("creditors.id"), index=True)
    debtor_id: Mapped[int] = mapped_column(ForeignKey("debtors.id"), index=True)
    creditor_reference: Mapped[str] = mapped_column(String(60), default="", index=True)
    consumer_claim: Mapped[bool] = mapped_column(Boolean, default=True)  # business → consumer (B2C)
    reminder_fee_agreed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The recorded basis of collection charges and of interest under räntelagen 4 § (see app.facts).
    reminder_sent_on: Mapped[date | None] = mapped_column(Date)
    inkassokrav_sent_on: Mapped[date | None] = mapped_column(Date)
    demand_warned_of_interest: Mapped[bool] = mapped_column(Boolean, default=False)
    # The court-facing grunder of the stämningsansökan, edited by the jurist (the internal
    # ``description`` never reaches a filing).
    court_grounds: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[CaseStatus] = mapped_column(enum_column(CaseStatus), default=CaseStatus.NEW, index=True)
    assigned_jurist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Sum of the claim lines' capital, kept by app.cases.services so lists sort without a join.
    total_capital: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"), index=True)
    # Collection is paused while a bestridande is being investigated (god inkassosed).
    collection_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # Principle: a test case of synnerlig betydelse, and the group of cases turning on the same question.
    test_case: Mapped[bool] = mapped_column(Boolean, default=False)
    issue_group_id: Mapped[int | None] = mapped_column(ForeignKey("issue_groups.id"), index=True)
    # Triage summary, refreshed by app.triage.services whenever the facts change, so the
    # triage queue sorts and filters on columns instead of scoring every case per request.
    triage_recommendation: Mapped[str | None] = mapped_column(String(32))
    triage_track: Mapped[str | None] = mapped_column(String(16), index=True)
    triage_claim_value: Mapped[Decimal | None] = mapped_column(Money)
    triage_expected_net: Mapped[Decimal | None] = mapped_column(Money)
    triage_urgent_on: Mapped[date | None] = mapped_column(Date)
    # Kronofogden and court: case numbers and the dates the deadlines are computed from.
    kfm_case_number: Mapped[str] = mapped_column(String(30), default="")
    court_case_number: Mapped[str] = mapped_column(String(30), default="")
    kfm_served_on: Mapped[date | None] = mapped_column(Date)
    kfm_objection_notified_on: Mapped[date | None] = mapped_column(Date)
    utslag_on: Mapped[date | None] = mapped_column(Date)
    # Facts the deadlines are computed from (see app.course.deadlines.CaseFacts).
    kfm_answer_days: Mapped[int | None] = mapped_column(Integer)
    judgment_on: Mapped[date | None] = mapped_column(Date)
    default_judgment: Mapped[bool] = mapped_column(Boolean, default=False)
    default_judgment_served_on: Mapped[date | None] = mapped_column(Date)
    appealed: Mapped[bool] = mapped_column(Boolean, default=False)
    settlement_on: Mapped[date | None] = mapped_column(Date)
    limitation_interruptions: Mapped[list] = mapped_column(JSON, default=list)
    # Retention (app.retention): the day the case was closed (betald, avskriven, återkallad),
    # set whenever the status moves into a closed one, and the day its personal data was removed.
    closed_on: Mapped[date | None] = mapped_column(Date, index=True)
    anonymised_on: Mapped[date | None] = mapped_column(Date)

    creditor = relationship("Creditor")
    debtor = relationship("Debtor")
    assigned_jurist = relationship("User")
    claim_lines: Mapped[list[ClaimLine]] = relationship(
        back_populates="case", order_by="ClaimLine.position", cascade="all, delete-orphan"
    )
    objections: Mapped[list[Objection]] = relationship(
        back_populates="case", order_by="Objection.received_on", cascade="all, delete-orphan"
    )
    timeline: Mapped[list[TimelineEvent]] = relationship(
        back_populates="case", order_by="TimelineEvent.at.desc()", cascade="all, delete-orphan"
    )
    evidence = relationship("Evidence", back_populates="case", order_by="Evidence.id",
                            cascade="all, delete-orphan")
    triage_decisions = relationship("TriageDecision", back_populates="case",
                                    order_by="TriageDecision.decided_at.desc()", cascade="all, delete-orphan")
    issue_group = relationship("IssueGroup", back_populates="cases", foreign_keys=[issue_group_id])
    hearings = relationship("Hearing", back_populates="case", order_by="Hearing.starts_at",
                            cascade="all, delete-orphan")
    outcomes = relationship("Outcome", back_populates="case", order_by="Outcome.decided_on",
                            cascade="all, delete-orphan")
    deadlines = relationship("CaseDeadline", back_populates="case", order_by="CaseDeadline.due_on",
                             cascade="all, delete-orphan")
    # Only the open ones are listed, put in the calendar feed and reminded of.
    open_deadlines = relationship("CaseDeadline", order_by="CaseDeadline.due_on", viewonly=True,
                                  primaryjoin="and_(Case.id == CaseDeadline.case_id, CaseDeadline.state == 'open')")
    filing_records = relationship("FilingRecord", back_populates="case", order_by="FilingRecord.id",
                                  cascade="all, delete-orphan")
    payments = relationship("Payment", back_populates="case", order_by="Payment.paid_on",
                            cascade="all, delete-orphan")
    documents = relationship("GeneratedDocument", back_populates="case", order_by="GeneratedDocument.created_at.desc()",
                             cascade="all, delete-orphan")

    __table_args__ = (
        Index("ix_cases_status_updated", "status", "updated_at"),
        Index("ix_cases_creditor_status", "creditor_id", "status"),
        Index("ix_cases_triage_queue", "status", "triage_urgent_on"),
        # Lists at scale (bench/bench_pages.py): each sort and filter the case lists offer is an
        # index walk that stops after one page, with the id as the tie-breaker.
        Index("ix_cases_updated_id", "updated_at", "id"),
        Index("ix_cases_created_id", "created_at", "id"),
        Index("ix_cases_capital_id", "total_capital", "id"),
        Index("ix_cases_creditor_updated", "creditor_id", "updated_at", "id"),
        Index("ix_cases_jurist_updated", "assigned_jurist_id", "updated_at", "id"),
        # The portal overview's aggregates read this index only, not the case rows.
        Index("ix_cases_creditor_overview", "creditor_id", "status", "triage_track", "total_capital"),
        Index("ix_cases_creditor_judgment", "creditor_id", "judgment_on"),
    )

    def __repr__(self) -> str:
        return f"<Case {self.reference}>"


class ClaimLine(VersionedMixin, Base):
    """One invoice (or other claim) inside a case."""

    __tablename__ = "claim_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    invoice_number: Mapped[str] = mapped_column(String(60))
    invoice_date: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    capital: Mapped[Decimal] = mapped_column(Money)
    description: Mapped[str] = mapped_column(String(500), default="")
    # When the claim arose (delivery of the goods or service): limitation runs from it
    # (preskriptionslag 2 §); None means the invoice date is the best record.
    arose_on: Mapped[date | None] = mapped_column(Date)
    # A due date agreed in advance (räntelagen 3 §); otherwise interest follows 4 §.
    due_date_agreed: Mapped[bool] = mapped_column(Boolean, default=True)

    case: Mapped[Case] = relationship(back_populates="claim_lines")


class Objection(VersionedMixin, Base):
    """Bestridande: the debtor's objection to the claim."""

    __tablename__ = "objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    channel: Mapped[ObjectionChannel] = mapped_column(enum_column(ObjectionChannel))
    category: Mapped[ObjectionCategory] = mapped_column(enum_column(ObjectionCategory), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    # A kvittningsinvändning's amount (counts toward the value, NJA 1990 s. 770).
    setoff_amount: Mapped[Decimal | None] = mapped_column(Money)
    # Why the objection does not hold: answered in the stämningsansökan.
    response: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    case: Mapped[Case] = relationship(back_populates="objections")
    steps = relationship("InvestigationStep", back_populates="objection", order_by="InvestigationStep.on",
                         cascade="all, delete-orphan")


class TimelineEvent(Base):
    """What happened in a case, in the words shown to jurists and creditors."""

    __tablename__ = "timeline_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(String(1000))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case: Mapped[Case] = relationship(back_populates="timeline")
    actor = relationship("User")

    __table_args__ = (Index("ix_timeline_events_case_at", "case_id", "at"),)


@event.listens_for(Case.status, "set")
def _track_closing(case: Case, value: CaseStatus, old, _initiator) -> None:
    """closed_on follows the status wherever it is changed: set when the case closes,
    cleared if it is reopened. Retention counts from this day."""
    was_closed = isinstance(old, CaseStatus) and old not in OPEN_STATUSES
    if value in OPEN_STATUSES:
        case.closed_on = None
    elif not was_closed:
        case.closed_on = today()


# The triage queue's order (app.triage.views.queue_query) over the cases awaiting triage only:
# PostgreSQL reads the first page in index order; SQLite finds the page's ids in this index alone.
TRIAGE_QUEUE_STATUSES = ("disputed", "investigating")  # app.cases.status.AWAITING_TRIAGE, as stored
_AWAITING = "status IN (" + ", ".join(f"'{s}'" for s in TRIAGE_QUEUE_STATUSES) + ")"
Index("ix_cases_triage_order", Case.__table__.c.triage_urgent_on, Case.__table__.c.triage_expected_net,
      Case.__table__.c.id, sqlite_where=text(_AWAITING), postgresql_where=text(_AWAITING))

from app.cases.search import SearchTerm  # noqa: E402,F401  (the search index table; maintained by its events)
