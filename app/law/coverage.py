"""Which values the tables lack for the current and the coming period (warnings ahead of time).

A series with ``calendar_year`` coverage needs an entry for every year (1 January), one with
``half_year`` coverage an entry for every half-year (1 January, 1 July); an ``open`` series
carries its newest value forward and never needs a new one. :func:`missing_values` names every
value the current period lacks (``overdue``) and, from ``lead_days`` before the next period starts,
every value that period will lack. It reads the merged tables (values added in the app included).
Pure: the caller passes the day and the lead time (a setting, not a legal value).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.law.errors import WHO_CAN_ADD
from app.law.tables import half_year_start, list_tables, period_label

__all__ = ["MissingValue", "missing_values", "next_period_start"]


@dataclass(frozen=True)
class MissingValue:
    """A value a period needs that no entry gives."""

    table: str
    key: str
    title: str
    coverage: str
    needed_from: date
    overdue: bool  # the period has already started

    @property
    def period(self) -> str:
        return period_label(self.coverage, self.needed_from)

    @property
    def message(self) -> str:
        """Swedish: what is missing and from when (without who can add it)."""
        return f"{self.title}, {self.period} (behövs från {self.needed_from.isoformat()})"

    @property
    def user_message(self) -> str:
        return f"Rättsligt värde saknas: {self.message}. {WHO_CAN_ADD}"


def next_period_start(on: date) -> date:
    """The next 1 January or 1 July after ``on``."""
    return date(on.year, 7, 1) if on.month <= 6 else date(on.year + 1, 1, 1)


def _needed_starts(coverage: str, on: date, lead_days: int) -> list[date]:
    coming = next_period_start(on)
    soon = (coming - on).days <= lead_days
    if coverage == "half_year":
        return [half_year_start(on)] + ([coming] if soon else [])
    if coverage == "calendar_year":
        starts = [date(on.year, 1, 1)]
        if soon and coming.month == 1:
            starts.append(coming)
        return starts
    return []


def missing_values(on: date, lead_days: int) -> tuple[MissingValue, ...]:
    """Every value of a calendar-year or half-year series that the period containing ``on`` lacks,
    and, when the next period starts within ``lead_days`` days, every value that one lacks."""
    if lead_days < 0:
        raise ValueError(f"lead_days must not be negative, got {lead_days}")
    result = []
    for law_table in list_tables():
        for item in law_table.series:
            have = {entry.valid_from for entry in item.entries}
            first = item.entries[0].valid_from
            for start in _needed_starts(item.coverage, on, lead_days):
                if start >= first and start not in have:
                    result.append(MissingValue(law_table.name, item.key, item.title, item.coverage, start,
                                               overdue=start <= on))
    return tuple(result)
