"""Business days: lag (1989:253) om allmänna helgdagar and lag (1930:173) 2 §."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.law.calendar import (
    holidays_in,
    is_business_day,
    next_business_day,
    non_business_reason,
    previous_business_day,
    roll_forward,
)

# The statutory non-business days (other than ordinary weekends), typed in from the statutes'
# rules and a printed calendar, for three years. Names as in lag 1989:253 1 § / lag 1930:173 2 §.
STATUTE_2024 = {
    date(2024, 1, 1): "Nyårsdagen",
    date(2024, 1, 6): "Trettondedag jul",
    date(2024, 3, 29): "Långfredagen",
    date(2024, 3, 31): "Påskdagen",
    date(2024, 4, 1): "Annandag påsk",
    date(2024, 5, 1): "Första maj",
    date(2024, 5, 9): "Kristi himmelsfärdsdag",
    date(2024, 5, 19): "Pingstdagen",
    date(2024, 6, 6): "Nationaldagen",
    date(2024, 6, 21): "Midsommarafton",
    date(2024, 6, 22): "Midsommardagen",
    date(2024, 11, 2): "Alla helgons dag",
    date(2024, 12, 24): "Julafton",
    date(2024, 12, 25): "Juldagen",
    date(2024, 12, 26): "Annandag jul",
    date(2024, 12, 31): "Nyårsafton",
}
STATUTE_2025 = {
    date(2025, 1, 1): "Nyårsdagen",
    date(2025, 1, 6): "Trettondedag jul",
    date(2025, 4, 18): "Långfredagen",
    date(2025, 4, 20): "Påskdagen",
    date(2025, 4, 21): "Annandag påsk",
    date(2025, 5, 1): "Första maj",
    date(2025, 5, 29): "Kristi himmelsfärdsdag",
    date(2025, 6, 6): "Nationaldagen",
    date(2025, 6, 8): "Pingstdagen",
    date(2025, 6, 20): "Midsommarafton",
    date(2025, 6, 21): "Midsommardagen",
    date(2025, 11, 1): "Alla helgons dag",
    date(2025, 12, 24): "Julafton",
    date(2025, 12, 25): "Juldagen",
    date(2025, 12, 26): "Annandag jul",
    date(2025, 12, 31): "Nyårsafton",
}
STATUTE_2026 = {
    date(2026, 1, 1): "Nyårsdagen",
    date(2026, 1, 6): "Trettondedag jul",
    date(2026, 4, 3): "Långfredagen",
    date(2026, 4, 5): "Påskdagen",
    date(2026, 4, 6): "Annandag påsk",
    date(2026, 5, 1): "Första maj",
    date(2026, 5, 14): "Kristi himmelsfärdsdag",
    date(2026, 5, 24): "Pingstdagen",
    date(2026, 6, 6): "Nationaldagen",
    date(2026, 6, 19): "Midsommarafton",
    date(2026, 6, 20): "Midsommardagen",
    date(2026, 10, 31): "Alla helgons dag",
    date(2026, 12, 24): "Julafton",
    date(2026, 12, 25): "Juldagen",
    date(2026, 12, 26): "Annandag jul",
    date(2026, 12, 31): "Nyårsafton",
}


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        pytest.param(2024, STATUTE_2024, id="1989:253 + 1930:173 2§ calendar 2024"),
        pytest.param(2025, STATUTE_2025, id="1989:253 + 1930:173 2§ calendar 2025"),
        pytest.param(2026, STATUTE_2026, id="1989:253 + 1930:173 2§ calendar 2026"),
    ],
)
def test_holidays_match_statute(year, expected):
    assert holidays_in(year) == expected


def _easter(year: int) -> date:
    """Easter Sunday, anonymous Gregorian algorithm (independent of the holidays package)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _first_saturday_from(start: date) -> date:
    return start + timedelta(days=(5 - start.weekday()) % 7)


def statutory_days(year: int) -> set[date]:
    """The non-business days of lag 1989:253 1 § and lag 1930:173 2 §, from the statutes' rules."""
    easter = _easter(year)
    midsommardagen = _first_saturday_from(date(year, 6, 20))  # lördagen 20-26 juni
    return {
        date(year, 1, 1),
        date(year, 1, 6),
        easter - timedelta(days=2),  # långfredagen
        easter,
        easter + timedelta(days=1),  # annandag påsk
        easter + timedelta(days=39),  # Kristi himmelsfärdsdag, sjätte torsdagen efter påsk
        easter + timedelta(days=49),  # pingstdagen, sjunde söndagen efter påsk
        date(year, 5, 1),
        date(year, 6, 6),
        midsommardagen,
        midsommardagen - timedelta(days=1),  # midsommarafton
        _first_saturday_from(date(year, 10, 31)),  # alla helgons dag, lördagen 31 okt - 6 nov
        date(year, 12, 24),
        date(year, 12, 25),
        date(year, 12, 26),
        date(year, 12, 31),
    }


