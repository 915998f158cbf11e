"""The payments ledger (reskontra): what is still owed after the payments a case has received.

Payments come from the debtor, from Kronofogden's redovisning (utmätning) or directly to the creditor;
each is applied (avräknas) to costs, accrued interest and capital in a configurable order, by default
costs → interest → capital (Swedish practice, see ``app/law/data/allocation.toml``; marked ``to_verify``).

Model and conventions (:func:`balance_on`):

* **Capital** is given as lines ``(principal, interest_from)``; ``interest_from`` is each line's first
  interest day (from :func:`app.law.interest.interest_start`), or None when no interest runs on it.
  **Costs** are one amount owed from the start without interest, or lines ``(amount, interest_from)``
  like capital: awarded litigation costs bear interest from the day of the decision (RB 18 kap. 8 §);
  their interest joins the interest owed.
* **Interest** is dröjsmålsränta under räntelag (1975:635) 6 § computed by
  :func:`app.law.interest.late_interest` on the **aggregated outstanding capital**: between two events
  (a payment, a line's ``interest_from``) interest runs on the sum of the outstanding capital of the lines
  whose interest has started. Interest is simple: unpaid interest bears no interest.
* Days follow ``late_interest``'s half-open convention: a payment on day P stops interest on what it
  pays from day P on; the balance "on" a date counts interest up to and including the day before and
  includes the payments made on the date itself. Payments after ``on`` are ignored.
* A payment applied to capital reduces the lines **oldest first** (by ``interest_from``, then given order).
* What is left of a payment when nothing is owed is reported as ``overpaid`` (to be repaid or
  handled by the creditor), never as a negative balance.
* Money is ``Decimal`` with whole öre throughout; interest is rounded to öre per rate period of each
  segment between events (ROUND_HALF_UP, as ``late_interest`` does).
* A half-year the law tables have no referensränta for stops the interest at the last covered day
  (``late_interest(..., until_covered=True)``); ``interest_missing`` then says so in Swedish.
"""
from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from app.law.formatting import ORE, to_decimal
from app.law.interest import interest_convention, late_interest
from app.law.tables import DATA_DIR

__all__ = [
    "ALLOCATION_FILE",
    "CHARGE_KINDS",
    "PAYMENT_SOURCES",
    "AllocationRow",
    "AllocationRule",
    "CapitalLine",
    "Charge",
    "LedgerResult",
    "Payment",
    "allocation_order",
    "balance_on",
    "load_allocation_rule",
]

#: What a payment can be applied to.
CHARGE_KINDS: tuple[str, ...] = ("capital", "interest", "costs")
CHARGE_LABELS = {"capital": "Kapital", "interest": "Ränta", "costs": "Kostnader"}

#: Where a payment came from, with the Swedish label.
PAYMENT_SOURCES = {
    "debtor": "Inbetalning från gäldenären",
    "kronofogden": "Redovisning från Kronofogden",
    "creditor": "Betalning direkt till fordringsägaren",
}

ALLOCATION_FILE = DATA_DIR / "allocation.toml"  # a legal table, kept with the others in app/law/data
_ZERO = Decimal("0.00")
_NO_INTEREST = "Ingen ränta har löpt"


def _money(value: Decimal | int | str, name: str, *, positive: bool = False) -> Decimal:
    amount = to_decimal(value, name=name)
    if amount != amount.quantize(ORE):
        raise ValueError(f"{name} must be whole öre, got {amount}")
    if amount < 0 or (positive and amount == 0):
        raise ValueError(f"{name} must be {'positive' if positive else 'non-negative'}, got {amount}")
    return amount.quantize(ORE)


def _date(value: object, name: str) -> date:
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise TypeError(f"{name} must be a datetime.date, got {type(value).__name__}")
    return value


@dataclass(frozen=True)
class Charge:
    """An amount of one kind: ``"capital"``, ``"interest"`` or ``"costs"``."""

    kind: str
    amount: Decimal

    def __post_init__(self) -> None:
        if self.kind not in CHARGE_KINDS:
            raise ValueError(f"kind must be one of {CHARGE_KINDS}, got {self.kind!r}")
        object.__setattr__(self, "amount", _money(self.amount, "amount"))

    @property
    def label(self) -> str:
        """The Swedish name of the kind."""
        return CHARGE_LABELS[self.kind]


class CapitalLine(NamedTuple):
    """One capital line: the principal and its first interest day (a plain tuple works too)."""

    principal: Decimal
    interest_from: date


@dataclass(frozen=True)
class Payment:
    """A payment received on ``paid_on``; ``source`` is a key of :data:`PAYMENT_SOURCES`."""

    paid_on: date
    amount: Decimal
    source: str = "debtor"

    def __post_init__(self) -> None:
        _date(self.paid_on, "paid_on")
        object.__setattr__(self, "amount", _money(self.amount, "payment amount", positive=True))
        if self.source not in PAYMENT_SOURCES:
            raise ValueError(f"source must be one of {sorted(PAYMENT_SOURCES)}, got {self.source!r}")


