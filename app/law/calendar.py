"""Swedish business days for counting legal time limits.

A day is **not** a business day (vardag in the sense of lag (1930:173) om beräkning av lagstadgad
tid 2 §) when it is

* a Saturday or a Sunday;
* an allmän helgdag under lag (1989:253) om allmänna helgdagar 1 §: nyårsdagen, trettondedag jul,
  långfredagen, påskdagen, annandag påsk, Kristi himmelsfärdsdag, pingstdagen, första maj,
  Sveriges nationaldag (6 juni), midsommardagen, alla helgons dag, juldagen, annandag jul; or
* midsommarafton, julafton or nyårsafton, which lag (1930:173) 2 § treats like holidays.

The dates come from the ``holidays`` package (``country_holidays("SE")``), but not blindly: we ask
for its PUBLIC and DE_FACTO categories (the latter holds the three eves) without Sundays
(``include_sundays=False``; the package can list every Sunday as a holiday, which we do not want in
the holiday list since weekends are handled separately), keep only the sixteen statutory names above
and require each of them exactly once per year. If a future version of the package drops, renames or
adds one of these days, building the year fails loudly instead of silently shifting deadlines.

Supported years: 2005 onwards (Sveriges nationaldag became an allmän helgdag, and annandag pingst
stopped being one, from 2005). The set is cached per year.

Two ways to move from a date:

* :func:`roll_forward` — the first business day **on or after** ``d``; this is how a deadline that
  ends on a non-business day is moved (lag 1930:173 2 §).
* :func:`next_business_day` — the first business day **strictly after** ``d``.
"""
from __future__ import annotations

import functools
from datetime import date, timedelta
from types import MappingProxyType
from typing import Mapping

import holidays
from holidays.constants import DE_FACTO, PUBLIC

__all__ = [
    "FIRST_SUPPORTED_YEAR",
    "STATUTORY_NON_BUSINESS_DAYS",
    "holidays_in",
    "is_business_day",
    "next_business_day",
    "non_business_reason",
    "previous_business_day",
    "roll_forward",
]

FIRST_SUPPORTED_YEAR = 2005

#: The sixteen named days that are never business days (lag 1989:253 1 § and lag 1930:173 2 §).
STATUTORY_NON_BUSINESS_DAYS: frozenset[str] = frozenset(
    {
        # lag (1989:253) om allmänna helgdagar 1 §
        "Nyårsdagen",
        "Trettondedag jul",
        "Långfredagen",
        "Påskdagen",
        "Annandag påsk",
        "Kristi himmelsfärdsdag",
        "Pingstdagen",
        "Första maj",
        "Nationaldagen",
        "Midsommardagen",
        "Alla helgons dag",
        "Juldagen",
        "Annandag jul",
        # lag (1930:173) om beräkning av lagstadgad tid 2 §
        "Midsommarafton",
        "Julafton",
        "Nyårsafton",
    }
)


def _check_year(year: int) -> None:
    if year < FIRST_SUPPORTED_YEAR:
        raise ValueError(
            f"the Swedish holiday calendar is supported from {FIRST_SUPPORTED_YEAR} (nationaldagen a "
            f"holiday, annandag pingst not); got {year}"
        )


@functools.cache
def _year_table(year: int) -> Mapping[date, str]:
    _check_year(year)
    source = holidays.country_holidays(
        "SE",
        years=year,
        categories=(PUBLIC, DE_FACTO),
        language="sv",
        include_sundays=False,
    )
    table: dict[date, str] = {}
    seen: dict[str, date] = {}
    for day in sorted(source.keys()):
        for name in source.get_list(day):
            if name not in STATUTORY_NON_BUSINESS_DAYS:
                continue
            if name in seen:
                raise RuntimeError(f"holidays package lists {name} twice in {year} ({seen[name]} and {day})")
            seen[name] = day
            table[day] = f"{table[day]}; {name}" if day in table else name
    missing = STATUTORY_NON_BUSINESS_DAYS - set(seen)
    if missing:
        raise RuntimeError(
            f"holidays package is missing {sorted(missing)} for {year}; the Swedish calendar cannot be trusted"
        )
    return MappingProxyType(table)


def holidays_in(year: int) -> dict[date, str]:
    """The statutory non-business days of ``year`` other than ordinary weekends, with Swedish names.

    Includes the eves of lag (1930:173) 2 § (midsommarafton, julafton, nyårsafton). Holidays that
    fall on a weekend are listed too. Two names falling on one date are joined with ``"; "``.
    """
    return dict(_year_table(year))


def non_business_reason(d: date) -> str | None:
    """Why ``d`` is not a business day (``"lördag"``, ``"söndag"`` or the holiday's name), else None."""
    name = _year_table(d.year).get(d)
    if name is not None:
        return name
    if d.weekday() == 5:
        return "lördag"
    if d.weekday() == 6:
        return "söndag"
    return None


def is_business_day(d: date) -> bool:
    """True when ``d`` is a vardag: not a Saturday, Sunday, allmän helgdag (lag 1989:253) or
    midsommarafton, julafton or nyårsafton (lag 1930:173 2 §)."""
    return d not in _year_table(d.year) and d.weekday() < 5


def roll_forward(d: date) -> date:
    """The first business day on or after ``d`` (``d`` itself if it is one).

    This is the move lag (1930:173) 2 § makes when the last day of a time limit is a Saturday,
    Sunday, public holiday, midsommarafton, julafton or nyårsafton.
    """
    while not is_business_day(d):
        d += timedelta(days=1)
    return d


def next_business_day(d: date) -> date:
    """The first business day strictly after ``d`` (never ``d`` itself)."""
    return roll_forward(d + timedelta(days=1))


def previous_business_day(d: date) -> date:
    """The last business day strictly before ``d``."""
    d -= timedelta(days=1)
    while not is_business_day(d):
        d -= timedelta(days=1)
    return d
