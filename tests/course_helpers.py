"""Helpers that take a test case along its course the way the app does: through the state machine."""
from __future__ import annotations

from app.extensions import db
from app.hearings.services import take_step
from app.portal.models import CreditorDecision


def walk(case, *steps, actor=None):
    """Take each (name, facts) step through app.hearings.services.take_step."""
    for name, facts in steps:
        take_step(case, name, facts, actor)
    db.session.flush()
    return case


def approve(case, creditor_user):
    """The creditor approves the proposal to go to court (as in the portal)."""
    from app.portal.services import decide

    decision = decide(case, creditor_user, approved=True, comment="")
    db.session.commit()
    return decision


__all__ = ["CreditorDecision", "approve", "walk"]
