"""The payments ledger: app.course.ledger (allocation order from allocation.toml, interest from app.law)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import permutations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.course.ledger import (
    CHARGE_KINDS,
    Charge,
    Payment,
    allocation_order,
    balance_on,
    load_allocation_rule,
)
from app.law.interest import late_interest, late_interest_rate

D = Decimal
JAN1 = date(2026, 1, 1)
LINE = ((D("10000.00"), JAN1),)


def interest(principal: str, start: date, end: date) -> Decimal:
    return late_interest(D(principal), start, end).total


# --- configuration -----------------------------------------------------------------------------


def test_default_order_is_costs_interest_capital_from_the_toml_and_marked_to_verify():
    rule = load_allocation_rule()
    assert rule.order == ("costs", "interest", "capital") == allocation_order()
    assert rule.status == "to_verify" and not rule.verified
    assert "praxis" in rule.source.lower()


def test_order_is_read_from_a_toml_list(tmp_path):
    path = tmp_path / "allocation.toml"
    path.write_text('[allocation]\norder = ["interest", "capital", "costs"]\nsource = "Avtal"\nstatus = "verified"\n',
                    encoding="utf-8")
    assert load_allocation_rule(path).order == ("interest", "capital", "costs")


@pytest.mark.parametrize(
    "body",
    [
        pytest.param('order = ["costs", "interest"]', id="kind missing"),
        pytest.param('order = ["costs", "interest", "capital", "costs"]', id="kind twice"),
        pytest.param('order = ["costs", "interest", "kapital"]', id="unknown kind"),
        pytest.param('order = "costs,interest,capital"', id="not a list"),
    ],
)
def test_invalid_order_in_toml_is_refused(tmp_path, body):
    path = tmp_path / "allocation.toml"
    path.write_text(f'[allocation]\n{body}\nsource = "x"\nstatus = "to_verify"\n', encoding="utf-8")
    with pytest.raises(ValueError):
        load_allocation_rule(path)


def test_invalid_order_argument_is_refused():
    with pytest.raises(ValueError, match="exactly once"):
        balance_on(LINE, D("0.00"), (), JAN1, order=("capital", "capital", "costs"))


# --- allocation ----------------------------------------------------------------------------------


def test_payment_goes_to_costs_then_interest_then_capital():
    pay = Payment(date(2026, 3, 1), D("1000.00"))
    result = balance_on(LINE, D("450.00"), (pay,), date(2026, 3, 1))
    accrued = interest("10000.00", JAN1, date(2026, 3, 1))
    (row,) = result.rows
    assert row.interest_accrued == accrued
    assert (row.to_costs, row.to_interest, row.to_capital, row.overpaid) == (
        D("450.00"), accrued, D("1000.00") - D("450.00") - accrued, D("0.00"))
    assert result.capital == D("10000.00") - row.to_capital
    assert (result.costs, result.interest) == (D("0.00"), D("0.00"))
    assert [c.kind for c in row.allocations] == ["costs", "interest", "capital"]


def test_configured_order_is_honoured():
    pay = Payment(date(2026, 3, 1), D("1000.00"))
    result = balance_on(LINE, D("450.00"), (pay,), date(2026, 3, 1), order=("capital", "interest", "costs"))
    (row,) = result.rows
    assert (row.to_capital, row.to_interest, row.to_costs) == (D("1000.00"), D("0.00"), D("0.00"))
    assert result.costs == D("450.00")
    assert result.interest == interest("10000.00", JAN1, date(2026, 3, 1))


def test_partial_payments_in_date_order_and_interest_on_outstanding_capital_only():
    p1 = Payment(date(2026, 2, 1), D("500.00"))
    p2 = Payment(date(2026, 4, 1), D("3000.00"), "kronofogden")
    result = balance_on(LINE, D("200.00"), (p2, p1), date(2026, 5, 1))  # given out of order
    first, second = result.rows
    assert first.payment is p1 and second.payment is p2
    i1 = interest("10000.00", JAN1, date(2026, 2, 1))
    assert (first.to_costs, first.to_interest, first.to_capital) == (D("200.00"), i1, D("300.00") - i1)
    capital_after_1 = D("10000.00") - first.to_capital
    i2 = late_interest(capital_after_1, date(2026, 2, 1), date(2026, 4, 1)).total
    assert second.interest_accrued == i2
    assert (second.to_costs, second.to_interest, second.to_capital) == (D("0.00"), i2, D("3000.00") - i2)
    capital_after_2 = capital_after_1 - second.to_capital
    assert result.capital == capital_after_2 == second.capital_after
    assert result.interest == late_interest(capital_after_2, date(2026, 4, 1), date(2026, 5, 1)).total
    assert result.total == result.capital + result.interest


def test_balance_between_payments_ignores_later_payments_and_includes_same_day_ones():
    p1 = Payment(date(2026, 2, 1), D("500.00"))
    p2 = Payment(date(2026, 4, 1), D("3000.00"))
    between = balance_on(LINE, D("0.00"), (p1, p2), date(2026, 3, 1))
    assert [row.payment for row in between.rows] == [p1]
    capital = D("10000.00") - between.rows[0].to_capital
    assert between.capital == capital
    assert between.interest == late_interest(capital, date(2026, 2, 1), date(2026, 3, 1)).total
    on_the_day = balance_on(LINE, D("0.00"), (p1, p2), date(2026, 4, 1))
    assert [row.payment for row in on_the_day.rows] == [p1, p2]
    before_any = balance_on(LINE, D("0.00"), (p1, p2), date(2026, 1, 15))
    assert before_any.rows == () and before_any.interest == interest("10000.00", JAN1, date(2026, 1, 15))


def test_overpayment_is_reported_and_balances_never_go_negative():
    big = Payment(date(2026, 3, 1), D("20000.00"))
    later = Payment(date(2026, 5, 1), D("100.00"), "creditor")
    result = balance_on(LINE, D("450.00"), (big, later), date(2026, 7, 1))
    owed = D("10000.00") + D("450.00") + interest("10000.00", JAN1, date(2026, 3, 1))
    assert result.rows[0].overpaid == D("20000.00") - owed
    assert result.rows[1].overpaid == D("100.00") and result.rows[1].allocated == D("0.00")
    assert result.overpaid == D("20000.00") - owed + D("100.00")
    assert (result.capital, result.interest, result.costs, result.total) == (D("0.00"),) * 4
    assert result.daily_interest == D("0.00") and result.interest_rate is None


def test_daily_interest_still_running_at_the_date():
    on = date(2026, 3, 1)
    result = balance_on(LINE, D("0.00"), (), on)
    assert result.interest_bearing_capital == D("10000.00")
    assert result.daily_interest == late_interest(D("10000.00"), on, on + timedelta(days=1)).total
    assert result.interest_rate == late_interest_rate(on)
    assert "365" in result.convention


def test_interest_runs_per_line_from_its_own_start_on_the_aggregated_capital():
    lines = ((D("1000.00"), date(2026, 1, 1)), (D("5000.00"), date(2026, 5, 1)))
    on = date(2026, 6, 1)
    result = balance_on(lines, D("0.00"), (), on)
    assert result.interest == (interest("1000.00", date(2026, 1, 1), date(2026, 5, 1))
                               + interest("6000.00", date(2026, 5, 1), on))
    # A capital payment reduces the oldest line first: afterwards only the later line bears interest.
    pay = Payment(date(2026, 2, 1), D("1000.00"))
    paid = balance_on(lines, D("0.00"), (pay,), on, order=("capital", "interest", "costs"))
    assert paid.rows[0].to_capital == D("1000.00")
    assert paid.interest == interest("1000.00", date(2026, 1, 1), date(2026, 2, 1)) + interest(
        "5000.00", date(2026, 5, 1), on)
    assert paid.interest_bearing_capital == D("5000.00")
    before_second = balance_on(lines, D("0.00"), (pay,), date(2026, 4, 1), order=("capital", "interest", "costs"))
    assert before_second.interest_bearing_capital == D("0.00") and before_second.daily_interest == D("0.00")


def test_outstanding_as_charges():
    result = balance_on(LINE, D("450.00"), (), JAN1)
    assert result.outstanding == (Charge("capital", D("10000.00")), Charge("interest", D("0.00")),
                                  Charge("costs", D("450.00")))
    assert [c.label for c in result.outstanding] == ["Kapital", "Ränta", "Kostnader"]


@pytest.mark.parametrize(
    ("make", "error"),
    [
        pytest.param(lambda: Payment(JAN1, D("10.001")), ValueError, id="sub-öre amount"),
        pytest.param(lambda: Payment(JAN1, D("0.00")), ValueError, id="zero payment"),
        pytest.param(lambda: Payment(JAN1, D("-1.00")), ValueError, id="negative payment"),
        pytest.param(lambda: Payment(JAN1, 10.5), TypeError, id="float amount"),
        pytest.param(lambda: Payment(JAN1, D("1.00"), "bank"), ValueError, id="unknown source"),
        pytest.param(lambda: Charge("fees", D("1.00")), ValueError, id="unknown charge kind"),
        pytest.param(lambda: balance_on(((D("-5.00"), JAN1),), D("0"), (), JAN1), ValueError, id="negative capital"),
        pytest.param(lambda: balance_on(LINE, D("-1"), (), JAN1), ValueError, id="negative costs"),
    ],
)
def test_invalid_money_is_refused(make, error):
    with pytest.raises(error):
        make()


# --- properties ------------------------------------------------------------------------------------

_money = st.integers(1, 5_000_000).map(lambda n: D(n).scaleb(-2))
_day = st.dates(date(2016, 1, 1), date(2026, 12, 1))
_lines = st.lists(st.tuples(_money, _day), min_size=1, max_size=3)
_payments = st.lists(st.builds(Payment, _day, _money, st.sampled_from(["debtor", "kronofogden", "creditor"])),
                     max_size=6)
_orders = st.sampled_from(list(permutations(CHARGE_KINDS)))
_costs = st.integers(0, 500_000).map(lambda n: D(n).scaleb(-2))


@settings(max_examples=80, deadline=None)
@given(lines=_lines, costs=_costs, payments=_payments, on=_day, order=_orders)
def test_property_allocations_add_up_and_nothing_goes_negative(lines, costs, payments, on, order):
    result = balance_on(lines, costs, payments, on, order=order)
    counted = [p for p in payments if p.paid_on <= on]
    assert sum((r.allocated for r in result.rows), D("0")) + result.overpaid == sum((p.amount for p in counted), D("0"))
    assert len(result.rows) == len(counted)
    for row in result.rows:
        for value in (row.to_costs, row.to_interest, row.to_capital, row.overpaid, row.capital_after,
                      row.interest_after, row.costs_after, row.interest_accrued):
            assert value >= 0 and value == value.quantize(D("0.01"))
        if row.overpaid:
            assert row.capital_after == row.interest_after == row.costs_after == 0
    assert min(result.capital, result.interest, result.costs) >= 0
    assert result.capital == sum(p for p, _ in lines) - sum((r.to_capital for r in result.rows), D("0"))
    assert result.costs == costs - sum((r.to_costs for r in result.rows), D("0"))
    assert result.interest == result.interest_accrued - sum((r.to_interest for r in result.rows), D("0"))


@settings(max_examples=60, deadline=None)
@given(lines=_lines, costs=_costs, payments=_payments, on=_day, later=st.integers(0, 25), order=_orders)
def test_property_paying_the_exact_balance_leaves_nothing(lines, costs, payments, on, later, order):
    before = balance_on(lines, costs, payments, on, order=order)
    assume(before.total > 0)
    settle = Payment(on, before.total)
    after = balance_on(lines, costs, [*payments, settle], on, order=order)
    assert after.total == 0
    assert after.rows[-1].payment is settle and after.rows[-1].overpaid == 0
    assert after.overpaid == before.overpaid
    much_later = balance_on(lines, costs, [*payments, settle], on + timedelta(days=later), order=order)
    assert much_later.total == 0 and much_later.daily_interest == 0
