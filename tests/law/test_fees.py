"""Fees (förordning 1987:452, 1992:1094, BFL 48 §) and collection charges (lag 1981:739)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.law.errors import LawDataMissing
from app.law.fees import (
    bfl_work_compensation,
    collection_letter_fee,
    court_fee,
    instalment_plan_fee,
    kfm_application_fee,
    kfm_enforcement_base_fee,
    late_payment_compensation,
    reminder_fee,
    transfer_supplementary_fee,
    vat_rate,
)
from app.law.track import Track

D = Decimal
ON = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        pytest.param(lambda: court_fee(Track.SIMPLIFIED, ON), D("900"), id="1987:452 ansökningsavgift FT 900"),
        pytest.param(lambda: court_fee(Track.ORDINARY, ON), D("2800"), id="1987:452 ansökningsavgift ordinary 2800"),
        pytest.param(lambda: transfer_supplementary_fee(Track.SIMPLIFIED, ON), D("600"), id="1987:452 tilläggsavgift FT 600"),
        pytest.param(lambda: transfer_supplementary_fee(Track.ORDINARY, ON), D("2500"), id="1987:452 tilläggsavgift ordinary 2500"),
        pytest.param(lambda: kfm_application_fee(ON), D("300"), id="1992:1094 1§ KFM application 300"),
        pytest.param(lambda: kfm_enforcement_base_fee(ON), D("600"), id="1992:1094 6§ grundavgift 600"),
        pytest.param(lambda: bfl_work_compensation(ON), D("380"), id="BFL 48§ betalningsföreläggande max 380"),
        pytest.param(lambda: bfl_work_compensation(ON, handrackning=True), D("420"), id="BFL 48§ handräckning max 420"),
        pytest.param(lambda: reminder_fee(ON, agreed=True), D("60"), id="1981:739 2§+4§ påminnelseavgift agreed 60"),
        pytest.param(lambda: reminder_fee(ON, agreed=False), D("0"), id="1981:739 2§ påminnelseavgift not agreed 0"),
        pytest.param(lambda: collection_letter_fee(ON, compliant=True), D("180"), id="1981:739 3§ 1 inkassokrav compliant 180"),
        pytest.param(lambda: collection_letter_fee(ON, compliant=False), D("0"), id="1981:739 3§ 1 inkassokrav not per inkassolagen 5§ 0"),
        pytest.param(lambda: instalment_plan_fee(ON), D("170"), id="1981:739 3§ 2 amorteringsplan 170"),
        pytest.param(lambda: late_payment_compensation(ON, business_debtor=True), D("450"), id="1981:739 4a§ förseningsersättning business 450"),
        pytest.param(lambda: late_payment_compensation(ON, business_debtor=False), D("0"), id="1981:739 4a§ consumer debtor 0"),
        pytest.param(lambda: vat_rate(ON), D("25"), id="ML VAT standard rate 25"),
    ],
)
def test_fee_amounts(call, expected):
    result = call()
    assert isinstance(result, Decimal)
    assert result == expected


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        pytest.param(lambda: court_fee(Track.SIMPLIFIED, date(2014, 6, 30)), "2014-06-30", id="court fee before 2014-07-01 raises"),
        pytest.param(lambda: transfer_supplementary_fee(Track.ORDINARY, date(2014, 6, 30)), "2014-06-30", id="tilläggsavgift before 2014-07-01 raises"),
        pytest.param(lambda: kfm_enforcement_base_fee(date(2017, 6, 30)), "2017-06-30", id="grundavgift before valid_from raises"),
        pytest.param(lambda: bfl_work_compensation(date(2013, 12, 31)), "2013-12-31", id="BFL 48§ before 2014 raises"),
        pytest.param(lambda: reminder_fee(date(2013, 3, 15), agreed=False), "2013-03-15", id="påminnelseavgift before 2013-03-16 raises even when 0"),
    ],
)
def test_fee_before_valid_from_raises(call, needle):
    with pytest.raises(LawDataMissing) as info:
        call()
    assert "app/law/data/fees.toml" in str(info.value)
    assert needle in str(info.value)


def test_fee_on_first_valid_day():
    assert court_fee(Track.ORDINARY, date(2014, 7, 1)) == D("2800")


def test_court_fee_requires_track():
    with pytest.raises(TypeError):
        court_fee("simplified", ON)  # type: ignore[arg-type]
