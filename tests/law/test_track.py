"""Track choice under RB 1 kap. 3 d § and the Swedish money formatter."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.law.errors import LawDataMissing
from app.law.formatting import NBSP, format_number, format_percent, format_sek
from app.law.track import Track, choose_track, claim_value

D = Decimal
ORE = D("0.01")

# Half the prisbasbelopp per year (reference table, RB 1 kap. 3 d §).
THRESHOLDS = {2023: D("26250"), 2024: D("28650"), 2025: D("29400"), 2026: D("29600")}


def _cases():
    for year, threshold in THRESHOLDS.items():
        yield pytest.param(year, threshold, Track.SIMPLIFIED, id=f"RB 1:3d {year} exactly half pbb {threshold} -> FT")
        yield pytest.param(year, threshold - ORE, Track.SIMPLIFIED, id=f"RB 1:3d {year} one öre under -> FT")
        yield pytest.param(year, threshold + ORE, Track.ORDINARY, id=f"RB 1:3d {year} one öre over -> ordinary")


@pytest.mark.parametrize(("year", "value", "track"), list(_cases()))
def test_threshold_boundaries(year, value, track):
    decision = choose_track(value, date(year, 9, 15))
    assert decision.track is track
    assert decision.threshold == THRESHOLDS[year]
    assert decision.prisbasbelopp == THRESHOLDS[year] * 2
    assert decision.value == value


def test_reason_simplified_text():
    decision = choose_track(D("18400"), date(2026, 3, 2))
    n = NBSP
    assert decision.reason == (
        f"Förenklat tvistemål: värdet 18{n}400,00{n}kr är högst halva prisbasbeloppet för 2026 "
        f"(59{n}200{n}kr / 2 = 29{n}600{n}kr), RB 1 kap. 3 d §."
    )


def test_reason_ordinary_text_names_the_excess():
    decision = choose_track(D("29600.01"), date(2026, 3, 2))
    plain = decision.reason.replace(NBSP, " ")
    assert plain == (
        "Ordinärt tvistemål: värdet 29 600,01 kr överstiger halva prisbasbeloppet för 2026 "
        "(59 200 kr / 2 = 29 600 kr), RB 1 kap. 3 d §."
    )


def test_reason_uses_valuation_year():
    plain = choose_track(D("25000"), date(2023, 12, 31)).reason.replace(NBSP, " ")
    assert "för 2023 (52 500 kr / 2 = 26 250 kr)" in plain
    assert choose_track(D("27000"), date(2023, 12, 31)).track is Track.ORDINARY
    assert choose_track(D("27000"), date(2024, 1, 1)).track is Track.SIMPLIFIED


def test_test_case_forces_ordinary():
    decision = choose_track(D("5000"), date(2026, 3, 2), test_case=True)
    assert decision.track is Track.ORDINARY
    assert decision.test_case is True
    assert "synnerlig betydelse" in decision.reason
    assert "3 d § andra stycket" in decision.reason


def test_missing_prisbasbelopp_year_raises():
    with pytest.raises(LawDataMissing) as info:
        choose_track(D("1000"), date(2027, 1, 4))
    assert "app/law/data/prisbasbelopp.toml" in str(info.value)
    assert "2027-01-01" in str(info.value)


def test_negative_value_raises():
    with pytest.raises(ValueError):
        choose_track(D("-0.01"), date(2026, 1, 1))


def test_track_labels():
    assert Track.SIMPLIFIED.label == "förenklat tvistemål"
    assert Track.ORDINARY.label == "ordinärt tvistemål"
    assert Track.SIMPLIFIED.short_label == "FT-mål"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        pytest.param({"capital": D("20000")}, D("20000.00"), id="RB 1:3d capital only"),
        pytest.param({"capital": D("20000"), "accrued_interest": D("1234.56")}, D("21234.56"), id="NJA 1984 s. 290 interest accrued before filing counts"),
        pytest.param({"capital": D("20000"), "setoff": D("9000")}, D("29000.00"), id="NJA 1990 s. 770 early set-off objection is added"),
        pytest.param({"capital": D("0.004"), "accrued_interest": D("0.001")}, D("0.01"), id="rounded to öre half up"),
    ],
)
def test_claim_value(kwargs, expected):
    assert claim_value(**kwargs) == expected


def test_claim_value_with_setoff_can_change_track():
    # 20 000 + 9 700 = 29 700 > 29 600 in 2026 -> ordinary.
    value = claim_value(D("20000"), setoff=D("9700"))
    assert choose_track(value, date(2026, 5, 1)).track is Track.ORDINARY
    assert choose_track(claim_value(D("20000")), date(2026, 5, 1)).track is Track.SIMPLIFIED


def test_claim_value_rejects_negative_and_float():
    with pytest.raises(ValueError):
        claim_value(D("100"), accrued_interest=D("-1"))
    with pytest.raises(TypeError):
        claim_value(100.5)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(
    a=st.decimals(min_value=0, max_value=200_000, places=2, allow_nan=False, allow_infinity=False),
    b=st.decimals(min_value=0, max_value=200_000, places=2, allow_nan=False, allow_infinity=False),
    year=st.integers(2015, 2026),
)
def test_choose_track_is_monotone(a, b, year):
    low, high = sorted((a, b))
    when = date(year, 6, 1)
    if choose_track(low, when).track is Track.ORDINARY:
        assert choose_track(high, when).track is Track.ORDINARY
    if choose_track(high, when).track is Track.SIMPLIFIED:
        assert choose_track(low, when).track is Track.SIMPLIFIED


@pytest.mark.parametrize(
    ("amount", "kwargs", "expected"),
    [
        pytest.param(D("12345.5"), {}, "12 345,50 kr", id="format thousands and öre"),
        pytest.param(D("0"), {}, "0,00 kr", id="format zero"),
        pytest.param(D("999.995"), {}, "1 000,00 kr", id="format rounds half up to öre"),
        pytest.param(D("1234567.891"), {}, "1 234 567,89 kr", id="format millions"),
        pytest.param(D("-1234"), {}, "-1 234,00 kr", id="format negative"),
        pytest.param(D("59200"), {"whole_kronor": True}, "59 200 kr", id="format whole kronor"),
        pytest.param(D("29600.50"), {"whole_kronor": True}, "29 600,50 kr", id="format whole kronor keeps öre when present"),
        pytest.param(100, {}, "100,00 kr", id="format int"),
    ],
)
def test_format_sek(amount, kwargs, expected):
    result = format_sek(amount, **kwargs)
    assert " " not in result  # only no-break spaces
    assert result.replace(NBSP, " ") == expected


def test_format_sek_refuses_float():
    with pytest.raises(TypeError):
        format_sek(1.5)  # type: ignore[arg-type]


def test_format_percent_and_number():
    assert format_percent(D("10.5")).replace(NBSP, " ") == "10,50 %"
    assert format_number(D("-0.5"), decimals=2) == "-0,50"
    assert format_number(D("1000"), decimals=0).replace(NBSP, " ") == "1 000"
