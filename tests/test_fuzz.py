"""Property-based fuzzing of the forms and the API's request bodies (hypothesis): whatever is sent,
the answer is never a 500, and a refused request leaves nothing half-saved (no row in any table
changed). Bounded (a few dozen examples per target, no database per example) so that it runs in
well under a minute; schemathesis (tests/test_api.py) covers the API's description separately."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.api.auth import create_token
from app.extensions import db
from tests.test_api import claim

FUZZ = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Values that have broken, or could break, parsing: huge and odd numbers, impossible dates,
# identity numbers born in the future, control characters, markup, other scripts' digits.
NASTY = st.sampled_from([
    "", " ", "0", "-1", "1" * 27, "9" * 400, "1e30", "NaN", "Infinity", "12,345", "1 000,50 kr", "١٢٣",
    "2026-02-30", "2999-12-31", "0001-01-01", "9999-99-99", "20850615-2381", "21990101-0000", "19121212-1212",
    "556036-0793", "\x00", "\x07text", "<script>alert(1)</script>", "'; DROP TABLE cases; --", "{{ 7*7 }}",
    "a" * 20000, "\ud7ff", "ÅÄÖ åäö", "\u202e", "[" * 100,
])
TEXT = st.one_of(NASTY, st.text(max_size=40))


def _rows() -> dict[str, int]:
    """Every table's row count: a refused request must leave all of them as they were."""
    counts = {}
    for table in db.metadata.sorted_tables:
        if table.name in {"audit_log", "login_attempts", "alembic_version"}:
            continue
        counts[table.name] = db.session.scalar(select(func.count()).select_from(table))
    db.session.rollback()
    return counts


FORMS = {
    # name: (url template, fields)
    "claim_line": ("/arenden/{case}/fordringar/ny", ("invoice_number", "invoice_date", "due_date", "capital",
                                                     "description")),
    "objection": ("/arenden/{case}/bestridanden/nytt", ("received_on", "channel", "category", "text")),
    "payment": ("/arenden/{case}/betalningar/ny", ("paid_on", "amount", "source", "note")),
    "debtor": ("/galdenarer/ny", ("kind", "name", "identity_number", "street", "postal_code", "city", "phone",
                                  "email", "registered_municipality")),
    "case_edit": ("/arenden/{case}/andra", ("version", "creditor_id", "debtor_identity", "creditor_reference",
                                            "description", "assigned_jurist_id")),
    "write_off": ("/arenden/{case}/steg/write_off", ("version", "decision_date", "reason")),
    "judgment": ("/arenden/{case}/steg/register_judgment", ("version", "judgment_on", "court_case_number",
                                                           "awarded_capital", "awarded_costs", "interest_from")),
    "ability": ("/triage/galdenar/{debtor}/betalningsformaga/ny", ("recorded_on", "source", "monthly_income",
                                                                   "payment_remarks", "kfm_debt_total",
                                                                   "known_assets", "score", "note")),
}


@pytest.mark.parametrize("name", sorted(FORMS))
def test_forms_never_answer_500_nor_save_half(world, as_user, app, name):
    client = as_user(world.jurist)
    app.config["WTF_CSRF_ENABLED"] = False  # after logging in: the fuzzed posts carry no token
    template, fields = FORMS[name]
    url = template.format(case=world.case_a.id, debtor=world.case_a.debtor_id)

    @FUZZ
    @given(st.fixed_dictionaries({}, optional={f: TEXT for f in fields}))
    @example({f: "1" * 27 for f in fields})  # a 27-digit amount, and the same in every other field
    @example({f: "2999-01-01" for f in fields})
    def post(data):
        before = _rows()
        response = client.post(url, data=data)
        assert response.status_code < 500, (data, response.status_code)
        if response.status_code != 302:  # refused: nothing may have been written anywhere
            assert _rows() == before, data

    try:
        post()
    finally:
        app.config["WTF_CSRF_ENABLED"] = True


def _json_values():
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT)
    return st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(st.text(max_size=12), inner, max_size=4)),
                        max_leaves=12)


def _mutated_claim(draw_path: list[str], value) -> dict:
    item = claim(f"FUZZ-{abs(hash((tuple(draw_path), repr(value)))) % 10**9}")
    target = item
    for key in draw_path[:-1]:
        target = target[key] if not isinstance(target, list) else target[0]
    if isinstance(target, list):
        target = target[0]
    target[draw_path[-1]] = value
    return item


PATHS = st.sampled_from([
    ["creditor_reference"], ["consumer_claim"], ["reminder_fee_agreed"], ["description"], ["debtor"],
    ["debtor", "is_company"], ["debtor", "name"], ["debtor", "identity_number"], ["debtor", "postal_code"],
    ["debtor", "email"], ["claim_lines"], ["claim_lines", "capital"], ["claim_lines", "invoice_date"],
    ["claim_lines", "due_date"], ["claim_lines", "invoice_number"], ["objection"], ["objection", "received_on"],
    ["objection", "channel"], ["objection", "text"], ["unknown"],
])


@pytest.fixture
def api_token(world):
    _, token = create_token(world.creditor_a, "Fuzz", world.admin)
    db.session.commit()
    return token


def _post_api(client, token: str, body: bytes):
    return client.post("/api/cases", data=body, content_type="application/json",
                       headers={"Authorization": f"Bearer {token}"})


def test_api_bodies_of_any_shape_never_answer_500_nor_save_half(world, client, api_token):
    @FUZZ
    @given(_json_values())
    def post(payload):
        before = _rows()
        response = _post_api(client, api_token, json.dumps({"cases": [payload]}).encode())
        assert response.status_code in (400, 413, 422), (payload, response.status_code)
        assert _rows() == before

    post()


def test_api_claims_with_one_hostile_field_never_answer_500_nor_save_half(world, client, api_token):
    @settings(FUZZ, max_examples=60)
    @given(PATHS, st.one_of(_json_values(), TEXT))
    @example(["claim_lines", "capital"], "1" * 27)  # the findings this pass must always cover
    @example(["objection", "received_on"], "2999-01-01")
    @example(["debtor", "identity_number"], "21990101-0000")
    def post(path, value):
        before = _rows()
        response = _post_api(client, api_token, json.dumps({"cases": [_mutated_claim(path, value)]}).encode())
        assert response.status_code in (201, 400, 413, 422), (path, value, response.status_code)
        if response.status_code != 201:
            assert _rows() == before, (path, value)

    post()


def test_api_raw_bytes_never_answer_500(world, client, api_token):
    @FUZZ
    @given(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode),
                     st.integers(1, 6000).map(lambda n: ("[" * n + "]" * n).encode())))
    @example(b"[" * 5000 + b"]" * 5000)
    @example(b'{"cases": ' + b'{"a": ' * 5000 + b"1" + b"}" * 5001)
    def post(body):
        before = _rows()
        response = _post_api(client, api_token, body)
        assert response.status_code in (400, 413, 422), (body[:80], response.status_code)
        assert _rows() == before

    post()
