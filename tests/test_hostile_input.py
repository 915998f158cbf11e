"""Hostile sizes and impossible facts: a clear Swedish answer, never a 500, nothing saved."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import StatementError

from app.api.auth import create_token
from app.cases.models import Case, ClaimLine, Objection
from app.core.clock import today
from app.core.identity import IdentityNumberError, normalize_identity_number
from app.core.money import AmountError, parse_amount
from app.debtors.models import Debtor
from app.enforcement.models import Payment
from app.extensions import db
from tests.conftest import extract_csrf
from tests.test_api import auth, claim

HUGE = "1" * 27  # decimal.InvalidOperation in the old money field (28-digit context, two more to round)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def token(world):
    _, value = create_token(world.creditor_a, "Ekonomisystemet", world.admin)
    db.session.commit()
    return value


# --- Sizes --------------------------------------------------------------------------------------

def test_deeply_nested_json_is_a_400_with_a_clear_message(world, client, token):
    body = "[" * 5000 + "]" * 5000
    response = client.post("/api/cases", data=body, content_type="application/json", headers=auth(token))
    assert response.status_code == 400
    assert "för djupt nästlat" in response.json["errors"][0]["message"]
    nested = '{"cases": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}"
    response = client.post("/api/cases", data=nested, content_type="application/json", headers=auth(token))
    assert response.status_code == 400 and _count(Case) == 2


def test_brackets_inside_strings_do_not_count_as_depth(world, client, token):
    item = claim("EXT-[[[[[[[[[[[[")
    item["description"] = "{" * 100 + '"\\"[' * 50
    response = client.post("/api/cases", json={"cases": [item]}, headers=auth(token))
    assert response.status_code == 201, response.json


def test_an_oversized_api_body_is_a_413(world, client, token):
    body = '{"cases": [' + ",".join(['"' + "x" * 1000 + '"'] * 2500) + "]}"
    response = client.post("/api/cases", data=body, content_type="application/json", headers=auth(token))
    assert response.status_code == 413 and "för stor" in response.json["error"]["detail"]


@pytest.mark.parametrize("raw", [HUGE, HUGE + ",50", "9" * 40, "1" * 5000, "0," + "0" * 5000, "1e30", "NaN",
                                 "999 999 999 999 999"])
def test_absurd_amounts_get_a_swedish_message(raw):
    with pytest.raises(AmountError) as refused:
        parse_amount(raw)
    assert str(refused.value).startswith(("Beloppet", "Ange ett belopp"))


def test_the_largest_amount_is_accepted_and_stored_exactly(world):
    assert parse_amount("999 999 999 999,99") == Decimal("999999999999.99")
    assert parse_amount("0012,50000") == Decimal("12.50")
    line = db.session.get(ClaimLine, world.line_a.id)
    line.capital = Decimal("999999999999.99")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(ClaimLine, world.line_a.id).capital == Decimal("999999999999.99")
    line = db.session.get(ClaimLine, world.line_a.id)
    line.capital = Decimal(HUGE)
    with pytest.raises(StatementError, match="orimligt stort"):
        db.session.commit()
    db.session.rollback()


def test_a_27_digit_amount_in_a_claim_line_form(world, as_user):
    client = as_user(world.jurist)
    url = f"/arenden/{world.case_a.id}/fordringar/ny"
    token = extract_csrf(client.get(url).get_data(as_text=True))
    before = _count(ClaimLine)
    response = client.post(url, data={"csrf_token": token, "invoice_number": "F-9", "invoice_date": "2026-01-01",
                                      "due_date": "2026-02-01", "capital": HUGE})
    assert response.status_code == 200 and "orimligt stort" in response.get_data(as_text=True)
    assert _count(ClaimLine) == before


def test_a_27_digit_amount_in_a_payment_form(world, as_user):
    client = as_user(world.jurist)
    url = f"/arenden/{world.case_a.id}/betalningar/ny"
    token = extract_csrf(client.get(url).get_data(as_text=True))
    response = client.post(url, data={"csrf_token": token, "paid_on": today().isoformat(), "amount": HUGE,
                                      "source": "debtor"})
    assert response.status_code == 200 and "orimligt stort" in response.get_data(as_text=True)
    assert _count(Payment) == 0


def test_a_27_digit_amount_in_an_api_item(world, client, token):
    response = client.post("/api/cases", json={"cases": [claim(capital=HUGE)]}, headers=auth(token))
    assert response.status_code == 422
    errors = {(e["item"], e["field"]): e["message"] for e in response.json["errors"]}
    assert "orimligt stort" in errors[(0, "claim_lines[0].capital")]
    assert _count(Case) == 2


# --- Impossible facts ----------------------------------------------------------------------------

@pytest.mark.parametrize("number", ["20850615-2381", "21990101-0000"])
def test_a_personnummer_born_in_the_future_is_refused(number):
    with pytest.raises(IdentityNumberError, match="födelsedatum i framtiden"):
        normalize_identity_number(number, is_company=False)
    with pytest.raises(IdentityNumberError, match="födelsedatum i framtiden"):
        normalize_identity_number(number, is_company=True)  # an enskild näringsidkare neither


def test_the_debtor_form_refuses_a_future_birth_date(world, as_user):
    client = as_user(world.jurist)
    token = extract_csrf(client.get("/galdenarer/ny").get_data(as_text=True))
    before = _count(Debtor)
    response = client.post("/galdenarer/ny", data={"csrf_token": token, "kind": "person", "name": "Framtida Person",
                                                   "identity_number": "20850615-2381", "street": "Gatan 1",
                                                   "postal_code": "111 22", "city": "Stockholm"})
    assert response.status_code == 200 and "födelsedatum i framtiden" in response.get_data(as_text=True)
    assert _count(Debtor) == before


def test_the_api_refuses_a_future_birth_date(world, client, token):
    response = client.post("/api/cases", json={"cases": [claim(identity="21990101-0000")]}, headers=auth(token))
    assert response.status_code == 422
    errors = {(e["item"], e["field"]): e["message"] for e in response.json["errors"]}
    assert "framtiden" in errors[(0, "debtor.identity_number")]


def test_an_objection_received_in_the_future_is_refused(world, as_user, client, token):
    tomorrow = (today() + timedelta(days=1)).isoformat()
    staff = as_user(world.jurist)
    url = f"/arenden/{world.case_a.id}/bestridanden/nytt"
    csrf = extract_csrf(staff.get(url).get_data(as_text=True))
    before = _count(Objection)
    response = staff.post(url, data={"csrf_token": csrf, "received_on": tomorrow, "channel": "email",
                                     "category": "defective", "text": "Fel vara."})
    assert response.status_code == 200 and "framtiden" in response.get_data(as_text=True)
    assert _count(Objection) == before
    item = claim()
    item["objection"] = {**item["objection"], "received_on": tomorrow}
    api = client.post("/api/cases", json={"cases": [item]}, headers=auth(token))
    assert api.status_code == 422
    assert {(e["item"], e["field"]) for e in api.json["errors"]} == {(0, "objection.received_on")}


def test_a_payment_dated_in_the_future_is_refused(world, as_user):
    client = as_user(world.jurist)
    url = f"/arenden/{world.case_a.id}/betalningar/ny"
    token = extract_csrf(client.get(url).get_data(as_text=True))
    response = client.post(url, data={"csrf_token": token, "paid_on": (today() + timedelta(days=1)).isoformat(),
                                      "amount": "100", "source": "debtor"})
    assert response.status_code == 200 and "framtiden" in response.get_data(as_text=True)
    assert _count(Payment) == 0
    ok = client.post(url, data={"csrf_token": token, "paid_on": today().isoformat(), "amount": "100",
                                "source": "debtor"})
    assert ok.status_code == 302 and _count(Payment) == 1
