"""Preskription under preskriptionslag (1981:130) 2 and 5-7 §§, counted under lag (1930:173) 1 §."""
from __future__ import annotations

from datetime import date

import pytest

from app.law.errors import LawDataMissing
from app.law.limitation import (
    interrupted,
    limitation_after_interruptions,
    limitation_date,
    limitation_status,
)


@pytest.mark.parametrize(
    ("start", "consumer", "expected"),
    [
        pytest.param(date(2023, 3, 15), True, date(2026, 3, 15), id="preskriptionslag 2§ 2st consumer 3 years (Sunday, not moved)"),
        pytest.param(date(2023, 3, 15), False, date(2033, 3, 15), id="preskriptionslag 2§ 1st business 10 years"),
        pytest.param(date(2016, 2, 29), False, date(2026, 2, 28), id="1930:173 1§ 29 Feb + 10 years -> 28 Feb"),
        pytest.param(date(2021, 2, 28), True, date(2024, 2, 28), id="1930:173 1§ 28 Feb + 3 years -> 28 Feb (leap year)"),
    ],
)
def test_limitation_date(start, consumer, expected):
    assert limitation_date(start, consumer_claim=consumer) == expected


def test_interruption_restarts_same_length():
    assert interrupted(date(2025, 6, 30), consumer_claim=True) == date(2028, 6, 30)
    assert interrupted(date(2025, 6, 30), consumer_claim=False) == date(2035, 6, 30)


@pytest.mark.parametrize(
    ("start", "interruptions", "consumer", "expected"),
    [
        pytest.param(
            date(2020, 1, 10), [date(2022, 6, 1), date(2021, 3, 1)], True, date(2025, 6, 1),
            id="preskriptionslag 5-6§§ latest interruption governs (unsorted input)",
        ),
        pytest.param(
            date(2020, 1, 10), [date(2023, 1, 10)], True, date(2026, 1, 10),
            id="preskriptionslag 5§ interruption on the limitation day itself counts",
        ),
        pytest.param(
            date(2018, 1, 10), [date(2021, 2, 1)], True, date(2021, 1, 10),
            id="preskriptionslag 5§ interruption after expiry does not revive",
        ),
        pytest.param(
            date(2018, 1, 10), [date(2020, 5, 5), date(2023, 4, 1), date(2024, 1, 1)], True, date(2027, 1, 1),
            id="preskriptionslag 6§ chain of timely interruptions",
        ),
        pytest.param(
            date(2018, 1, 10), [date(2020, 5, 5), date(2023, 6, 1), date(2024, 1, 1)], True, date(2023, 5, 5),
            id="preskriptionslag 6§ chain broken: later ones are late",
        ),
        pytest.param(date(2015, 6, 1), [], False, date(2025, 6, 1), id="no interruptions: 10 years"),
    ],
)
def test_limitation_after_interruptions(start, interruptions, consumer, expected):
    assert limitation_after_interruptions(start, interruptions, consumer_claim=consumer) == expected


def test_status_lists_late_interruptions():
    status = limitation_status(date(2018, 1, 10), [date(2020, 5, 5), date(2023, 6, 1)], consumer_claim=True)
    assert status.effective_interruptions == (date(2020, 5, 5),)
    assert status.late_interruptions == (date(2023, 6, 1),)
    assert status.is_time_barred(date(2023, 5, 6))
    assert not status.is_time_barred(date(2023, 5, 5))


def test_interruption_before_start_raises():
    with pytest.raises(ValueError):
        limitation_after_interruptions(date(2020, 1, 1), [date(2019, 12, 31)], consumer_claim=True)


def test_start_before_table_raises():
    with pytest.raises(LawDataMissing, match="time_limits.toml"):
        limitation_date(date(2014, 5, 1), consumer_claim=True)
