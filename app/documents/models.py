"""Generated filings and the bulk jobs that make them."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.enums import LabelledEnum, enum_column
from app.db import Base, utcnow

KIND_LABELS = {
    "stamningsansokan": "Stämningsansökan",
    "betalningsforelaggande": "Ansökan om betalningsföreläggande",
    "overlamnande": "Begäran om överlämnande till tingsrätt",
    "verkstallighet": "Ansökan om verkställighet",
    "kostnadsrakning": "Kostnadsräkning",
    "forlikning": "Förlikningsavtal / avbetalningsplan",
}


class GeneratedDocument(Base):
    """One rendered filing. The same input (hash) for the same case and kind is stored once."""

    __tablename__ = "generated_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    template_version: Mapped[str] = mapped_column(String(40))
    input_hash: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    bulk_job_id: Mapped[int | None] = mapped_column(ForeignKey("bulk_jobs.id"))

    case = relationship("Case", back_populates="documents")
    created_by = relationship("User")

    __table_args__ = (
        UniqueConstraint("case_id", "kind", "input_hash", name="uq_generated_documents_case_kind_input"),
        Index("ix_generated_documents_case_created", "case_id", "created_at"),
    )

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def download_name(self) -> str:
        return f"{self.kind}-{self.case.reference}.docx"


class JobStatus(LabelledEnum):
    QUEUED = ("queued", "I kö")
    RUNNING = ("running", "Pågår")
    DONE = ("done", "Klar")
    FAILED = ("failed", "Misslyckades")


class BulkJob(Base):
    """Generate one kind of filing for many cases, in the worker, with progress."""

    __tablename__ = "bulk_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    case_ids: Mapped[list] = mapped_column(JSON)
    # Fixed when the job is created, so a retried job renders the very same inputs.
    filing_date: Mapped[date] = mapped_column(Date)
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus), default=JobStatus.QUEUED)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list] = mapped_column(JSON, default=list)
    zip_stored_name: Mapped[str | None] = mapped_column(String(80))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    created_by = relationship("User")

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * (self.done + self.failed) / self.total)
