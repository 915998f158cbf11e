"""Celery tasks for cases: thin wrappers that load ids, call a service, commit."""
from __future__ import annotations

from celery import shared_task
from sqlalchemy import select

from app.cases.models import Case
from app.cases.services import recompute_total
from app.extensions import db


@shared_task(name="cases.refresh_totals", acks_late=True)
def refresh_totals(case_ids: list[int]) -> dict:
    """Recompute the stored capital total of the given cases (after a bulk import).
    Idempotent: running it twice gives the same totals."""
    changed = 0
    for case in db.session.scalars(select(Case).where(Case.id.in_(case_ids))):
        before = case.total_capital
        recompute_total(case)
        changed += case.total_capital != before
    db.session.commit()
    return {"cases": len(case_ids), "changed": changed}
