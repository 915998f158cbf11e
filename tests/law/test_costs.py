"""Recoverable litigation costs: RB 18 kap. 8 a § (FT-mål) and 18 kap. 1 § (ordinary)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from app.law.costs import recoverable_costs
from app.law.errors import LawDataMissing
from app.law.track import Track

D = Decimal


def _by_label(result):
    return {line.label: line for line in result.lines}


def test_ft_caps_advice_at_one_hour_of_timkostnadsnorm():
    # 2024: timkostnadsnorm 1 531 (SFS 2023:782). Claimed 4 h = 6 000; recoverable 1 531 + fee 900.
    result = recoverable_costs(Track.SIMPLIFIED, 2024, claimed_advice_hours=D(4), claimed_advice_amount=D("6000"))
    lines = _by_label(result)
    assert lines["Rådgivning/ombudsarvode"].claimed == D("6000.00")
    assert lines["Rådgivning/ombudsarvode"].recoverable == D("1531.00")
    assert lines["Ansökningsavgift"].recoverable == D("900.00")
    assert result.recoverable_total == D("2431.00")
    assert result.claimed_total == D("6900.00")
    assert result.not_recoverable_total == D("4469.00")
    assert "8 a §" in lines["Rådgivning/ombudsarvode"].rule


def test_ft_advice_below_cap_is_recovered_in_full():
    result = recoverable_costs(Track.SIMPLIFIED, 2023, claimed_advice_amount=D("800"))
    assert _by_label(result)["Rådgivning/ombudsarvode"].recoverable == D("800.00")


def test_ft_default_claim_prices_hours_at_norm():
    # 2 hours at 1 476 (2023) = 2 952 claimed, 1 476 recoverable.
    result = recoverable_costs(Track.SIMPLIFIED, 2023, claimed_advice_hours=D(2))
    line = _by_label(result)["Rådgivning/ombudsarvode"]
    assert (line.claimed, line.recoverable) == (D("2952.00"), D("1476.00"))


def test_ft_one_hour_per_instance():
    # Two instances: cap 2 × 1 531 = 3 062.
    result = recoverable_costs(Track.SIMPLIFIED, 2024, claimed_advice_amount=D("10000"), instances=2)
    assert result.advice_cap == D("3062.00")
    assert _by_label(result)["Rådgivning/ombudsarvode"].recoverable == D("3062.00")


def test_ft_allowed_items_and_other_not_recoverable():
    result = recoverable_costs(
        Track.SIMPLIFIED, 2024,
        claimed_advice_amount=D("1531"), travel=D("450.50"), witness=D("300"),
        translation=D("1200"), kfm_costs=D("680"), other=D("5000"),
    )
    lines = _by_label(result)
    assert lines["Resa och uppehälle"].recoverable == D("450.50")
    assert lines["Vittnesersättning"].recoverable == D("300.00")
    assert lines["Översättning"].recoverable == D("1200.00")
    assert lines["Kostnader hos Kronofogden"].recoverable == D("680.00")
    assert lines["Övriga kostnader"].recoverable == D("0.00")
    # 1531 + 900 + 680 + 450.50 + 300 + 1200 = 5061.50
    assert result.recoverable_total == D("5061.50")
    assert result.claimed_total == D("10061.50")


def test_ft_without_vat_deduction_adds_vat_to_cap():
    # 1 531 × 1.25 = 1 913.75
    result = recoverable_costs(Track.SIMPLIFIED, 2024, claimed_advice_amount=D("3000"), vat_deductible=False)
    assert result.advice_cap == D("1913.75")


def test_ordinary_recovers_reasonable_costs_in_full():
    result = recoverable_costs(Track.ORDINARY, 2024, claimed_advice_amount=D("25000"), other=D("3000"))
    lines = _by_label(result)
    assert lines["Ansökningsavgift"].claimed == D("2800.00")
    assert result.recoverable_total == result.claimed_total == D("30800.00")
    assert result.advice_cap is None
    assert "18 kap. 1" in lines["Övriga kostnader"].rule


def test_ft_full_costs_exception():
    result = recoverable_costs(
        Track.SIMPLIFIED, 2024, claimed_advice_amount=D("6000"), other=D("100"), full_costs_exception=True
    )
    assert result.recoverable_total == result.claimed_total == D("7000.00")


def test_ft_year_without_timkostnadsnorm_raises():
    with pytest.raises(LawDataMissing) as info:
        recoverable_costs(Track.SIMPLIFIED, 2020, claimed_advice_amount=D("1000"))
    assert "app/law/data/timkostnadsnorm.toml" in str(info.value)
    assert "2020-01-01" in str(info.value)


def test_ordinary_with_amount_needs_no_timkostnadsnorm():
    result = recoverable_costs(Track.ORDINARY, 2020, claimed_advice_amount=D("1000"))
    assert result.recoverable_total == D("3800.00")


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"travel": D("-1")}, id="negative travel"),
        pytest.param({"instances": 0}, id="zero instances"),
        pytest.param({"claimed_advice_hours": D("-1")}, id="negative hours"),
    ],
)
def test_bad_input_raises(kwargs):
    with pytest.raises(ValueError):
        recoverable_costs(Track.SIMPLIFIED, 2024, **kwargs)
