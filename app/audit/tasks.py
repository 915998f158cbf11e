"""The nightly anchoring of the audit log (Celery beat "nightly-audit-anchor"): thin, idempotent."""
from __future__ import annotations

from celery import shared_task
from flask import current_app

from app.audit.anchor import verify_and_anchor
from app.extensions import db


@shared_task(name="audit.verify_and_anchor", acks_late=True)
def audit_verify_and_anchor() -> dict:
    """Verify the chain against the last anchor and, when intact, anchor it as it is now.
    Problems are logged as errors and leave the anchor as it was (the evidence stays)."""
    result = verify_and_anchor(db.session)
    db.session.rollback()  # read only
    for line in result.problems:
        current_app.logger.error("Audit log: %s", line)
    return {"entries": result.count, "problems": len(result.problems), "anchored": result.written is not None}
