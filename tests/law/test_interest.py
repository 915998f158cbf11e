"""Dröjsmålsränta under räntelag (1975:635) 3, 4, 6 and 9 §§."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.law.errors import LawDataMissing
from app.law.interest import (
    InterestPeriod,
    interest_start,
    late_interest,
    late_interest_rate,
    reference_rate,
)

D = Decimal


@pytest.mark.parametrize(
    ("day", "rate"),
    [
        pytest.param(date(2015, 1, 1), D("0.00"), id="räntelag 9§ first half-year 2015-01-01 -> 0.00"),
        pytest.param(date(2016, 6, 30), D("0.00"), id="räntelag 9§ last day of H1 2016 -> 0.00"),
        pytest.param(date(2016, 7, 1), D("-0.50"), id="räntelag 9§ H2 2016 negative -> -0.50"),
        pytest.param(date(2019, 6, 30), D("-0.50"), id="räntelag 9§ H1 2019 -> -0.50"),
        pytest.param(date(2019, 7, 1), D("0.00"), id="räntelag 9§ H2 2019 -> 0.00"),
        pytest.param(date(2022, 7, 1), D("0.50"), id="räntelag 9§ H2 2022 -> 0.50"),
        pytest.param(date(2023, 1, 1), D("2.50"), id="räntelag 9§ H1 2023 -> 2.50"),
        pytest.param(date(2024, 12, 31), D("4.00"), id="räntelag 9§ H2 2024 -> 4.00"),
        pytest.param(date(2025, 1, 8), D("3.00"), id="räntelag 9§ H1 2025 -> 3.00 (cut on 8 Jan does not count)"),
        pytest.param(date(2026, 3, 1), D("2.00"), id="räntelag 9§ H1 2026 -> 2.00"),
        pytest.param(date(2026, 12, 31), D("2.00"), id="räntelag 9§ H2 2026 (to_verify) -> 2.00"),
    ],
)
def test_reference_rate(day, rate):
    assert reference_rate(day) == rate


@pytest.mark.parametrize(
    "day",
    [
        pytest.param(date(2014, 12, 31), id="räntelag 9§ before the first half-year raises"),
        pytest.param(date(2027, 1, 15), id="räntelag 9§ half-year 2027 H1 without entry raises"),
        pytest.param(date(2030, 7, 1), id="räntelag 9§ far future raises"),
    ],
)
def test_reference_rate_missing_half_year(day):
    with pytest.raises(LawDataMissing) as info:
        reference_rate(day)
    message = str(info.value)
    assert "app/law/data/referensranta.toml" in message
    start = date(day.year, 1 if day.month <= 6 else 7, 1)
    assert f"valid_from = {start.isoformat()}" in message


def test_negative_reference_rate_gives_lower_late_rate():
    # räntelag 6§: -0.50 + 8 = 7.50
    assert late_interest_rate(date(2017, 3, 1)) == D("7.50")


@pytest.mark.parametrize(
    ("principal", "start", "end", "expected_periods", "expected_total"),
    [
        pytest.param(
            # 2023-06-01..2023-07-01: 30 days at 2.50 + 8 = 10.50 %:
            #   10 000 × 10.50 % × 30 / 365 = 31 500 / 365 = 86.3013… -> 86.30
            # 2023-07-01..2023-08-01: 31 days at 3.50 + 8 = 11.50 %:
            #   10 000 × 11.50 % × 31 / 365 = 35 650 / 365 = 97.6712… -> 97.67
            # total 86.30 + 97.67 = 183.97
            D("10000"), date(2023, 6, 1), date(2023, 8, 1),
            [(date(2023, 6, 1), date(2023, 7, 1), D("10.50"), 30, D("86.30")),
             (date(2023, 7, 1), date(2023, 8, 1), D("11.50"), 31, D("97.67"))],
            D("183.97"),
            id="räntelag 6§ across referensränta change 2023-07-01",
        ),
        pytest.param(
            # 2016-05-01..2016-07-01: 61 days at 0.00 + 8 = 8.00 %:
            #   25 000 × 8 % × 61 / 365 = 122 000 / 365 = 334.2465… -> 334.25
            # 2016-07-01..2016-09-01: 62 days at -0.50 + 8 = 7.50 %:
            #   25 000 × 7.5 % × 62 / 365 = 116 250 / 365 = 318.4931… -> 318.49
            # total 652.74
            D("25000"), date(2016, 5, 1), date(2016, 9, 1),
            [(date(2016, 5, 1), date(2016, 7, 1), D("8.00"), 61, D("334.25")),
             (date(2016, 7, 1), date(2016, 9, 1), D("7.50"), 62, D("318.49"))],
            D("652.74"),
            id="räntelag 6§ into negative referensränta 2016-07-01",
        ),
        pytest.param(
            # 2024-12-15..2025-01-01: 17 days at 4.00 + 8 = 12 %: 10 000 × 12 % × 17/365 = 20 400/365 = 55.8904… -> 55.89
            # 2025-01-01..2025-01-15: 14 days at 3.00 + 8 = 11 %: 10 000 × 11 % × 14/365 = 15 400/365 = 42.1917… -> 42.19
            # total 98.08
            D("10000"), date(2024, 12, 15), date(2025, 1, 15),
            [(date(2024, 12, 15), date(2025, 1, 1), D("12.00"), 17, D("55.89")),
             (date(2025, 1, 1), date(2025, 1, 15), D("11.00"), 14, D("42.19"))],
            D("98.08"),
            id="räntelag 6§ across the year end 2024/2025",
        ),
        pytest.param(
            # Both halves of 2017 have -0.50 -> one period of 365 days at 7.50 %: 10 000 × 7.5 % = 750.00
            D("10000"), date(2017, 1, 1), date(2018, 1, 1),
            [(date(2017, 1, 1), date(2018, 1, 1), D("7.50"), 365, D("750.00"))],
            D("750.00"),
            id="räntelag 6§ equal half-years merge into one period",
        ),
        pytest.param(
            # 2024 is a leap year but the convention is /365: 366 days at 12 %:
            # 1 000 × 12 % × 366 / 365 = 43 920 / 365 = 120.3287… -> 120.33 (both halves 4.00)
            D("1000"), date(2024, 1, 1), date(2025, 1, 1),
            [(date(2024, 1, 1), date(2025, 1, 1), D("12.00"), 366, D("120.33"))],
            D("120.33"),
            id="räntelag 6§ leap year 366 days over 365",
        ),
        pytest.param(
            # Half-up rounding: 18.25 × 10 % × 1 / 365 = 1.825 / 365 = 0.005 exactly -> 0.01 (not 0.00)
            D("18.25"), date(2025, 8, 1), date(2025, 8, 2),
            [(date(2025, 8, 1), date(2025, 8, 2), D("10.00"), 1, D("0.01"))],
            D("0.01"),
            id="rounding ROUND_HALF_UP 0.005 -> 0.01",
        ),
    ],
)
def test_late_interest_hand_computed(principal, start, end, expected_periods, expected_total):
    result = late_interest(principal, start, end)
    assert [(p.start, p.end, p.rate, p.days, p.amount) for p in result.periods] == expected_periods
    assert result.total == expected_total
    assert result.principal == principal
    assert result.convention == "Enkel ränta, faktiska dagar/365, referensränta + 8 procentenheter (räntelagen 6 §)"


def test_interest_period_last_day_is_inclusive_end():
    result = late_interest(D("10000"), date(2023, 6, 1), date(2023, 8, 1))
    assert result.periods[0].last_day == date(2023, 6, 30)
    assert result.periods[0].end_inclusive == date(2023, 6, 30)
    assert result.last_day == date(2023, 7, 31)
    assert result.days == 61


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param(date(2025, 3, 1), date(2025, 3, 1), id="empty interval start == end"),
        pytest.param(date(2025, 3, 2), date(2025, 3, 1), id="reversed interval start > end"),
    ],
)
def test_empty_interval_is_zero(start, end):
    result = late_interest(D("5000"), start, end)
    assert result.periods == ()
    assert result.total == D("0.00")


def test_negative_principal_raises():
    with pytest.raises(ValueError):
        late_interest(D("-1"), date(2025, 1, 1), date(2025, 2, 1))


def test_float_principal_is_refused():
    with pytest.raises(TypeError):
        late_interest(100.0, date(2025, 1, 1), date(2025, 2, 1))  # type: ignore[arg-type]


def test_interest_past_table_end_raises():
    with pytest.raises(LawDataMissing, match="referensranta.toml"):
        late_interest(D("1000"), date(2026, 12, 1), date(2027, 2, 1))


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        pytest.param({"due_date": date(2026, 2, 27)}, date(2026, 2, 27), id="räntelag 3§ agreed due date: from the due date"),
        pytest.param(
            {"due_date": date(2026, 2, 27), "served_date": date(2026, 5, 4)}, date(2026, 2, 27),
            id="räntelag 3§ due date earlier than service",
        ),
        pytest.param(
            {"invoice_or_demand_date": date(2026, 1, 15), "warned_of_interest": True}, date(2026, 2, 14),
            id="räntelag 4§ 1st 30 days after a demand that warned of interest",
        ),
        pytest.param(
            {"invoice_or_demand_date": date(2026, 1, 15), "business_debtor": True}, date(2026, 2, 14),
            id="räntelag 4§ 1st no warning needed for a business debtor",
        ),
        pytest.param(
            {"invoice_or_demand_date": date(2026, 1, 15)}, None,
            id="räntelag 4§ 1st consumer without warning: no interest yet",
        ),
        pytest.param(
            {"invoice_or_demand_date": date(2026, 1, 15), "served_date": date(2026, 3, 10)}, date(2026, 3, 10),
            id="räntelag 4§ 3rd at the latest from service of the betalningsföreläggande",
        ),
        pytest.param(
            {"invoice_or_demand_date": date(2026, 1, 15), "warned_of_interest": True, "served_date": date(2026, 2, 1)},
            date(2026, 2, 1),
            id="räntelag 4§ 3rd service before day 30 starts interest earlier",
        ),
        pytest.param({"served_date": date(2026, 3, 10)}, date(2026, 3, 10), id="räntelag 4§ 3rd service alone"),
        pytest.param({}, None, id="nothing applies -> None"),
    ],
)
def test_interest_start(kwargs, expected):
    assert interest_start(**kwargs) == expected


@settings(max_examples=200, deadline=None)
@given(
    principal=st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False, allow_infinity=False),
    start=st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 12, 1)),
    first=st.integers(0, 900),
    second=st.integers(0, 900),
)
def test_interest_is_additive_up_to_rounding(principal, start, first, second):
    limit = date(2027, 1, 1)
    middle = min(start + timedelta(days=first), limit)
    end = min(middle + timedelta(days=second), limit)
    whole = late_interest(principal, start, end)
    left = late_interest(principal, start, middle)
    right = late_interest(principal, middle, end)
    # Each rate period's amount is rounded to öre, so each side may be off by half an öre per period.
    bound = D("0.01") * (len(whole.periods) + len(left.periods) + len(right.periods))
    assert abs(whole.total - (left.total + right.total)) <= bound
    assert whole.days == left.days + right.days


@settings(max_examples=100, deadline=None)
@given(
    principal=st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False, allow_infinity=False),
    start=st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 12, 1)),
    days=st.integers(1, 700),
)
def test_periods_tile_the_interval(principal, start, days):
    end = min(start + timedelta(days=days), date(2027, 1, 1))
    result = late_interest(principal, start, end)
    assert result.periods[0].start == start
    assert result.periods[-1].end == end
    for left, right in zip(result.periods, result.periods[1:]):
        assert left.end == right.start
        assert left.rate != right.rate
    assert result.total == sum((p.amount for p in result.periods), D("0"))
    assert all(isinstance(p, InterestPeriod) for p in result.periods)
