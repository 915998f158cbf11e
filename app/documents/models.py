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
    # Every chunk is done and one worker (the one whose UPDATE running → finalizing matched)
    # is building the zip. A job left here by a crash is finalized again by the recovery.
    FINALIZING = ("finalizing", "Slutställs")
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
    chunks = relationship("BulkJobChunk", back_populates="job", order_by="BulkJobChunk.position",
                          cascade="all, delete-orphan", passive_deletes=True)

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def percent(self) -> int:
        return 100 if not self.total else int(100 * (self.done + self.failed) / self.total)

    @property
    def nothing_made(self) -> bool:
        """Finished without a single document: every item was refused or failed."""
        return self.status == JobStatus.DONE and self.done == 0 and self.failed > 0

    @property
    def outcome_label(self) -> str:
        if self.nothing_made:
            return "Klart – ingen handling kunde upprättas"
        if self.status == JobStatus.DONE and self.failed:
            return f"Klart – {self.failed} ärenden kunde inte behandlas"
        return self.status.label


class ChunkStatus(LabelledEnum):
    QUEUED = ("queued", "I kö")
    RUNNING = ("running", "Pågår")
    DONE = ("done", "Klar")


class BulkJobChunk(Base):
    """A slice of a bulk job's cases: one Celery task, run by whichever worker takes it.

    A chunk's documents, counts, errors and status=done are committed in one transaction,
    so a chunk is either wholly done or not at all; running it again (a duplicate message,
    a redelivery after a killed worker, the recovery) finds it done, or reuses the documents
    already stored for the same input. The job's counters are sums over its chunks.
    """

    __tablename__ = "bulk_job_chunks"
    __audited__ = False  # progress bookkeeping; the documents and their timeline events are audited

    id: Mapped[int] = mapped_column(primary_key=True)
    bulk_job_id: Mapped[int] = mapped_column(ForeignKey("bulk_jobs.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    case_ids: Mapped[list] = mapped_column(JSON)
    status: Mapped[ChunkStatus] = mapped_column(enum_column(ChunkStatus), default=ChunkStatus.QUEUED)
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list] = mapped_column(JSON, default=list)
    document_ids: Mapped[list] = mapped_column(JSON, default=list)
    worker: Mapped[str | None] = mapped_column(String(200))  # Celery hostname of the last run
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    job = relationship("BulkJob", back_populates="chunks")

    __table_args__ = (UniqueConstraint("bulk_job_id", "position", name="uq_bulk_job_chunks_job_position"),)
