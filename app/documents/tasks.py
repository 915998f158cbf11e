"""Celery tasks for documents: thin, idempotent, safe to retry (see the bulk rules in services)."""
from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from flask import current_app

from app.documents import services
from app.extensions import db


@shared_task(name="documents.run_bulk_job", bind=True, acks_late=True, max_retries=3)
def run_bulk(self, job_id: int) -> dict:
    """Start a bulk job: split it into chunks (if a job queued before chunking has none) and send
    one `documents.run_bulk_chunk` per chunk not done. Sent again, it only sends duplicates,
    which find their chunks done."""
    try:
        chunk_ids = services.start_bulk_job(job_id)
        sent = services.dispatch_chunks(chunk_ids)
    except Exception as exc:  # an unexpected failure: record it, then let Celery retry
        db.session.rollback()
        if self.request.retries >= self.max_retries:
            services.mark_failed(job_id, "Jobbet avbröts av ett oväntat fel. Försök igen eller kontakta support.")
            raise
        raise self.retry(exc=exc, countdown=5)
    return {"job": job_id, "chunks": sent}


@shared_task(name="documents.run_bulk_chunk", bind=True, acks_late=True, max_retries=3)
def run_bulk_chunk(self, chunk_id: int) -> dict:
    """Render one chunk of a bulk job (and finalize the job if it was the last). A crash or a
    duplicate message is harmless: a done chunk is skipped, stored documents are reused."""
    try:
        return services.run_bulk_chunk(chunk_id, worker=self.request.hostname)
    except Exception as exc:
        db.session.rollback()
        if self.request.retries >= self.max_retries:
            from app.documents.models import BulkJobChunk

            chunk = db.session.get(BulkJobChunk, chunk_id)
            if chunk is not None:
                services.mark_failed(chunk.bulk_job_id, "En del av jobbet kunde inte slutföras på grund av ett "
                                                        "oväntat fel. Försök igen eller kontakta support.")
            raise
        raise self.retry(exc=exc, countdown=5)


@shared_task(name="documents.recover_bulk_jobs", acks_late=True)
def recover_bulk_jobs() -> dict:
    """Beat: dispatch again the chunks that nobody has worked on for BULK_STALE_SECONDS, and
    finish jobs whose finisher died (a worker killed without a clean shutdown)."""
    return services.recover_bulk_jobs(timedelta(seconds=current_app.config["BULK_STALE_SECONDS"]))