@dataclass(frozen=True)
class AllocationRule:
    """The allocation order and where it comes from (``allocation.toml``)."""

    order: tuple[str, ...]
    source: str
    status: str
    note: str | None = None

    @property
    def verified(self) -> bool:
        return self.status == "verified"


def _check_order(order: Iterable[str]) -> tuple[str, ...]:
    result = tuple(order)
    if sorted(result) != sorted(CHARGE_KINDS):
        raise ValueError(
            f"the allocation order must list each of {', '.join(CHARGE_KINDS)} exactly once, got {list(result)}"
        )
    return result


def load_allocation_rule(path: Path | str | None = None) -> AllocationRule:
    """Read the allocation order from ``allocation.toml`` (or ``path``); validated: ``order`` must hold
    each of capital, interest and costs exactly once, ``status`` is ``verified`` or ``to_verify``."""
    if path is None:
        return _default_rule()
    return _read_rule(Path(path))


@functools.cache
def _default_rule() -> AllocationRule:
    return _read_rule(ALLOCATION_FILE)


def _read_rule(path: Path) -> AllocationRule:
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    section = raw.get("allocation")
    if not isinstance(section, dict):
        raise ValueError(f"{path}: missing [allocation] table")
    order = section.get("order")
    if not isinstance(order, list) or not all(isinstance(kind, str) for kind in order):
        raise ValueError(f"{path}: allocation.order must be a list of strings")
    status = section.get("status")
    if status not in ("verified", "to_verify"):
        raise ValueError(f"{path}: allocation.status must be 'verified' or 'to_verify', got {status!r}")
    source = section.get("source")
    if not isinstance(source, str) or not source.strip():
        raise ValueError(f"{path}: allocation.source must name where the order comes from")
    try:
        checked = _check_order(order)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    return AllocationRule(checked, source, status, section.get("note"))


def allocation_order() -> tuple[str, ...]:
    """The configured default order (``allocation.toml``), e.g. ``("costs", "interest", "capital")``."""
    return load_allocation_rule().order


@dataclass(frozen=True)
class AllocationRow:
    """How one payment was applied.

    ``interest_accrued`` is the interest that accrued since the previous event, just before the
    payment; the ``*_after`` fields are what was outstanding right after it.
    """

    payment: Payment
    interest_accrued: Decimal
    to_costs: Decimal
    to_interest: Decimal
    to_capital: Decimal
    overpaid: Decimal
    capital_after: Decimal
    interest_after: Decimal
    costs_after: Decimal

    @property
    def allocated(self) -> Decimal:
        """What the payment paid off (the amount less ``overpaid``)."""
        return self.to_costs + self.to_interest + self.to_capital

    @property
    def allocations(self) -> tuple[Charge, ...]:
        """The non-zero parts as charges."""
        parts = (("costs", self.to_costs), ("interest", self.to_interest), ("capital", self.to_capital))
        return tuple(Charge(kind, amount) for kind, amount in parts if amount)


@dataclass(frozen=True)
class LedgerResult:
    """The ledger on ``on``: per-payment rows and what is outstanding.

    ``interest_bearing_capital`` is the capital interest runs on at ``on`` (lines whose interest has
    started), ``daily_interest`` one day's interest on it at ``on`` (rounded to öre) and ``interest_rate``
    the rate in percent (None when no interest runs).
    """

    on: date
    order: tuple[str, ...]
    rows: tuple[AllocationRow, ...]
    capital: Decimal
    interest: Decimal
    costs: Decimal
    interest_accrued: Decimal
    overpaid: Decimal
    interest_bearing_capital: Decimal
    daily_interest: Decimal
    interest_rate: Decimal | None
    convention: str
    interest_missing: str | None = None  # e.g. "ränta beräknad t.o.m. 2026-12-31; referensräntan från ..."

    @property
    def total(self) -> Decimal:
        """Everything outstanding: capital + interest + costs."""
        return self.capital + self.interest + self.costs

    @property
    def outstanding(self) -> tuple[Charge, ...]:
        """The outstanding amounts as charges, in :data:`CHARGE_KINDS` order."""
        return (Charge("capital", self.capital), Charge("interest", self.interest), Charge("costs", self.costs))

    @property
    def paid(self) -> Decimal:
        """The sum of the payments up to ``on``."""
        return sum((row.payment.amount for row in self.rows), _ZERO)


class _Line:
    __slots__ = ("outstanding", "interest_from")

    def __init__(self, outstanding: Decimal, interest_from: date | None):
        self.outstanding = outstanding
        self.interest_from = interest_from


