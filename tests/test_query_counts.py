"""List pages issue a fixed number of queries, whatever the page size (no N+1)."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.extensions import db
from tests import factories


@contextmanager
def counting():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _many_cases(world, n: int) -> None:
    """Each case with its own creditor and jurist, so a lazy load per row shows as more queries."""
    for i in range(n):
        case = factories.CaseFactory(creditor=factories.CreditorFactory(), reference=f"N-{i:03d}",
                                     assigned_jurist=factories.UserFactory(role="jurist"))
        factories.ClaimLineFactory(case=case)
        factories.ObjectionFactory(case=case)
    db.session.commit()


@pytest.mark.parametrize("url", ["/arenden/", "/triage/", "/arenden/?q=N-&sortera=-belopp", "/galdenarer/"])
def test_list_pages_do_not_grow_with_page_size(world, as_user, app, url):
    _many_cases(world, 30)
    client = as_user(world.jurist)
    counts = {}
    for per_page in (5, 25):
        app.config["CASES_PER_PAGE"] = per_page
        client.get(url)  # warm-up (session, user)
        with counting() as statements:
            assert client.get(url).status_code == 200
        counts[per_page] = len(statements)
    app.config["CASES_PER_PAGE"] = 25
    assert counts[5] == counts[25], counts


def test_case_page_does_not_grow_with_its_timeline(world, as_user):
    from app.cases.services import record_event

    client = as_user(world.jurist)
    url = f"/arenden/{world.case_a.id}"
    counts = []
    for extra in (2, 10):
        for _ in range(extra):
            record_event(world.case_a, "edited", "Ändrat.", factories.UserFactory(role="jurist"))
        db.session.commit()
        client.get(url)
        with counting() as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
