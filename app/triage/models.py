"""What the jurist records to triage a contested claim, and the decisions taken."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum, enum_column
from app.core.types import Money
from app.db import Base, TimestampMixin, VersionedMixin, utcnow
from app.triage.kinds import AbilitySource, EvidenceKind, OptionKind

evidence_claim_lines = Table(
    "evidence_claim_lines",
    Base.metadata,
    Column("evidence_id", ForeignKey("evidence.id", ondelete="CASCADE"), primary_key=True),
    Column("claim_line_id", ForeignKey("claim_lines.id", ondelete="CASCADE"), primary_key=True),
)


class Evidence(TimestampMixin, VersionedMixin, Base):
    """One piece of evidence (bevis) in the case's register, with what it is to prove (bevistema)."""

    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EvidenceKind] = mapped_column(enum_column(EvidenceKind))
    title: Mapped[str] = mapped_column(String(200))
    dated: Mapped[date | None] = mapped_column(Date)
    proves: Mapped[str] = mapped_column(Text)
    stored_name: Mapped[str | None] = mapped_column(String(80), unique=True)
    original_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    case = relationship("Case", back_populates="evidence")
    claim_lines = relationship("ClaimLine", secondary=evidence_claim_lines, order_by="ClaimLine.position")


class StepKind(LabelledEnum):
    ASKED_CREDITOR = ("asked_creditor", "Begärt underlag från fordringsägaren")
    CREDITOR_ANSWERED = ("creditor_answered", "Svar från fordringsägaren")
    ASKED_DEBTOR = ("asked_debtor", "Begärt komplettering från gäldenären")
    DEBTOR_ANSWERED = ("debtor_answered", "Svar från gäldenären")
    ASSESSMENT = ("assessment", "Bedömning")


class InvestigationStep(Base):
    """A step in investigating an objection (god inkassosed: objections must be investigated)."""

    __tablename__ = "investigation_steps"

    id: Mapped[int] = mapped_column(primary_key=True)
    objection_id: Mapped[int] = mapped_column(ForeignKey("objections.id", ondelete="CASCADE"), index=True)
    kind: Mapped[StepKind] = mapped_column(enum_column(StepKind))
    on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    objection = relationship("Objection", back_populates="steps")
    actor = relationship("User")

    @property
    def case_id(self) -> int | None:  # for the audit log's per-case index
        return self.objection.case_id if self.objection is not None else None


class AbilityRecord(TimestampMixin, Base):
    """Betalningsförmåga: a dated record of the debtor's ability to pay, with its source."""

    __tablename__ = "ability_records"

    id: Mapped[int] = mapped_column(primary_key=True)
    debtor_id: Mapped[int] = mapped_column(ForeignKey("debtors.id", ondelete="CASCADE"))
    recorded_on: Mapped[date] = mapped_column(Date)
    source: Mapped[AbilitySource] = mapped_column(enum_column(AbilitySource))
    monthly_income: Mapped[Decimal | None] = mapped_column(Money)
    payment_remarks: Mapped[int | None] = mapped_column(Integer)
    kfm_debt_total: Mapped[Decimal | None] = mapped_column(Money)
    known_assets: Mapped[Decimal | None] = mapped_column(Money)
    score: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    debtor = relationship("Debtor", back_populates="ability_records")

    __table_args__ = (Index("ix_ability_records_debtor_recorded", "debtor_id", "recorded_on"),)


class IssueGroup(TimestampMixin, VersionedMixin, Base):
    """Cases that turn on the same clause or legal question; one may be the test case."""

    __tablename__ = "issue_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    test_case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", use_alter=True))
    decision: Mapped[str] = mapped_column(Text, default="")
    decided_on: Mapped[date | None] = mapped_column(Date)

    cases = relationship("Case", back_populates="issue_group", foreign_keys="Case.issue_group_id",
                         order_by="Case.reference")
    test_case = relationship("Case", foreign_keys=[test_case_id], post_update=True)


class TriageDecision(Base):
    """The jurist's decision on a case: the recommendation accepted, or overridden with a reason."""

    __tablename__ = "triage_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recommended: Mapped[OptionKind] = mapped_column(enum_column(OptionKind))
    chosen: Mapped[OptionKind] = mapped_column(enum_column(OptionKind))
    override_reason: Mapped[str] = mapped_column(Text, default="")
    expected_net: Mapped[Decimal] = mapped_column(Money)
    snapshot: Mapped[dict] = mapped_column(JSON)

    case = relationship("Case", back_populates="triage_decisions")
    decided_by = relationship("User")

    @property
    def overridden(self) -> bool:
        return self.chosen != self.recommended
