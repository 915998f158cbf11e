"""Security hardening beyond the access matrix: stale saves on every editable record, no
personnummer in any URL, and hostile names shown as text, never run as script."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.cases.models import Case
from app.cases.status import CaseStatus
from app.extensions import db
from app.portal.models import CreditorDecision
from app.triage.models import IssueGroup, TriageDecision
from tests import factories
from tests.conftest import form_tokens, login

STALE = "Uppgifterna har ändrats av någon annan"


def _touch(case_id: int) -> None:
    """Someone else saves the case meanwhile (its version moves on)."""
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    case.description = (case.description or "") + " ändrad av en kollega"
    db.session.commit()


def _fresh(case_id: int) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case_id)


# --- Optimistic locking on the records edited through the course and triage pages ---------

def test_a_step_opened_on_an_old_version_is_refused_and_keeps_the_input(world, as_user):
    client = as_user(world.jurist)
    url = f"/arenden/{world.case_a.id}/steg/write_off"
    tokens = form_tokens(client.get(url).get_data(as_text=True))
    _touch(world.case_a.id)
    response = client.post(url, data={**tokens, "decision_date": "2026-11-20", "reason": "Ej lönsamt att driva"})
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and STALE in html and "Ej lönsamt att driva" in html
    assert _fresh(world.case_a.id).status == CaseStatus.DISPUTED
    # saving again from the re-rendered form (now on the current version) is a deliberate overwrite
    again = client.post(url, data={**form_tokens(html), "decision_date": "2026-11-20", "reason": "Ej lönsamt"})
    assert again.status_code == 302 and _fresh(world.case_a.id).status == CaseStatus.WRITTEN_OFF


def test_a_triage_decision_on_an_old_version_is_refused(world, as_user):
    client = as_user(world.jurist)
    url = f"/triage/arende/{world.case_a.id}"
    page = client.get(url).get_data(as_text=True)
    chosen = re.search(r'<option[^>]*selected[^>]*value="([a-z_]+)"|<option value="([a-z_]+)" selected', page)
    tokens = form_tokens(page)
    _touch(world.case_a.id)
    response = client.post(url, data={**tokens, "recommended": "x", "chosen": (chosen.group(1) or chosen.group(2)),
                                      "reason": "Enligt rekommendationen"})
    assert STALE in response.get_data(as_text=True)
    assert db.session.scalars(select(TriageDecision)).all() == []


def test_principle_and_group_decisions_check_the_version(world, as_user):
    client = as_user(world.jurist)
    url = f"/triage/arende/{world.case_a.id}/princip"
    tokens = form_tokens(client.get(url).get_data(as_text=True))
    _touch(world.case_a.id)
    response = client.post(url, data={**tokens, "test_case": "y", "issue_group_id": world.group.id})
    assert STALE in response.get_data(as_text=True)
    assert not _fresh(world.case_a.id).test_case

    group_url = f"/triage/fragor/{world.group.id}"
    tokens = form_tokens(client.get(group_url).get_data(as_text=True))
    group = db.session.get(IssueGroup, world.group.id)
    group.question = "Omformulerad fråga"
    db.session.commit()
    response = client.post(group_url, data={**tokens, "decided_on": "2026-11-20", "decision": "Skälig avgift"})
    assert STALE in response.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(IssueGroup, world.group.id).decision


def test_a_creditor_decision_on_a_changed_case_is_refused(world, as_user):
    case = db.session.get(Case, world.case_a.id)
    case.status = CaseStatus.LITIGATION_PROPOSED
    db.session.commit()
    client = as_user(world.user_a)
    tokens = form_tokens(client.get(f"/portal/arenden/{case.id}").get_data(as_text=True))
    _touch(case.id)
    response = client.post(f"/portal/arenden/{case.id}/beslut", data={**tokens, "decision": "approve"},
                           follow_redirects=True)
    assert "Ärendet har ändrats sedan ni öppnade sidan" in response.get_data(as_text=True)
    assert db.session.scalars(select(CreditorDecision)).all() == []


# --- Personnummer never in a URL -------------------------------------------------------------

def _hrefs(html: str) -> list[str]:
    return re.findall(r'(?:href|action|src)="([^"]*)"', html)


@pytest.mark.parametrize("list_url,user", [("/arenden/", "jurist"), ("/galdenarer/", "jurist"),
                                           ("/portal/arenden/", "creditor_a")])
def test_a_search_by_personnummer_never_puts_the_number_in_a_url(world, as_user, list_url, user):
    pnr = world.case_a.debtor.identity_number
    digits = pnr.replace("-", "")
    client = as_user(world.user(user))
    tokens = form_tokens(client.get(list_url).get_data(as_text=True))
    response = client.post(list_url, data={**tokens, "q": pnr, "status": ""})
    assert response.status_code == 302
    assert pnr not in response.location and digits not in response.location and "sok=" in response.location
    page = client.get(response.location)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and (world.case_a.reference in html or world.case_a.debtor.name in html)
    assert all(pnr not in url and digits[:8] not in url for url in _hrefs(html))


def test_a_url_with_a_personnummer_is_redirected_to_one_without(world, as_user):
    pnr = world.case_a.debtor.identity_number
    client = as_user(world.jurist)
    response = client.get(f"/arenden/?q={pnr}&status=disputed")
    assert response.status_code == 302 and pnr not in response.location
    assert "status=disputed" in response.location
    html = client.get(response.location).get_data(as_text=True)
    assert world.case_a.reference in html and world.case_b.reference not in html


def test_the_triage_page_of_a_case_without_claims_explains_instead_of_failing(world, as_user):
    case = factories.CaseFactory(creditor=world.creditor_a)
    db.session.commit()
    response = as_user(world.jurist).get(f"/triage/arende/{case.id}", follow_redirects=True)
    assert response.status_code == 200 and "Registrera fordringarna innan ärendet triageras" in response.get_data(
        as_text=True)


def test_a_name_search_stays_bookmarkable(world, as_user):
    client = as_user(world.jurist)
    tokens = form_tokens(client.get("/arenden/").get_data(as_text=True))
    response = client.post("/arenden/", data={**tokens, "q": "A-0001"})
    assert response.status_code == 302 and "q=A-0001" in response.location


def test_the_new_case_link_from_a_debtor_carries_the_id_not_the_number(world, as_user):
    client = as_user(world.jurist)
    debtor = world.case_a.debtor
    html = client.get(f"/galdenarer/{debtor.id}").get_data(as_text=True)
    assert f"/arenden/nytt?galdenar={debtor.id}" in html
    assert all(debtor.identity_number not in url for url in _hrefs(html))
    form = client.get(f"/arenden/nytt?galdenar={debtor.id}").get_data(as_text=True)
    assert f'value="{debtor.identity_number}"' in form  # prefilled in the form body, not the URL


# --- Hostile names ------------------------------------------------------------------------------

SCRIPT = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def test_script_in_names_is_shown_as_text_everywhere(world, app):
    debtor = world.case_a.debtor
    debtor.name = f"Eva {SCRIPT}"
    world.creditor_a.name = f"Alfa {SCRIPT} AB"
    case = factories.CaseFactory(creditor=world.creditor_a, debtor=debtor, description=SCRIPT)
    factories.ClaimLineFactory(case=case, description=SCRIPT)
    db.session.commit()
    pages = {
        "jurist": ["/arenden/?q=Eva", f"/arenden/{case.id}", f"/galdenarer/{debtor.id}", "/galdenarer/?q=Eva",
                   f"/triage/arende/{case.id}", "/triage/", "/fordringsagare/"],
        "creditor_a": ["/portal/", "/portal/arenden/", f"/portal/arenden/{case.id}"],
    }
    for role, urls in pages.items():
        client = app.test_client()
        login(client, world.user(role))
        for url in urls:
            response = client.get(url)
            html = response.get_data(as_text=True)
            assert response.status_code == 200, url
            assert "<script>alert" not in html and "<img src=x onerror" not in html, url
            assert "&lt;script&gt;alert(" in html, url
