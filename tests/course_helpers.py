"""Helpers that take a test case along its course the way the app does: through the state machine."""
from __future__ import annotations

from app.extensions import db
from app.hearings.services import take_step


def post_step(client, case, name, data):
    """Take a step through its real form, as the jurist does (CSRF token and version from the page)."""
    from tests.conftest import extract_csrf, form_tokens

    url = f"/arenden/{case.id}/steg/{name}"
    page = client.get(url)
    tokens = form_tokens(page.get_data(as_text=True)) if page.status_code == 200 else \
        {"csrf_token": extract_csrf(client.get("/arenden/").get_data(as_text=True)), "version": case.version}
    return client.post(url, data={**tokens, **data})


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


__all__ = ["approve", "post_step", "walk"]
