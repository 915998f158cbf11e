"""Regression tests for defects found in review."""
from __future__ import annotations

from datetime import date

from app.cases.services import record_event
from app.extensions import db
from app.hearings.models import CaseDeadline
from app.hearings.services import refresh_deadlines


def test_creditor_does_not_see_the_jurists_internal_notes(world, as_user, app):
    record_event(world.case_a, "triage", "Triage: avvek från rekommendationen. Motivering: INTERN-ANTECKNING", None)
    record_event(world.case_a, "payment", "Betalning från gäldenären: 100,00 kr (2026-11-01).", None)
    db.session.commit()
    html = as_user(world.user_a).get(f"/arenden/{world.case_a.id}").get_data(as_text=True)
    assert "INTERN-ANTECKNING" not in html and "Betalning från gäldenären" in html
    from tests.conftest import login

    jurist = app.test_client()
    login(jurist, world.jurist)
    staff = jurist.get(f"/arenden/{world.case_a.id}").get_data(as_text=True)
    assert "INTERN-ANTECKNING" in staff


def test_missing_law_value_gives_a_swedish_page_not_a_traceback(world, as_user, monkeypatch):
    import app.hearings.services as hs
    from app.law.errors import LawDataMissing

    def missing(*args, **kwargs):
        raise LawDataMissing("Referensränta saknas för 2027-01-01; lägg till den i app/law/data/referensranta.toml.")

    monkeypatch.setattr(hs, "ledger", missing)
    response = as_user(world.jurist).get(f"/arenden/{world.case_a.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "referensranta.toml" in html and "Traceback" not in html


def test_huge_ids_are_not_found_rather_than_crashing(world, as_user):
    client = as_user(world.jurist)
    assert client.get("/arenden/99999999999999999999").status_code == 404
    assert client.get("/arenden/?fordringsagare=99999999999999999999&sida=99999999999999999999").status_code == 200


def test_refresh_leaves_deadlines_it_does_not_own(world):
    case = world.case_a
    case.deadlines.append(CaseDeadline(code="monitoring_check", label="Efterbevakning", due_on=date(2027, 1, 1)))
    db.session.commit()
    refresh_deadlines(case)
    assert any(d.code == "monitoring_check" for d in case.deadlines)
