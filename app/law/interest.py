"""Dröjsmålsränta under räntelag (1975:635).

* **6 §** — interest per year = the referensränta in force at each time + 8 percentage points
  (the margin is read from ``time_limits.toml``, series ``interest_margin``).
* **9 §** — the Riksbank sets the referensränta per calendar half-year (from 1 January and 1 July);
  the values are in ``referensranta.toml``. A negative referensränta simply lowers the rate
  (-0.50 + 8 = 7.50 %).
* **3-4 §§** — when interest starts: :func:`interest_start`.

Computation convention (stated in every result as :data:`InterestResult.convention`): simple
interest, no compounding; days are counted in the half-open interval ``[start, end)`` — ``start`` is
the first interest day and ``end`` is the first day without interest (e.g. the payment or
calculation date); each day carries the rate in force on that day; the year is 365 days even in leap
years (actual/365). The interval is split into rate periods (maximal runs of days with the same
rate); each period's amount is ``principal × rate/100 × days/365`` rounded to whole öre
(ROUND_HALF_UP), and the total is the sum of the rounded period amounts.

A half-year with no referensränta in the tables raises :class:`LawDataMissing` (a filing must not
guess a rate). With ``until_covered=True`` the computation stops instead at the last day the tables
cover and says so in Swedish (:attr:`InterestResult.missing`, e.g. "ränta beräknad t.o.m.
2026-12-31; referensräntan från 2027-01-01 saknas"); the ledger uses this.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from app.law import tables
from app.law.errors import WHO_CAN_ADD, LawDataMissing
from app.law.formatting import ORE, format_number, to_decimal

__all__ = [
    "DAYS_IN_YEAR",
    "InterestPeriod",
    "InterestResult",
    "interest_convention",
    "interest_margin",
    "interest_start",
    "late_interest",
    "late_interest_rate",
    "missing_rate_notice",
    "reference_rate",
]

DAYS_IN_YEAR = 365
_RATE_QUANTUM = Decimal("0.01")


def reference_rate(d: date) -> Decimal:
    """The Riksbank referensränta (percent, e.g. ``Decimal("2.00")``) in force on ``d``
    (räntelag 1975:635 9 §). Raises LawDataMissing for a half-year with no entry."""
    return tables.referensranta(d).quantize(_RATE_QUANTUM)


def interest_margin(d: date) -> Decimal:
    """The margin over the referensränta for dröjsmålsränta (räntelag 1975:635 6 §): 8 points."""
    return tables.lookup("time_limits", "interest_margin", d).value


def late_interest_rate(d: date) -> Decimal:
    """The dröjsmålsränta (percent per year) on day ``d``: referensränta + margin (räntelag 6 §)."""
    return (reference_rate(d) + interest_margin(d)).quantize(_RATE_QUANTUM)


@functools.lru_cache(maxsize=4096)  # pure; the same few dates recur across many claims
def interest_convention(d: date) -> str:
    """The Swedish sentence describing how the interest was computed."""
    margin = interest_margin(d)
    decimals = 0 if margin == margin.to_integral_value() else 2
    return (
        "Enkel ränta, faktiska dagar/365, referensränta + "
        f"{format_number(margin, decimals=decimals)} procentenheter (räntelagen 6 §)"
    )


tables.register_dependent_cache(interest_convention.cache_clear)


@dataclass(frozen=True)
class InterestPeriod:
    """A run of days with one rate. ``end`` is exclusive (the first day not in the period)."""

    start: date
    end: date
    rate: Decimal
    days: int
    amount: Decimal

    @property
    def last_day(self) -> date:
        """The last interest day of the period (inclusive), for printing."""
        return self.end - timedelta(days=1)

    @property
    def end_inclusive(self) -> date:
        """Alias of :attr:`last_day`."""
        return self.last_day


@dataclass(frozen=True)
class InterestResult:
    """Dröjsmålsränta on ``principal`` for the days ``[start, end)``."""

    principal: Decimal
    start: date
    end: date
    periods: tuple[InterestPeriod, ...]
    total: Decimal
    convention: str
    #: With ``until_covered``: the first day the tables give no rate for (the computation stopped
    #: there), and the Swedish notice saying so; both None when every day was computed.
    stopped_on: date | None = None
    missing: str | None = None

    @property
    def complete(self) -> bool:
        """True when every day of ``[start, end)`` was computed."""
        return self.missing is None

    @property
    def covered_until(self) -> date:
        """The last day interest was computed for (the day before ``stopped_on``, else the last day)."""
        return (self.stopped_on if self.stopped_on is not None else self.end) - timedelta(days=1)

    @property
    def days(self) -> int:
        """Number of interest days."""
        return sum(period.days for period in self.periods)

    @property
    def last_day(self) -> date:
        """The last interest day (inclusive), for printing."""
        return self.end - timedelta(days=1)

    @property
    def end_inclusive(self) -> date:
        """Alias of :attr:`last_day`."""
        return self.last_day


def _next_half_year(d: date) -> date:
    return date(d.year, 7, 1) if d.month <= 6 else date(d.year + 1, 1, 1)


def missing_rate_notice(start: date, stopped_on: date, error: LawDataMissing) -> str:
    """The Swedish sentence for interest from ``start`` stopped on ``stopped_on`` by a missing value,
    e.g. "ränta beräknad t.o.m. 2026-12-31; referensräntan från 2027-01-01 saknas"."""
    if error.key == "referensranta" and error.needed_from is not None:
        what = f"referensräntan från {error.needed_from.isoformat()} saknas"
    else:
        what = error.user_message.removesuffix(WHO_CAN_ADD).strip().rstrip(".")
    if stopped_on <= start:
        return f"ingen ränta beräknad från {start.isoformat()}; {what}"
    return f"ränta beräknad t.o.m. {(stopped_on - timedelta(days=1)).isoformat()}; {what}"


def late_interest(principal: Decimal, start: date, end: date, *, until_covered: bool = False) -> InterestResult:
    """Dröjsmålsränta under räntelag (1975:635) 6 § on ``principal`` for the days ``[start, end)``.

    Rate on each day = referensränta in force that day (9 §) + 8 percentage points (6 §). See the
    module docstring for the convention (simple, actual/365, per-period rounding to öre half up).
    ``start >= end`` gives no periods and a total of 0.00. A negative principal raises ValueError; a
    half-year without a referensränta entry raises LawDataMissing, or with ``until_covered`` ends the
    computation the day before it (``stopped_on``, ``missing``).
    """
    amount = to_decimal(principal, name="principal")
    if amount < 0:
        raise ValueError(f"principal must not be negative, got {amount}")
    if start >= end:
        return InterestResult(amount, start, end, (), Decimal("0.00"), interest_convention(start))

    # Split [start, end) at half-year boundaries, then merge neighbours with equal rates.
    runs: list[list] = []  # [first day, end (exclusive), rate]
    cursor = start
    stopped_on, missing = None, None
    while cursor < end:
        boundary = min(_next_half_year(cursor), end)
        try:
            rate = late_interest_rate(cursor)
        except LawDataMissing as exc:
            if not until_covered:
                raise
            stopped_on, missing = cursor, missing_rate_notice(start, cursor, exc)
            break
        if runs and runs[-1][2] == rate and runs[-1][1] == cursor:
            runs[-1][1] = boundary
        else:
            runs.append([cursor, boundary, rate])
        cursor = boundary

    periods = []
    for run_start, run_end, rate in runs:
        days = (run_end - run_start).days
        exact = amount * rate * days / (100 * DAYS_IN_YEAR)
        periods.append(
            InterestPeriod(run_start, run_end, rate, days, exact.quantize(ORE, rounding=ROUND_HALF_UP))
        )
    total = sum((period.amount for period in periods), Decimal("0.00"))
    return InterestResult(amount, start, end, tuple(periods), total, interest_convention(start), stopped_on, missing)


def interest_start(
    *,
    due_date: date | None = None,
    invoice_or_demand_date: date | None = None,
    business_debtor: bool = False,
    warned_of_interest: bool = False,
    served_date: date | None = None,
) -> date | None:
    """The first day of dröjsmålsränta under räntelag (1975:635) 3-4 §§, or None if none runs yet.

    * **3 §** — a due date agreed in advance (``due_date``): interest runs *från förfallodagen*,
      literally from the due date itself, which this function returns. (Some claimants ask only from
      the day after as a cautious choice; that is a drafting decision for the caller.)
    * **4 § first paragraph** — otherwise, from the day that falls 30 days (``time_limits.toml``,
      ``interest_days_after_demand``) after the creditor sent an invoice or demand for a definite
      amount (``invoice_or_demand_date``) that warned that late payment brings interest
      (``warned_of_interest``). No warning is needed when the debtor is a business
      (``business_debtor``; the agency's creditors are businesses, so this is the business-to-business
      case). No interest runs for days before the invoice reached the debtor; the 30 days normally
      cover that, and the receipt date is not modelled.
    * **4 § third paragraph** — in any case interest runs at the latest from the day of service
      (delgivning) of the application for a betalningsföreläggande or of the stämning
      (``served_date``).
    * **2 §** — never before the claim is due: with a ``due_date`` the result is not earlier than it.

    Returns the earliest start the rules allow among those that apply.
    """
    candidates: list[date] = []
    if due_date is not None:
        candidates.append(due_date)
    elif invoice_or_demand_date is not None and (warned_of_interest or business_debtor):
        length, unit = tables.time_limit("interest_days_after_demand", invoice_or_demand_date)
        if unit != "days":
            raise tables.LawDataInvalid("time_limits.interest_days_after_demand must be in days")
        candidates.append(invoice_or_demand_date + timedelta(days=length))
    if served_date is not None:
        candidates.append(served_date)
    if not candidates:
        return None
    result = min(candidates)
    if due_date is not None and result < due_date:
        result = due_date
    return result
