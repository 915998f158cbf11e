"""The log of retention runs: what each run removed, and under which cut-off dates."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, utcnow


class RetentionRun(Base):
    __tablename__ = "retention_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    ran_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    run_on: Mapped[date] = mapped_column(Date)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    # Cases closed on or before this day had their personal data removed in this run.
    anonymise_closed_before: Mapped[date] = mapped_column(Date)
    cases_anonymised: Mapped[int] = mapped_column(Integer, default=0)
    debtors_anonymised: Mapped[int] = mapped_column(Integer, default=0)
    files_removed: Mapped[int] = mapped_column(Integer, default=0)
    # Anonymised cases whose bookkeeping retention (BFL 7:2) had ended were deleted entirely.
    cases_deleted: Mapped[int] = mapped_column(Integer, default=0)
    # The references of the cases touched, so the run can be accounted for afterwards.
    details: Mapped[dict] = mapped_column(JSON, default=dict)