@pytest.mark.parametrize("year", range(2005, 2101), ids=lambda y: f"1989:253 rules vs holidays pkg {y}")
def test_holidays_package_matches_statutory_rules(year):
    assert set(holidays_in(year)) == statutory_days(year)


def test_coinciding_holidays_are_both_named():
    # 2008: Kristi himmelsfärdsdag (easter 23 March + 39 days) fell on 1 May.
    assert holidays_in(2008)[date(2008, 5, 1)] == "Första maj; Kristi himmelsfärdsdag"


@pytest.mark.parametrize(
    ("day", "business"),
    [
        pytest.param(date(2026, 6, 19), False, id="1930:173 2§ midsommarafton 2026-06-19 not a business day"),
        pytest.param(date(2025, 12, 24), False, id="1930:173 2§ julafton 2025-12-24 not a business day"),
        pytest.param(date(2025, 12, 31), False, id="1930:173 2§ nyårsafton 2025-12-31 not a business day"),
        pytest.param(date(2026, 4, 6), False, id="1989:253 annandag påsk 2026-04-06"),
        pytest.param(date(2026, 4, 3), False, id="1989:253 långfredagen 2026-04-03"),
        pytest.param(date(2026, 5, 14), False, id="1989:253 Kristi himmelsfärdsdag 2026-05-14"),
        pytest.param(date(2025, 6, 6), False, id="1989:253 nationaldagen 2025-06-06 (Friday)"),
        pytest.param(date(2026, 3, 7), False, id="1930:173 2§ Saturday 2026-03-07"),
        pytest.param(date(2026, 3, 8), False, id="1930:173 2§ Sunday 2026-03-08"),
        pytest.param(date(2025, 6, 9), True, id="annandag pingst 2025-06-09 is a business day since 2005"),
        pytest.param(date(2026, 4, 2), True, id="skärtorsdagen 2026-04-02 is a business day"),
        pytest.param(date(2026, 4, 30), True, id="valborgsmässoafton 2026-04-30 is a business day"),
        pytest.param(date(2026, 1, 5), True, id="trettondagsafton 2026-01-05 is a business day"),
        pytest.param(date(2026, 6, 18), True, id="day before midsommarafton 2026-06-18 is a business day"),
        pytest.param(date(2026, 3, 9), True, id="ordinary Monday 2026-03-09"),
    ],
)
def test_is_business_day(day, business):
    assert is_business_day(day) is business


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        pytest.param(date(2026, 6, 19), "Midsommarafton", id="reason midsommarafton"),
        pytest.param(date(2026, 3, 7), "lördag", id="reason Saturday"),
        pytest.param(date(2026, 3, 8), "söndag", id="reason Sunday"),
        pytest.param(date(2026, 6, 6), "Nationaldagen", id="reason holiday on a Saturday names the holiday"),
        pytest.param(date(2026, 3, 9), None, id="reason none on a business day"),
    ],
)
def test_non_business_reason(day, reason):
    assert non_business_reason(day) == reason


@pytest.mark.parametrize(
    ("day", "on_or_after", "strictly_after"),
    [
        pytest.param(date(2026, 6, 19), date(2026, 6, 22), date(2026, 6, 22), id="midsommarafton 2026 -> Mon 22 June"),
        pytest.param(date(2025, 12, 24), date(2025, 12, 29), date(2025, 12, 29), id="julafton 2025 -> Mon 29 Dec"),
        pytest.param(date(2025, 12, 31), date(2026, 1, 2), date(2026, 1, 2), id="nyårsafton 2025 -> Fri 2 Jan 2026"),
        pytest.param(date(2026, 4, 3), date(2026, 4, 7), date(2026, 4, 7), id="långfredagen 2026 -> Tue 7 April"),
        pytest.param(date(2026, 3, 9), date(2026, 3, 9), date(2026, 3, 10), id="business day: roll_forward keeps it, next moves"),
        pytest.param(date(2026, 3, 13), date(2026, 3, 13), date(2026, 3, 16), id="Friday: next business day is Monday"),
    ],
)
def test_roll_forward_and_next_business_day(day, on_or_after, strictly_after):
    assert roll_forward(day) == on_or_after
    assert next_business_day(day) == strictly_after


def test_previous_business_day_skips_easter():
    assert previous_business_day(date(2026, 4, 7)) == date(2026, 4, 2)


def test_years_before_2005_are_refused():
    with pytest.raises(ValueError, match="2005"):
        is_business_day(date(2004, 6, 6))


dates = st.dates(min_value=date(2005, 1, 1), max_value=date(2099, 12, 1))


@settings(max_examples=300, deadline=None)
@given(dates)
def test_next_business_day_is_later_business_day(day):
    result = next_business_day(day)
    assert result > day
    assert is_business_day(result)
    # and nothing in between is a business day
    probe = day + timedelta(days=1)
    while probe < result:
        assert not is_business_day(probe)
        probe += timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(dates)
def test_roll_forward_is_identity_on_business_days(day):
    result = roll_forward(day)
    assert is_business_day(result)
    assert result >= day
    assert (result == day) is is_business_day(day)
