"""The daily deadline job (Celery beat): thin, idempotent (a deadline is flagged once)."""
from __future__ import annotations

from celery import shared_task
from flask import current_app

from app.core.clock import today
from app.extensions import db
from app.hearings.services import scan_deadlines


@shared_task(name="course.scan_deadlines", acks_late=True)
def daily_deadline_scan() -> dict:
    result = scan_deadlines(today(), current_app.config["DEADLINE_WARNING_DAYS"])
    db.session.commit()
    return result
