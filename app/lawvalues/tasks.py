"""The nightly warning of legal values missing for the coming period (Celery beat): thin, idempotent
(each admin is told of each missing value once)."""
from __future__ import annotations

from celery import shared_task
from flask import current_app

from app.core.clock import today
from app.extensions import db
from app.lawvalues.services import warn_missing_values


@shared_task(name="lawvalues.warn_missing", acks_late=True)
def warn_missing_law_values() -> dict:
    result = warn_missing_values(today(), current_app.config["LAW_VALUES_WARNING_DAYS"])
    db.session.commit()
    return result
