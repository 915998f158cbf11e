"""Celery tasks for documents: thin, idempotent, safe to retry."""
from __future__ import annotations

from celery import shared_task

from app.documents.services import mark_failed, run_bulk_job


@shared_task(name="documents.run_bulk_job", bind=True, acks_late=True, max_retries=3)
def run_bulk(self, job_id: int) -> dict:
    """Render a bulk job. A crash mid-way leaves the message unacknowledged; the retry
    reuses every document already stored for the same input, so nothing is duplicated."""
    try:
        job = run_bulk_job(job_id)
    except Exception as exc:  # an unexpected failure: record it, then let Celery retry
        from app.extensions import db

        db.session.rollback()
        if self.request.retries >= self.max_retries:
            mark_failed(job_id, "Jobbet avbröts av ett oväntat fel. Försök igen eller kontakta support.")
            raise
        raise self.retry(exc=exc, countdown=5)
    return {"job": job_id, "done": job.done if job else 0, "failed": job.failed if job else 0}
