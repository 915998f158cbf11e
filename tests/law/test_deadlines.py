"""Time limits counted under lag (1930:173) 1-2 §§ and the named limits of RB, BFL and god inkassosed."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.law.calendar import is_business_day
from app.law.deadlines import (
    add_months,
    answer_deadline,
    appeal_deadline,
    final_on,
    inkassokrav_due,
    monitoring_next_check,
    period_end,
    raw_period_end,
    transfer_request_deadline,
    tredskodom_reopening_deadline,
    utslag_appeal_deadline,
    utslag_reopening_deadline,
)
from app.law.errors import LawDataMissing


@pytest.mark.parametrize(
    ("start", "kwargs", "expected"),
    [
        # 2026-05-29 (Fri) + 3 weeks = Fri 19 June = midsommarafton; 20 midsommardagen, 21 Sunday.
        pytest.param(date(2026, 5, 29), {"weeks": 3}, date(2026, 6, 22), id="1930:173 2§ midsommarafton 2026-06-19 -> 2026-06-22"),
        # 2025-12-03 (Wed) + 3 weeks = Wed 24 Dec julafton; 25-26 holidays, 27-28 weekend.
        pytest.param(date(2025, 12, 3), {"weeks": 3}, date(2025, 12, 29), id="1930:173 2§ julafton 2025-12-24 -> 2025-12-29"),
        # 2025-12-10 (Wed) + 3 weeks = Wed 31 Dec nyårsafton; 1 Jan nyårsdagen -> Fri 2 Jan.
        pytest.param(date(2025, 12, 10), {"weeks": 3}, date(2026, 1, 2), id="1930:173 2§ nyårsafton 2025-12-31 -> 2026-01-02"),
        # 2025-11-30 + 1 month = 30 Dec (a Tuesday, a business day): stays.
        pytest.param(date(2025, 11, 30), {"months": 1}, date(2025, 12, 30), id="1930:173 1§ 2025-11-30 + 1 month -> 2025-12-30"),
        # 2026-03-16 (Mon) + 3 weeks = Mon 6 April annandag påsk -> Tue 7 April.
        pytest.param(date(2026, 3, 16), {"weeks": 3}, date(2026, 4, 7), id="1989:253 annandag påsk 2026-04-06 -> 2026-04-07"),
        # 2026-03-03 + 1 month = Fri 3 April långfredagen; 4 Sat, 5 påskdagen, 6 annandag -> 7 April.
        pytest.param(date(2026, 3, 3), {"months": 1}, date(2026, 4, 7), id="1989:253 långfredagen 2026-04-03 -> 2026-04-07"),
        # 2026-02-14 (Sat) + 3 weeks = Sat 7 March -> Mon 9 March.
        pytest.param(date(2026, 2, 14), {"weeks": 3}, date(2026, 3, 9), id="1930:173 2§ Saturday 2026-03-07 -> 2026-03-09"),
        pytest.param(date(2026, 2, 15), {"weeks": 3}, date(2026, 3, 9), id="1930:173 2§ Sunday 2026-03-08 -> 2026-03-09"),
        pytest.param(date(2026, 4, 23), {"weeks": 3}, date(2026, 5, 15), id="1989:253 Kristi himmelsfärdsdag 2026-05-14 -> 2026-05-15"),
        pytest.param(date(2025, 5, 16), {"weeks": 3}, date(2025, 6, 9), id="1989:253 nationaldagen 2025-06-06 -> 2025-06-09"),
        pytest.param(date(2025, 12, 16), {"weeks": 3}, date(2026, 1, 7), id="1989:253 trettondedag jul 2026-01-06 -> 2026-01-07"),
        pytest.param(date(2026, 4, 10), {"weeks": 3}, date(2026, 5, 4), id="1989:253 första maj 2026-05-01 (Fri) -> 2026-05-04"),
        # Month ends (1 §: the last day of the month when the date does not exist).
        pytest.param(date(2024, 1, 31), {"months": 1}, date(2024, 2, 29), id="1930:173 1§ 2024-01-31 + 1 month -> 2024-02-29 (leap year)"),
        pytest.param(date(2025, 1, 31), {"months": 1}, date(2025, 2, 28), id="1930:173 1§ 2025-01-31 + 1 month -> 2025-02-28"),
        pytest.param(date(2026, 1, 31), {"months": 1}, date(2026, 3, 2), id="1930:173 1§+2§ 2026-01-31 + 1 month -> Sat 2026-02-28 -> 2026-03-02"),
        pytest.param(date(2025, 8, 31), {"months": 1}, date(2025, 9, 30), id="1930:173 1§ 2025-08-31 + 1 month -> 2025-09-30"),
        pytest.param(date(2025, 3, 31), {"months": 1}, date(2025, 4, 30), id="1930:173 1§ 2025-03-31 + 1 month -> 2025-04-30"),
        pytest.param(date(2025, 2, 28), {"months": 1}, date(2025, 3, 28), id="1930:173 1§ 2025-02-28 + 1 month -> 2025-03-28 (not month end)"),
        pytest.param(date(2024, 2, 29), {"years": 1}, date(2025, 2, 28), id="1930:173 1§ 2024-02-29 + 1 year -> 2025-02-28"),
        pytest.param(date(2026, 3, 10), {"days": 10}, date(2026, 3, 20), id="days: 2026-03-10 + 10 days -> 2026-03-20"),
        pytest.param(date(2026, 3, 9), {"weeks": 1}, date(2026, 3, 16), id="1930:173 1§ one week ends on the same weekday"),
        pytest.param(date(2026, 3, 9), {}, date(2026, 3, 9), id="zero-length period on a business day"),
    ],
)
def test_period_end(start, kwargs, expected):
    assert period_end(start, **kwargs) == expected


def test_raw_period_end_does_not_roll():
    assert raw_period_end(date(2026, 5, 29), weeks=3) == date(2026, 6, 19)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        pytest.param({"days": -1}, ValueError, id="negative days"),
        pytest.param({"months": -1}, ValueError, id="negative months"),
        pytest.param({"weeks": 1.5}, TypeError, id="fractional weeks"),
    ],
)
def test_period_end_rejects_bad_lengths(kwargs, error):
    with pytest.raises(error):
        period_end(date(2026, 1, 1), **kwargs)


def test_add_months_across_years():
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
    assert add_months(date(2023, 12, 31), 2) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("function", "trigger", "expected"),
    [
        # 3 weeks from Fri 29 May 2026 = midsommarafton -> Mon 22 June.
        pytest.param(appeal_deadline, date(2026, 5, 29), date(2026, 6, 22), id="RB 50:1 appeal 3 weeks, midsommarafton -> 2026-06-22"),
        pytest.param(appeal_deadline, date(2026, 3, 4), date(2026, 3, 25), id="RB 50:1 appeal 3 weeks 2026-03-04 -> 2026-03-25"),
        pytest.param(final_on, date(2026, 3, 4), date(2026, 3, 26), id="RB 50:1 laga kraft the day after the appeal deadline"),
        pytest.param(final_on, date(2026, 5, 29), date(2026, 6, 23), id="RB 50:1 laga kraft after a moved deadline"),
        pytest.param(utslag_reopening_deadline, date(2026, 1, 31), date(2026, 3, 2), id="BFL återvinning 1 month from utslag, month end + Saturday"),
        pytest.param(utslag_appeal_deadline, date(2025, 12, 3), date(2025, 12, 29), id="BFL 55§ appeal of utslag 3 weeks, julafton -> 2025-12-29"),
        pytest.param(tredskodom_reopening_deadline, date(2025, 11, 24), date(2025, 12, 29), id="RB 44:9 återvinning 1 month from service, julafton -> 2025-12-29"),
        pytest.param(transfer_request_deadline, date(2026, 3, 9), date(2026, 4, 7), id="BFL 35§ transfer request 4 weeks, annandag påsk -> 2026-04-07"),
        pytest.param(answer_deadline, date(2026, 6, 9), date(2026, 6, 22), id="BFL 25§ förklaringstid 10 days, midsommarafton -> 2026-06-22"),
        pytest.param(inkassokrav_due, date(2026, 3, 2), date(2026, 3, 10), id="god inkassosed 8 days 2026-03-02 -> 2026-03-10"),
        pytest.param(inkassokrav_due, date(2026, 3, 6), date(2026, 3, 16), id="god inkassosed 8 days ending Saturday -> Monday"),
        pytest.param(monitoring_next_check, date(2026, 3, 31), date(2026, 6, 30), id="efterbevakning 3 months (practice) 2026-03-31 -> 2026-06-30"),
    ],
)
def test_named_limits(function, trigger, expected):
    assert function(trigger) == expected


def test_answer_deadline_with_explicit_days():
    # Kronofogden set 14 days: 2026-06-05 + 14 = Fri 19 June midsommarafton -> Mon 22 June.
    assert answer_deadline(date(2026, 6, 5), days=14) == date(2026, 6, 22)
    with pytest.raises(ValueError):
        answer_deadline(date(2026, 6, 5), days=0)


def test_named_limit_before_table_raises():
    with pytest.raises(LawDataMissing, match="time_limits.toml"):
        appeal_deadline(date(2014, 12, 31))


starts = st.dates(min_value=date(2015, 1, 1), max_value=date(2060, 12, 31))
lengths = st.fixed_dictionaries(
    {
        "days": st.integers(0, 60),
        "weeks": st.integers(0, 8),
        "months": st.integers(0, 24),
    }
)


@settings(max_examples=300, deadline=None)
@given(starts, lengths)
def test_period_end_is_a_business_day_not_before_raw_end(start, kwargs):
    raw = raw_period_end(start, **kwargs)
    end = period_end(start, **kwargs)
    assert is_business_day(end)
    assert end >= raw
    # the move is to the *first* business day: every day in between is a non-business day
    probe = raw
    while probe < end:
        assert not is_business_day(probe)
        probe += timedelta(days=1)


@settings(max_examples=200, deadline=None)
@given(starts, st.integers(1, 36))
def test_month_period_keeps_date_or_month_end(start, months):
    raw = raw_period_end(start, months=months)
    assert (raw.year * 12 + raw.month) - (start.year * 12 + start.month) == months
    if raw.day != start.day:
        assert raw.day < start.day
        assert (raw + timedelta(days=1)).day == 1  # clamped to the last day of the month
