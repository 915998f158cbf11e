import pytest

from app.core.identity import (
    IdentityNumberError,
    mask_identity_number,
    normalize_identity_number,
    normalize_org_number,
    normalize_personal_number,
)


@pytest.mark.parametrize("raw,expected", [
    pytest.param("19121212-1212", "19121212-1212", id="12 digits with hyphen"),
    pytest.param("191212121212", "19121212-1212", id="12 digits compact"),
    pytest.param("121212-1212", "20121212-1212", id="10 digits, '-' means under 100 years"),
    pytest.param("121212+1212", "19121212-1212", id="10 digits, '+' means 100 years or older"),
    pytest.param(" 19121212-1212 ", "19121212-1212", id="surrounding spaces"),
])
def test_personnummer_normalised(raw, expected):
    assert normalize_personal_number(raw) == expected


@pytest.mark.parametrize("raw,message", [
    pytest.param("19121212-1213", "fel kontrollsiffra", id="wrong check digit"),
    pytest.param("19990231-1230", "födelsedatum som inte finns", id="31 February"),
    pytest.param("19121212", "ska skrivas", id="too few digits"),
    pytest.param("abc", "ska skrivas", id="not a number"),
])
def test_personnummer_refused_with_swedish_reason(raw, message):
    with pytest.raises(IdentityNumberError, match=message):
        normalize_personal_number(raw)


def test_orgnr_normalised_and_checked():
    assert normalize_org_number("5560360793") == "556036-0793"
    with pytest.raises(IdentityNumberError, match="fel kontrollsiffra"):
        normalize_org_number("556036-0794")


def test_orgnr_given_for_person_is_explained():
    with pytest.raises(IdentityNumberError, match="organisationsnummer"):
        normalize_identity_number("556036-0793", is_company=False)


def test_company_may_be_sole_trader_with_personnummer():
    assert normalize_identity_number("19121212-1212", is_company=True) == "19121212-1212"


def test_masking_hides_personnummer_but_not_orgnr():
    assert mask_identity_number("19121212-1212") == "19121212-XXXX"
    assert mask_identity_number("556036-0793") == "556036-0793"
