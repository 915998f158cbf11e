"""API housekeeping (Celery beat): thin and idempotent."""
from __future__ import annotations

from celery import shared_task

from app.api.services import purge_idempotency_records
from app.extensions import db


@shared_task(name="api.purge_idempotency_records", acks_late=True)
def purge_idempotency() -> int:
    deleted = purge_idempotency_records()
    db.session.commit()
    return deleted
