"""Limitation of claims (preskription) under preskriptionslag (1981:130).

* **2 §** — a claim is time-barred ten years after it arose, unless interrupted; three years for a
  claim against a consumer for goods, services or other utilities a business supplied for mainly
  private use (``consumer_claim=True``; not a claim on a löpande skuldebrev, and also against a
  guarantor of such a claim). The lengths are in ``time_limits.toml``.
* **5 §** — limitation is interrupted when (1) the debtor acknowledges the claim (promises payment,
  pays interest or an instalment, or otherwise), (2) the debtor **receives** a written demand or
  reminder from the creditor, or (3) the creditor sues or otherwise invokes the claim in court, at
  Kronofogden, in arbitration, bankruptcy or reorganisation.
* **6 §** — after an interruption a new period of the same length starts from the interruption.
* **7 §** — after proceedings (point 3) the new period runs from when the proceedings ended: pass
  the end date of the proceedings as the interruption date. What the new period is after a
  judgment is not modelled here.

Counting: years are counted under lag (1930:173) 1 § — the period ends on the same date N years
later, or 28 February when 29 February does not exist. The claim is alive through that day, so an
interruption on the limitation date itself is in time.

No move to a business day: lag (1930:173) 2 § lets an *action* that must be taken by a day falling
on a weekend or holiday be taken the next weekday; whether that extends a civil limitation period is
not settled (the söndagsregel was held not to apply to åtalspreskription, NJA 1948 s. 550), and
interruption by a demand turns on when the debtor *receives* it, not on an act at an office. The
dates returned here are therefore the raw 1 § dates — the conservative choice for a creditor: act
by that date, even if it is a Saturday.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.law import tables
from app.law.deadlines import raw_period_end

__all__ = [
    "LimitationStatus",
    "interrupted",
    "limitation_after_interruptions",
    "limitation_after_judgment",
    "limitation_date",
    "limitation_status",
    "limitation_years",
]


def limitation_years(on: date, *, consumer_claim: bool) -> int:
    """The limitation period in years for a period starting on ``on`` (preskriptionslag 2 §)."""
    key = "limitation_consumer" if consumer_claim else "limitation_general"
    length, unit = tables.time_limit(key, on)
    if unit != "years":
        raise tables.LawDataInvalid(f"time_limits.{key} must be in years, got {unit}")
    return length


def limitation_date(start: date, *, consumer_claim: bool) -> date:
    """The last day of the limitation period for a claim that arose on ``start`` (preskriptionslag
    1981:130 2 §): 10 years, or 3 years for a business's claim on a consumer, counted under lag
    (1930:173) 1 § and **not** moved to a business day (see the module docstring)."""
    return raw_period_end(start, years=limitation_years(start, consumer_claim=consumer_claim))


def interrupted(interruption_date: date, *, consumer_claim: bool) -> date:
    """The new limitation date after an interruption on ``interruption_date`` (preskriptionslag
    5-6 §§): a new period of the same length runs from the interruption (acknowledgement by the
    debtor, the debtor's receipt of a written demand, or a suit or application at Kronofogden)."""
    return limitation_date(interruption_date, consumer_claim=consumer_claim)


@dataclass(frozen=True)
class LimitationStatus:
    """The limitation date after applying the interruptions that were made in time."""

    start: date
    consumer_claim: bool
    limitation_date: date
    effective_interruptions: tuple[date, ...]
    late_interruptions: tuple[date, ...]
    """Interruptions after the claim was already time-barred; they do not revive it."""

    def is_time_barred(self, on: date) -> bool:
        """True when the claim is time-barred on ``on`` (the day after the limitation date onwards)."""
        return on > self.limitation_date


def limitation_status(
    start: date, interruptions: Iterable[date], *, consumer_claim: bool, judgment_on: date | None = None
) -> LimitationStatus:
    """Apply interruptions in date order (preskriptionslag 5-6 §§), and a dom or utslag (7 §).

    Each interruption made on or before the current limitation date starts a new period; one made
    after it comes too late (the claim was already time-barred and an interruption cannot revive
    it) and is listed in ``late_interruptions``. An interruption before ``start`` raises ValueError.

    ``judgment_on`` is the date of a dom or utslag ordering the debtor to pay: from it a new period
    of :func:`limitation_after_judgment` runs (ten years, also for a consumer claim), and every
    later interruption starts a period of that length too.
    """
    current = limitation_date(start, consumer_claim=consumer_claim)
    effective: list[date] = []
    late: list[date] = []
    events = sorted({*interruptions, *((judgment_on,) if judgment_on else ())})
    for when in events:
        if when < start:
            raise ValueError(f"interruption {when.isoformat()} is before the claim arose ({start.isoformat()})")
        if when <= current or when == judgment_on:
            effective.append(when)
            titled = judgment_on is not None and when >= judgment_on
            renewed = limitation_after_judgment(when) if titled else interrupted(when, consumer_claim=consumer_claim)
            current = max(current, renewed)
        else:
            late.append(when)
    return LimitationStatus(start, consumer_claim, current, tuple(effective), tuple(late))


def limitation_after_judgment(judgment_on: date) -> date:
    """The last day of the new limitation period that starts when a dom or utslag orders the debtor
    to pay (preskriptionslag 1981:130 7 §): ``time_limits.limitation_after_judgment`` (ten years,
    also for a consumer claim), counted like :func:`limitation_date`."""
    length, unit = tables.time_limit("limitation_after_judgment", judgment_on)
    if unit != "years":
        raise tables.LawDataInvalid(f"time_limits.limitation_after_judgment must be in years, got {unit}")
    return raw_period_end(judgment_on, years=length)


def limitation_after_interruptions(
    start: date, interruptions: Iterable[date], *, consumer_claim: bool, judgment_on: date | None = None
) -> date:
    """The limitation date after the interruptions made in time (the latest one governs) and a
    dom or utslag, if any. See :func:`limitation_status` for which interruptions count."""
    return limitation_status(start, interruptions, consumer_claim=consumer_claim,
                             judgment_on=judgment_on).limitation_date
