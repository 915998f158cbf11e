"""Legal time limits counted under lag (1930:173) om beräkning av lagstadgad tid.

Counting rules:

* **1 §** — a period in weeks, months or years ends on the day that by its weekday (weeks) or its
  date (months, years) corresponds to the day counting starts from: three weeks from Wednesday
  3 December is Wednesday 24 December; one month from 15 March is 15 April. When that date does not
  exist in the final month, the last day of that month is the end: one month from 31 January is
  28 February (29 February in a leap year).
* **2 §** — when the last day for an action falls on a Saturday, Sunday, other allmän helgdag
  (lag 1989:253), midsommarafton, julafton or nyårsafton, the action may be taken on the next
  weekday that is none of these (:func:`app.law.calendar.roll_forward`).
* Periods in **days** ("inom tio dagar") are not covered by 1 §; they are counted the usual way:
  the trigger day itself is not counted, so 10 days from 1 March ends 11 March; 2 § still moves an
  end on a non-business day.

Every named limit reads its length from ``app/law/data/time_limits.toml`` (looked up at the trigger
date, so a trigger before the table's first ``valid_from`` raises
:class:`app.law.errors.LawDataMissing`).
"""
from __future__ import annotations

import calendar as _stdlib_calendar
import functools
from datetime import date, timedelta

from app.law import tables
from app.law.calendar import roll_forward

__all__ = [
    "add_months",
    "answer_deadline",
    "appeal_deadline",
    "final_on",
    "inkassokrav_due",
    "monitoring_next_check",
    "period_end",
    "raw_period_end",
    "transfer_request_deadline",
    "tredskodom_reopening_deadline",
    "utslag_appeal_deadline",
    "utslag_reopening_deadline",
]


def add_months(start: date, months: int) -> date:
    """The date ``months`` calendar months after ``start`` under lag (1930:173) 1 §.

    Same day number in the final month, or that month's last day when the day does not exist
    (31 January + 1 month = 28/29 February).
    """
    if months < 0:
        raise ValueError("months must not be negative")
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last_day = _stdlib_calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def _check_lengths(**lengths: int) -> None:
    for name, value in lengths.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int")
        if value < 0:
            raise ValueError(f"{name} must not be negative")


def raw_period_end(start: date, *, days: int = 0, weeks: int = 0, months: int = 0, years: int = 0) -> date:
    """The end of a period under lag (1930:173) 1 §, **without** the 2 § move to a business day.

    Years and months are applied first (same date number, clamped to the month's last day), then
    weeks and days. The trigger day is not counted. All lengths must be non-negative.
    """
    _check_lengths(days=days, weeks=weeks, months=months, years=years)
    end = add_months(start, years * 12 + months)
    return end + timedelta(weeks=weeks, days=days)


def period_end(start: date, *, days: int = 0, weeks: int = 0, months: int = 0, years: int = 0) -> date:
    """The last day of a statutory period from ``start`` (lag 1930:173 1-2 §§).

    :func:`raw_period_end`, then moved to the first business day on or after it when it falls on a
    Saturday, Sunday, public holiday (lag 1989:253), midsommarafton, julafton or nyårsafton (2 §).
    """
    _check_lengths(days=days, weeks=weeks, months=months, years=years)
    return _period_end(start, days, weeks, months, years)


@functools.lru_cache(maxsize=100_000)  # pure; a nightly run over a million cases repeats dates
def _period_end(start: date, days: int, weeks: int, months: int, years: int) -> date:
    return roll_forward(raw_period_end(start, days=days, weeks=weeks, months=months, years=years))


def _limit_end(key: str, trigger: date) -> date:
    length, unit = tables.time_limit(key, trigger)
    return period_end(trigger, **{unit: length})


def appeal_deadline(judgment_date: date) -> date:
    """Last day to appeal a tingsrätt judgment: three weeks from the day it was given
    (rättegångsbalken 50 kap. 1 §), counted under lag (1930:173) 1-2 §§.

    The appeal must have reached the tingsrätt by the end of this day. A cross-appeal (RB 50 kap.
    13 §) has one more week but only if the other party appealed; it is not modelled here.
    """
    return _limit_end("appeal_judgment", judgment_date)


def final_on(judgment_date: date) -> date:
    """The day a tingsrätt judgment becomes final (vinner laga kraft) if nobody appeals.

    Convention: laga kraft is reached when the appeal time (RB 50 kap. 1 §) has run out, i.e. at the
    start of the day **after** :func:`appeal_deadline` (the last day on which an appeal may still be
    lodged, already moved past weekends and holidays under lag 1930:173 2 §). Courts sometimes
    print the last appeal day itself as the laga kraft date; this function deliberately returns the
    first day on which the judgment can no longer be appealed, which is the safe day to start
    enforcement as on a final judgment.
    """
    return appeal_deadline(judgment_date) + timedelta(days=1)


def utslag_reopening_deadline(utslag_date: date) -> date:
    """Last day for the debtor to apply for återvinning of a Kronofogden utslag: one month from the
    day the utslag was given (lag 1990:746 om betalningsföreläggande och handräckning, 49 §)."""
    return _limit_end("utslag_reopening", utslag_date)


def utslag_appeal_deadline(utslag_date: date) -> date:
    """Last day for the applicant to appeal a Kronofogden utslag to the tingsrätt: three weeks from
    the day of the utslag (lag 1990:746, 55 §)."""
    return _limit_end("utslag_appeal", utslag_date)


def tredskodom_reopening_deadline(served_date: date) -> date:
    """Last day to apply for återvinning of a tredskodom (default judgment): one month from the day
    the party was served with (fick del av) the judgment (rättegångsbalken 44 kap. 9 §, RH 1995:14).
    Återvinning may be sought only once."""
    return _limit_end("tredskodom_reopening", served_date)


def transfer_request_deadline(notice_date: date) -> date:
    """Last day for the applicant to ask Kronofogden to transfer a contested case to the tingsrätt:
    four weeks from the day the applicant was notified of the bestridande (lag 1990:746, 35 §;
    the wording is marked to_verify in time_limits.toml)."""
    return _limit_end("transfer_request", notice_date)


def answer_deadline(served_date: date, days: int | None = None) -> date:
    """Last day of the förklaringstid after service of a betalningsföreläggande (lag 1990:746, 25 §).

    Kronofogden sets the time in the föreläggande; pass it as ``days`` when known. By default the
    normal ten days from ``time_limits.toml`` is used. Counted from the day of service, moved off
    non-business days under lag (1930:173) 2 §.
    """
    if days is None:
        length, unit = tables.time_limit("answer_period", served_date)
        return period_end(served_date, **{unit: length})
    if isinstance(days, bool) or not isinstance(days, int) or days <= 0:
        raise ValueError("days must be a positive int")
    return period_end(served_date, days=days)


def inkassokrav_due(sent_date: date) -> date:
    """Earliest due date to print on an inkassokrav: at least eight days from sending, as good
    collection practice requires (god inkassosed, inkassolagen 1974:182 4 §).

    The end is moved to a business day as under lag (1930:173) 2 §; that only lengthens the time and
    so always satisfies "at least eight days". Kronofogden should not be applied to before it.
    """
    return _limit_end("inkassokrav_min_days", sent_date)


def monitoring_next_check(last_check: date) -> date:
    """Next efterbevakning check of a debtor's ability to pay: industry practice of three months
    after the last check (no statute; ``monitoring_interval`` is marked to_verify), on a business day."""
    return _limit_end("monitoring_interval", last_check)
