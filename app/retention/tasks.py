"""The nightly retention run (Celery beat "nightly-retention"): thin and idempotent.

A second run on the same day finds nothing left to do (every selection excludes what was done),
so a redelivered message (acks_late) is harmless.
"""
from __future__ import annotations

from datetime import date

from celery import shared_task
from flask import current_app

from app.core.clock import today
from app.extensions import db
from app.retention.services import run_retention


@shared_task(name="retention.run", acks_late=True)
def retention_run(on: str | None = None) -> dict:
    """Run retention for ``on`` (ISO date; today in Sweden when omitted) and commit."""
    run = run_retention(date.fromisoformat(on) if on else today(), current_app.config["RETENTION_MONTHS"], None)
    db.session.commit()
    return {"run_id": run.id, "cases_anonymised": run.cases_anonymised, "debtors_anonymised": run.debtors_anonymised,
            "files_removed": run.files_removed, "cases_deleted": run.cases_deleted}
