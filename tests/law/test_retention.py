from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.law.errors import LawDataMissing
from app.law.retention import bookkeeping_retained_until


def test_kept_through_the_seventh_year_after_the_calendar_year():
    assert bookkeeping_retained_until(date(2026, 1, 1)) == date(2033, 12, 31)
    assert bookkeeping_retained_until(date(2026, 12, 31)) == date(2033, 12, 31)


@given(st.dates(min_value=date(2015, 1, 1), max_value=date(2090, 12, 30)))
def test_a_later_event_is_never_kept_for_a_shorter_time(day):
    assert bookkeeping_retained_until(day + timedelta(days=1)) >= bookkeeping_retained_until(day)
    assert bookkeeping_retained_until(day) - day > timedelta(days=7 * 365)


def test_before_the_table_starts_it_is_an_error_not_a_guess():
    with pytest.raises(LawDataMissing):
        bookkeeping_retained_until(date(2010, 5, 1))
