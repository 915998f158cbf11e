"""Form validation: the Swedish messages a jurist sees for bad input."""
from __future__ import annotations

from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from app.cases.forms import ClaimLineForm
from app.creditors.forms import CreditorForm
from app.debtors.forms import DebtorForm


@pytest.fixture(autouse=True)
def _request_context(app):
    app.config["WTF_CSRF_ENABLED"] = False
    with app.test_request_context():
        yield
    app.config["WTF_CSRF_ENABLED"] = True


def claim_form(**overrides) -> ClaimLineForm:
    data = {"invoice_number": "F-1", "invoice_date": "2026-03-01", "due_date": "2026-03-31",
            "capital": "12 345,50", "description": "Tjänst"}
    data.update(overrides)
    return ClaimLineForm(formdata=MultiDict(data))


@pytest.mark.parametrize("raw,expected", [
    ("12 345,50", Decimal("12345.50")), ("12345.5", Decimal("12345.50")), ("1\u00a0000", Decimal("1000.00")),
    ("0,01", Decimal("0.01")), ("99 kr", Decimal("99.00")),
])
def test_money_accepts_swedish_and_plain_notation(raw, expected):
    form = claim_form(capital=raw)
    assert form.validate(), form.errors
    assert form.capital.data == expected


@pytest.mark.parametrize("raw,message", [
    ("-100", "negativt"), ("0", "större än noll"), ("12,345", "högst två decimaler"),
    ("tolv", "Ange ett belopp"), ("1,2,3", "Ange ett belopp"),
])
def test_money_refuses_bad_amounts(raw, message):
    form = claim_form(capital=raw)
    assert not form.validate()
    assert any(message in e for e in form.capital.errors), form.capital.errors


def test_due_date_before_invoice_date_refused():
    form = claim_form(invoice_date="2026-03-10", due_date="2026-03-01")
    assert not form.validate()
    assert form.due_date.errors == ["Förfallodagen kan inte ligga före fakturadatumet."]


def test_invalid_date_refused_in_swedish():
    form = claim_form(invoice_date="2026-02-30", due_date="1.3.2026")
    assert not form.validate()
    assert form.invoice_date.errors == ["Ogiltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD, t.ex. 2026-11-22."]
    assert form.due_date.errors == form.invoice_date.errors


def test_control_characters_refused_naming_the_character():
    form = claim_form(description="Tjänst\x01 utförd")
    assert not form.validate()
    assert "U+0001" in form.description.errors[0]


def test_text_is_trimmed_and_nfc_normalised():
    form = claim_form(invoice_number="  F-9  ", description="Cafe\u0301")
    assert form.validate(), form.errors
    assert form.invoice_number.data == "F-9" and form.description.data == "Café"


def debtor_form(**overrides) -> DebtorForm:
    data = {"kind": "person", "name": "Åsa Öberg", "identity_number": "19121212-1212",
            "street": "Storgatan 1", "postal_code": "11122", "city": "Stockholm"}
    data.update(overrides)
    return DebtorForm(formdata=MultiDict(data))


def test_debtor_identity_number_normalised_and_postal_code_formatted():
    form = debtor_form(identity_number="121212-1212")
    assert form.validate(), form.errors
    assert form.identity_number.data == "20121212-1212" and form.postal_code.data == "111 22"


def test_debtor_wrong_check_digit():
    form = debtor_form(identity_number="19121212-1213")
    assert not form.validate()
    assert form.identity_number.errors == ["Personnumret har fel kontrollsiffra."]


def test_company_debtor_takes_orgnr():
    form = debtor_form(kind="company", name='Bygg & Söner <AB> "Nord"', identity_number="5560360793")
    assert form.validate(), form.errors
    assert form.identity_number.data == "556036-0793"


def test_creditor_orgnr_checked():
    form = CreditorForm(formdata=MultiDict({"name": "X AB", "org_number": "556036-0794"}))
    assert not form.validate()
    assert form.org_number.errors == ["Organisationsnumret har fel kontrollsiffra."]


def test_reserved_test_domain_addresses_are_accepted_and_garbage_is_not():
    from app.auth.forms import UserForm

    ok = UserForm(formdata=MultiDict({"name": "Anna", "email": "anna.lindqvist@tvist.test", "role": "jurist",
                                      "creditor_id": "0"}))
    ok.creditor_id.choices = [(0, "-")]
    assert ok.validate(), ok.errors
    bad = UserForm(formdata=MultiDict({"name": "Anna", "email": "anna@", "role": "jurist", "creditor_id": "0"}))
    bad.creditor_id.choices = [(0, "-")]
    assert not bad.validate() and "giltig e-postadress" in bad.email.errors[0]
