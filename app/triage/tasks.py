"""Celery tasks for triage: thin, idempotent."""
from __future__ import annotations

from celery import shared_task

from app.extensions import db
from app.triage.services import refresh_summaries


@shared_task(name="triage.refresh_summaries", acks_late=True)
def refresh_triage_summaries(case_ids: list[int]) -> dict:
    """Recompute the stored triage summaries (after a law-table update or a bulk import)."""
    n = refresh_summaries(case_ids)
    db.session.commit()
    return {"cases": n}
