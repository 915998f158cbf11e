"""Account housekeeping (Celery beat): thin and idempotent."""
from __future__ import annotations

from celery import shared_task

from app.auth.throttle import purge_old_attempts
from app.extensions import db


@shared_task(name="auth.purge_login_attempts", acks_late=True)
def purge_login_attempts() -> int:
    deleted = purge_old_attempts()
    db.session.commit()
    return deleted