def _interest_between(lines: Sequence[_Line], start: date, end: date, missing: list[str]) -> Decimal:
    """Interest for ``[start, end)`` on the aggregated outstanding amount of the started lines,
    split where a line's interest starts (räntelag 6 §, via ``late_interest``); a notice of days
    the tables give no rate for is added to ``missing``."""
    if start >= end:
        return _ZERO
    bearing = [line for line in lines if line.interest_from is not None]
    cuts = sorted({line.interest_from for line in bearing if start < line.interest_from < end})
    total = _ZERO
    bounds = [start, *cuts, end]
    for seg_start, seg_end in zip(bounds, bounds[1:]):
        base = sum((line.outstanding for line in bearing if line.interest_from <= seg_start), _ZERO)
        if base > 0:
            result = late_interest(base, seg_start, seg_end, until_covered=True)
            total += result.total
            if result.missing:
                missing.append(result.missing)
    return total


def _reduce(lines: Sequence[_Line], amount: Decimal) -> None:
    """Pay ``amount`` off ``lines``, oldest first."""
    for line in lines:
        part = min(amount, line.outstanding)
        line.outstanding -= part
        amount -= part


def _lines_of(items: Iterable[tuple[Decimal, date | None]], name: str) -> list[_Line]:
    lines = [_Line(_money(amount, name), None if start is None else _date(start, "interest_from"))
             for amount, start in items]
    lines.sort(key=lambda line: (line.interest_from is None, line.interest_from or date.min))
    return lines


def balance_on(
    capital_lines: Iterable[tuple[Decimal, date | None]],
    costs: Decimal | Iterable[tuple[Decimal, date | None]],
    payments: Iterable[Payment],
    on: date,
    order: Sequence[str] | None = None,
) -> LedgerResult:
    """What is outstanding on ``on`` after the payments made up to and including that day.

    Walks the payments in date order (same-day payments in the given order): before each payment,
    dröjsmålsränta (räntelag 1975:635 6 §) accrues on the outstanding interest-bearing capital and
    costs since the last event; the payment is then applied in ``order`` (default:
    :func:`allocation_order`, i.e. costs → interest → capital as in ``allocation.toml``). See the
    module docstring for every convention.
    """
    _date(on, "on")
    chosen = _check_order(order) if order is not None else allocation_order()
    lines = _lines_of(capital_lines, "principal")
    cost_items = [(costs, None)] if isinstance(costs, (Decimal, int, str)) else list(costs)
    cost_lines = _lines_of(cost_items, "costs")
    bearing_lines = [*lines, *cost_lines]
    outstanding = {"capital": sum((line.outstanding for line in lines), _ZERO),
                   "interest": _ZERO, "costs": sum((line.outstanding for line in cost_lines), _ZERO)}
    checked = list(payments)
    for payment in checked:
        if not isinstance(payment, Payment):
            raise TypeError(f"payments must be Payment objects, got {type(payment).__name__}")
    due = sorted((p for p in checked if p.paid_on <= on), key=lambda p: p.paid_on)

    cursor = min((line.interest_from for line in bearing_lines if line.interest_from is not None), default=on)
    accrued_total = _ZERO
    overpaid_total = _ZERO
    missing: list[str] = []
    rows: list[AllocationRow] = []
    for payment in due:
        accrued = _ZERO
        if payment.paid_on > cursor:
            accrued = _interest_between(bearing_lines, cursor, payment.paid_on, missing)
            cursor = payment.paid_on
        outstanding["interest"] += accrued
        accrued_total += accrued

        remaining = payment.amount
        applied = {kind: _ZERO for kind in CHARGE_KINDS}
        for kind in chosen:
            take = min(remaining, outstanding[kind])
            applied[kind] = take
            outstanding[kind] -= take
            remaining -= take
            if kind == "capital":
                _reduce(lines, take)
            elif kind == "costs":
                _reduce(cost_lines, take)
        overpaid_total += remaining
        rows.append(AllocationRow(
            payment, accrued, applied["costs"], applied["interest"], applied["capital"], remaining,
            outstanding["capital"], outstanding["interest"], outstanding["costs"],
        ))

    if on > cursor:
        accrued = _interest_between(bearing_lines, cursor, on, missing)
        outstanding["interest"] += accrued
        accrued_total += accrued

    bearing = sum((line.outstanding for line in bearing_lines
                   if line.interest_from is not None and line.interest_from <= on), _ZERO)
    daily, rate = _ZERO, None
    if bearing > 0:
        one_day = late_interest(bearing, on, on + timedelta(days=1), until_covered=True)
        if one_day.periods:
            daily, rate = one_day.total, one_day.periods[0].rate
        elif not missing and one_day.missing:
            missing.append(one_day.missing)
    return LedgerResult(
        on=on,
        order=chosen,
        rows=tuple(rows),
        capital=outstanding["capital"],
        interest=outstanding["interest"],
        costs=outstanding["costs"],
        interest_accrued=accrued_total,
        overpaid=overpaid_total,
        interest_bearing_capital=bearing,
        daily_interest=daily,
        interest_rate=rate,
        convention=interest_convention(on) if bearing > 0 or accrued_total > 0 else _NO_INTEREST,
        interest_missing=missing[0] if missing else None,
    )
