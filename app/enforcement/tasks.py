"""The efterbevakning review (Celery beat): thin and idempotent (each warning is given once)."""
from __future__ import annotations

from dataclasses import asdict

from celery import shared_task
from flask import current_app

from app.core.clock import today
from app.enforcement.services import review_monitoring
from app.extensions import db


@shared_task(name="enforcement.review_monitoring", acks_late=True)
def monitoring_review() -> dict:
    summary = review_monitoring(today(), current_app.config["MONITORING_LIMITATION_WARNING_DAYS"])
    db.session.commit()
    return asdict(summary)
