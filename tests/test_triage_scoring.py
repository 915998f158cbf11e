"""The triage scoring engine (app.triage.scoring): pure functions, no database.

Legal numbers are never written here as literals: they are read back from app.law (fees, the FT-mål
threshold, the timkostnadsnorm, interest, limitation), so these tests check that the engine uses the
law package rather than copies of its numbers.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.law import (
    Track,
    choose_track,
    court_fee,
    interest_start,
    late_interest,
    limitation_after_interruptions,
    recoverable_costs,
    timkostnadsnorm,
    transfer_supplementary_fee,
)
from app.law.formatting import NBSP, format_sek
from app.triage.kinds import AbilitySource, EvidenceKind, OptionKind
from app.triage.scoring import (
    OBJECTION_CATEGORIES,
    WEIGHTS_PATH,
    AbilityFacts,
    ClaimLineFacts,
    TriageInput,
    WeightsInvalid,
    load_weights,
    load_weights_file,
    merge_weights,
    triage,
)

D = Decimal
V = date(2026, 9, 1)  # valuation (planned filing) date used throughout
W = load_weights()

STRONG = frozenset({EvidenceKind.CONTRACT, EvidenceKind.INVOICE, EvidenceKind.DELIVERY_PROOF})
INVOICE_ONLY = frozenset({EvidenceKind.INVOICE, EvidenceKind.REMINDER})

SOLVENT = AbilityFacts(recorded_on=date(2026, 8, 1), source=AbilitySource.CREDIT_REPORT,
                       monthly_income=D(40000), payment_remarks=0, kfm_debt_total=D(0),
                       known_assets=D(200000), score=90)
WITHOUT_MEANS = AbilityFacts(recorded_on=date(2026, 8, 1), source=AbilitySource.KFM_DEBT,
                             monthly_income=D(0), payment_remarks=4, kfm_debt_total=D(80000),
                             known_assets=D(0), score=10)

PROPERTY = settings(max_examples=40, deadline=None)


def line(capital, kinds=STRONG, *, invoice=date(2026, 3, 1), due=date(2026, 3, 31)) -> ClaimLineFacts:
    return ClaimLineFacts(capital=D(capital), invoice_date=invoice, due_date=due, evidence_kinds=frozenset(kinds))


def facts(capital=8000, kinds=STRONG, objections=("defective",), ability=SOLVENT, **kw) -> TriageInput:
    lines = kw.pop("claim_lines", None) or (line(capital, kinds),)
    return TriageInput(valuation_date=kw.pop("valuation_date", V), claim_lines=lines,
                       objection_categories=tuple(objections), ability=ability, **kw)


def wd(value) -> Decimal:
    """A weights value as Decimal (the raw mapping holds TOML ints/floats)."""
    return D(str(value))


def option(result, kind: OptionKind):
    return next(o for o in result.options if o.kind is kind)


def threshold(on: date = V) -> Decimal:
    return choose_track(D(0), on).threshold


# --------------------------------------------------------------------------------------------------
# Which option wins (the required outcomes of the brief)
# --------------------------------------------------------------------------------------------------

RECOMMENDATIONS = [
    pytest.param(
        facts(5000, ability=WITHOUT_MEANS), OptionKind.WRITE_OFF,
        id="write_off: small claim, debtor without means - FT-mål costs exceed what can be collected (law §10)",
    ),
    pytest.param(
        facts(25000, ability=WITHOUT_MEANS), OptionKind.MONITORING,
        id="monitoring: mid claim, strong evidence, debtor without means - efterbevakning until ability improves",
    ),
    pytest.param(
        facts(60000), OptionKind.SUMMONS_ORDINARY,
        id="summons_ordinary: strong evidence, solvent, value above half the prisbasbelopp",
    ),
    pytest.param(
        facts(10000, INVOICE_ONLY, ("identity",), test_case=True), OptionKind.SUMMONS_ORDINARY,
        id="summons_ordinary: test case - synnerlig betydelse dominates even a negative net (RB 1:3 d 2 st.)",
    ),
    pytest.param(
        facts(8000), OptionKind.SUMMONS_SIMPLIFIED,
        id="summons_simplified: strong, solvent, small, already contested - a payment order would be objected to",
    ),
    pytest.param(
        facts(8000, objections=()), OptionKind.PAYMENT_ORDER,
        id="payment_order: strong, solvent, small, no objection registered - an utslag is likely and cheap",
    ),
    pytest.param(
        facts(20000, INVOICE_ONLY, ("identity",)), OptionKind.SETTLEMENT,
        id="settlement: identity/fraud objection without a contract, mid amount (FT), solvent debtor",
    ),
    pytest.param(
        facts(40000, INVOICE_ONLY, ("identity",)), OptionKind.SETTLEMENT,
        id="settlement: identity/fraud objection without a contract, ordinary-track amount - litigation cost risk",
    ),
]


@pytest.mark.parametrize(("case", "expected"), RECOMMENDATIONS)
def test_recommended_option(case, expected):
    result = triage(case)
    assert result.recommended is expected, result.explanation
    assert option(result, expected).available
    assert result.explanation.startswith(f"Rekommendation: {expected.label}.")


def test_small_claim_without_means_never_goes_to_court():
    for capital in (1000, 3000, 5000):
        result = triage(facts(capital, ability=WITHOUT_MEANS))
        assert result.recommended in {OptionKind.WRITE_OFF, OptionKind.MONITORING}
        assert option(result, OptionKind.SUMMONS_SIMPLIFIED).expected_net < 0


def test_test_case_recommended_ordinary_even_when_another_option_nets_more():
    result = triage(facts(10000, INVOICE_ONLY, ("identity",), test_case=True))
    ordinary = option(result, OptionKind.SUMMONS_ORDINARY)
    best_other = max((o for o in result.options if o.available and o.kind is not OptionKind.SUMMONS_ORDINARY),
                     key=lambda o: o.expected_net)
    assert best_other.expected_net > ordinary.expected_net  # the premise: ordinary is not the best net
    assert result.recommended is OptionKind.SUMMONS_ORDINARY
    assert result.track.track is Track.ORDINARY
    assert result.principle.score == 1 and result.principle.label == "Pilotmål"
    assert "Pilotmål" in result.explanation
    assert format_sek(best_other.expected_net) in result.explanation
    assert format_sek(ordinary.expected_net) in result.explanation
    # Without the flag the same facts go elsewhere.
    assert triage(facts(10000, INVOICE_ONLY, ("identity",))).recommended is not OptionKind.SUMMONS_ORDINARY


def test_tie_goes_to_lower_cost():
    tolerance = D(1_000_000)  # every option counts as tied with the best: the cheapest wins
    result = triage(facts(8000), {"decision": {"tie_tolerance": tolerance}})
    limit = wd(W["decision"]["write_off_threshold"])
    candidates = [o for o in result.options
                  if o.available and (o.expected_net > limit or o.kind is OptionKind.WRITE_OFF)]
    cheapest = min(candidates, key=lambda o: (o.expected_costs, list(OptionKind).index(o.kind)))
    assert result.recommended is cheapest.kind
    assert cheapest.kind is OptionKind.WRITE_OFF  # costs 0: ties go to write-off first


def test_write_off_threshold_applies():
    base = triage(facts(8000))
    best = option(base, base.recommended)
    result = triage(facts(8000), {"decision": {"write_off_threshold": best.expected_net + 1}})
    assert result.recommended is OptionKind.WRITE_OFF
    assert format_sek(best.expected_net + 1) in result.explanation


# --------------------------------------------------------------------------------------------------
# Amount, interest and track
# --------------------------------------------------------------------------------------------------


def test_accrued_interest_counts_toward_value_and_crosses_the_threshold():
    limit = threshold()
    capital = limit - 100  # just under half the prisbasbelopp on capital alone
    due = date(2025, 9, 1)  # a year of dröjsmålsränta: far more than 100 kr
    case = facts(claim_lines=(line(capital, invoice=date(2025, 8, 1), due=due),))
    result = triage(case)
    expected_interest = late_interest(capital, interest_start(due_date=due), V).total
    assert expected_interest > 100
    assert result.capital == capital
    assert result.accrued_interest == expected_interest
    assert result.claim_value == capital + expected_interest
    assert choose_track(capital, V).track is Track.SIMPLIFIED  # capital alone: FT-mål
    assert result.track.track is Track.ORDINARY  # with interest (NJA 1984 s. 290): ordinary
    assert not option(result, OptionKind.SUMMONS_SIMPLIFIED).available
    assert option(result, OptionKind.SUMMONS_ORDINARY).available


def test_no_interest_before_due_date_keeps_ft_track():
    limit = threshold()
    case = facts(claim_lines=(line(limit - 100, invoice=date(2026, 8, 1), due=date(2026, 9, 30)),))
    result = triage(case)
    assert result.accrued_interest == 0
    assert result.track.track is Track.SIMPLIFIED


def test_interest_is_summed_over_lines_and_setoff_counts_toward_value():
    lines = (line(3000, due=date(2026, 1, 31), invoice=date(2026, 1, 1)),
             line(4000, due=date(2026, 4, 30), invoice=date(2026, 4, 1)))
    result = triage(facts(claim_lines=lines, objections=("setoff",), setoff_amount=D("1500.50")))
    interest = sum(late_interest(line.capital, interest_start(due_date=line.due_date), V).total for line in lines)
    assert result.accrued_interest == interest
    assert result.claim_value == D(7000) + interest + D("1500.50")
    assert format_sek(D("1500.50")) in result.amount.explanation


# --------------------------------------------------------------------------------------------------
# Recoverable costs per track (RB 18 kap. 8 a § cap) and fees from app.law
# --------------------------------------------------------------------------------------------------


def test_ft_summons_recovers_only_one_hour_of_timkostnadsnorm_and_the_fee():
    result = triage(facts(8000))
    assert result.track.track is Track.SIMPLIFIED
    summons = option(result, OptionKind.SUMMONS_SIMPLIFIED)
    own_work = wd(W["costs"]["jurist_hours"]["summons_simplified"]) * wd(W["costs"]["internal_hourly_cost"])
    norm = timkostnadsnorm(V.year)
    fee = court_fee(Track.SIMPLIFIED, V)
    assert own_work > norm  # the cap bites
    law = recoverable_costs(Track.SIMPLIFIED, V.year, claimed_advice_amount=own_work, court_fee=fee)
    assert summons.recoverable_costs == law.recoverable_total
    assert summons.recoverable_costs == norm + fee
    assert format_sek(norm) in summons.explanation
    assert "8 a §" in summons.explanation


def test_ordinary_summons_recovers_costs_in_full():
    result = triage(facts(60000))
    summons = option(result, OptionKind.SUMMONS_ORDINARY)
    own_work = wd(W["costs"]["jurist_hours"]["summons_ordinary"]) * wd(W["costs"]["internal_hourly_cost"])
    fee = court_fee(Track.ORDINARY, V)
    assert summons.recoverable_costs == recoverable_costs(
        Track.ORDINARY, V.year, claimed_advice_amount=own_work, court_fee=fee).recoverable_total
    assert summons.recoverable_costs == own_work + fee
    assert summons.expected_costs > own_work + fee  # plus the expected adverse costs and enforcement


def test_own_work_not_recoverable_when_agency_owns_the_claim():
    result = triage(facts(60000), {"costs": {"own_work_recoverable": False}})
    assert option(result, OptionKind.SUMMONS_ORDINARY).recoverable_costs == court_fee(Track.ORDINARY, V)


def test_case_bestridd_at_kronofogden_goes_by_transfer():
    deadline = date(2026, 9, 20)
    result = triage(facts(8000, transfer_request_deadline=deadline))
    payment_order = option(result, OptionKind.PAYMENT_ORDER)
    assert not payment_order.available
    summons = option(result, OptionKind.SUMMONS_SIMPLIFIED)
    assert format_sek(transfer_supplementary_fee(Track.SIMPLIFIED, V)) in summons.explanation
    assert "överlämnande" in summons.explanation and deadline.isoformat() in summons.explanation


def test_payment_order_on_contested_claim_models_the_transfer():
    result = triage(facts(8000))
    payment_order = option(result, OptionKind.PAYMENT_ORDER)
    assert payment_order.available
    assert "tilläggsavgift" in payment_order.explanation
    assert format_sek(transfer_supplementary_fee(Track.SIMPLIFIED, V)) in payment_order.explanation
    uncontested = option(triage(facts(8000, objections=())), OptionKind.PAYMENT_ORDER)
    assert uncontested.probability > payment_order.probability


# --------------------------------------------------------------------------------------------------
# Explanations
# --------------------------------------------------------------------------------------------------


def test_explanation_shows_the_formatted_numbers():
    result = triage(facts(18000))
    chosen = option(result, result.recommended)
    for amount in (result.claim_value, result.capital, result.accrued_interest, chosen.expected_net,
                   chosen.expected_recovery, chosen.expected_costs):
        assert format_sek(amount) in result.explanation
    assert format_sek(result.track.threshold, whole_kronor=True) in result.explanation
    assert f"FT-mål: {format_sek(result.claim_value)} ≤ " in result.explanation
    assert NBSP + "kr" in result.explanation
    for estimate in result.options:
        if estimate.available:
            assert format_sek(estimate.expected_net) in estimate.explanation
        else:
            assert estimate.explanation.startswith("Inte aktuellt")
    assert format_sek(result.claim_value) in result.amount.explanation
    assert result.track.reason in result.amount.explanation


def test_evidence_factor_arithmetic():
    weights = W["evidence"]["kind_weights"]
    penalty = wd(W["objections"]["identity"]["penalty"])
    raw = wd(weights["invoice"]) + wd(weights["reminder"])
    result = triage(facts(20000, INVOICE_ONLY, ("identity",)))
    assert result.evidence.score == (raw * (1 - penalty)).quantize(D("0.0001"))
    assert result.evidence.label == "Svagt"
    with_contract = triage(facts(20000, INVOICE_ONLY | {EvidenceKind.CONTRACT}, ("identity",)))
    assert with_contract.evidence.score > result.evidence.score
    assert "bemöts av avtal" in with_contract.evidence.explanation


def test_evidence_line_strength_capped_at_one_and_capital_weighted():
    weights = W["evidence"]["kind_weights"]
    assert sum(wd(weights[k.value]) for k in STRONG) > 1  # premise: the cap bites
    rebutted = wd(W["objections"]["defective"]["penalty_if_rebutted"])
    # 1 (capped) × (1 − the smaller penalty: the delivery proof answers "defective")
    assert triage(facts(8000)).evidence.score == 1 - rebutted
    assert triage(facts(8000, objections=())).evidence.score == 1
    weak_line = wd(weights["invoice"]) + wd(weights["reminder"])
    lines = (line(3000, STRONG), line(1000, INVOICE_ONLY))
    expected = (D(3000) * 1 + D(1000) * weak_line) / D(4000)
    assert triage(facts(claim_lines=lines, objections=())).evidence.score == expected.quantize(D("0.0001"))


# --------------------------------------------------------------------------------------------------
# Ability to pay
# --------------------------------------------------------------------------------------------------


def test_missing_ability_record_is_flagged_and_uses_the_default():
    result = triage(facts(8000, ability=None))
    assert result.stale_ability_record is True
    assert result.ability.label == "Okänd"
    assert result.ability.score == wd(W["ability"]["default_without_record"])
    assert "saknas" in result.explanation


@pytest.mark.parametrize(("age_days", "stale"), [
    pytest.param(0, False, id="fresh"),
    pytest.param(W["ability"]["stale_after_days"], False, id="exactly at the limit is still current"),
    pytest.param(W["ability"]["stale_after_days"] + 1, True, id="one day over the limit is stale"),
])
def test_stale_ability_record(age_days, stale):
    record = replace(SOLVENT, recorded_on=V - timedelta(days=age_days))
    result = triage(facts(8000, ability=record))
    assert result.stale_ability_record is stale
    assert ("inaktuell" in result.explanation) is stale


def test_monitoring_only_for_debtors_without_means():
    assert not option(triage(facts(25000)), OptionKind.MONITORING).available
    assert option(triage(facts(25000, ability=WITHOUT_MEANS)), OptionKind.MONITORING).available


# --------------------------------------------------------------------------------------------------
# Limitation and urgent dates
# --------------------------------------------------------------------------------------------------


def test_urgent_dates_sorted_with_days_left():
    invoice = date(2023, 9, 15)  # consumer claim: 3 years → limitation in September 2026
    limitation = limitation_after_interruptions(invoice, [], consumer_claim=True)
    deadline = date(2026, 9, 10)
    assert V < deadline < limitation  # the premise of the ordering below
    result = triage(facts(claim_lines=(line(8000, invoice=invoice, due=invoice + timedelta(days=30)),),
                          transfer_request_deadline=deadline))
    assert result.limitation_date == limitation
    assert [u.on for u in result.urgent_dates] == [deadline, limitation]
    assert [u.label for u in result.urgent_dates] == ["Sista dag att begära överlämnande", "Preskription"]
    assert [u.days_left for u in result.urgent_dates] == [(deadline - V).days, (limitation - V).days]

    later = limitation + timedelta(days=5)
    result = triage(facts(claim_lines=(line(8000, invoice=invoice, due=invoice + timedelta(days=30)),),
                          transfer_request_deadline=later))
    assert [u.on for u in result.urgent_dates] == [limitation, later]


def test_limitation_from_earliest_line_and_interruptions():
    early, late = date(2024, 1, 10), date(2025, 5, 1)
    lines = (line(1000, invoice=late, due=late + timedelta(days=30)),
             line(1000, invoice=early, due=early + timedelta(days=30)))
    result = triage(facts(claim_lines=lines))
    assert result.limitation_date == limitation_after_interruptions(early, [], consumer_claim=True)
    interruption = date(2026, 6, 1)
    result = triage(facts(claim_lines=lines, limitation_interruptions=(interruption,)))
    assert result.limitation_date == limitation_after_interruptions(early, [interruption], consumer_claim=True)
    business = triage(facts(claim_lines=lines, consumer_claim=False))
    assert business.limitation_date == limitation_after_interruptions(early, [], consumer_claim=False)


def test_time_barred_claim_can_only_be_written_off():
    invoice = date(2022, 1, 10)  # consumer claim, no interruption: time-barred in January 2025
    case = facts(60000, claim_lines=(line(60000, invoice=invoice, due=date(2022, 2, 10)),), objections=("limitation",))
    result = triage(case)
    assert result.limitation_date < V
    assert result.urgent_dates[0].days_left < 0
    assert result.recommended is OptionKind.WRITE_OFF
    assert [o.kind for o in result.options if o.available] == [OptionKind.WRITE_OFF]
    assert "preskriberad" in result.explanation
    # An interruption registered in time keeps it alive.
    alive = triage(replace(case, limitation_interruptions=(date(2024, 12, 1),)))
    assert alive.recommended is not OptionKind.WRITE_OFF
    assert alive.evidence.score > result.evidence.score  # the limitation objection is answered by the records


# --------------------------------------------------------------------------------------------------
# Weights: override, validation, loading
# --------------------------------------------------------------------------------------------------


def test_weights_override_changes_the_outcome():
    case = facts(8000)
    assert triage(case).recommended is OptionKind.SUMMONS_SIMPLIFIED
    generous = {"settlement": {"probability": {"good": 1}, "discount": {"strong": 0}}}
    assert triage(case, generous).recommended is OptionKind.SETTLEMENT
    # A complete mapping (as app.config may hold) works the same way.
    assert triage(case, merge_weights(load_weights(), generous)).recommended is OptionKind.SETTLEMENT
    # The shipped weights are untouched.
    assert triage(case).recommended is OptionKind.SUMMONS_SIMPLIFIED


def test_shipped_weights_are_cached_and_read_only():
    assert load_weights() is load_weights()
    with pytest.raises(TypeError):
        load_weights()["decision"]["write_off_threshold"] = 0  # type: ignore[index]


def test_weights_cover_every_objection_category_and_evidence_kind():
    from app.cases.models import ObjectionCategory

    assert set(OBJECTION_CATEGORIES) == {c.value for c in ObjectionCategory}
    assert set(W["objections"]) == set(OBJECTION_CATEGORIES)
    assert set(W["evidence"]["kind_weights"]) == {k.value for k in EvidenceKind}


SHIPPED = WEIGHTS_PATH.read_text(encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "message"), [
    pytest.param("[meta]", "[meta", "not valid TOML", id="broken TOML"),
    pytest.param("weak = 0.25\n", "", "court.win_probability.weak: missing", id="missing key"),
    pytest.param("strong = 0.85", "strong = 1.5", "court.win_probability.strong: must be a number in 0..1",
                 id="fraction out of range"),
    pytest.param("stale_after_days = 180", "stale_after_day = 180", "unknown key(s) ['stale_after_day']",
                 id="typo is an unknown key"),
    pytest.param("stale_after_days = 180", "stale_after_days = 0.5",
                 "ability.stale_after_days: must be a positive integer", id="days must be an integer"),
    pytest.param('rebutted_by = ["contract"]', 'rebutted_by = ["contrakt"]', "'contrakt' is not an EvidenceKind",
                 id="unknown evidence kind"),
    pytest.param("penalty_if_rebutted = 0.25", "penalty_if_rebutted = 0.9",
                 "objections.identity: penalty_if_rebutted must not exceed penalty", id="rebuttal must not hurt"),
    pytest.param("own_work_recoverable = true", 'own_work_recoverable = "yes"',
                 "costs.own_work_recoverable: must be true or false", id="boolean"),
])
def test_bad_weights_file_raises_a_clear_error(tmp_path, old, new, message):
    assert SHIPPED.count(old) == 1, old
    path = tmp_path / "weights.toml"
    path.write_text(SHIPPED.replace(old, new), encoding="utf-8")
    with pytest.raises(WeightsInvalid) as caught:
        load_weights_file(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_unchanged_copy_of_shipped_file_loads(tmp_path):
    path = tmp_path / "weights.toml"
    path.write_text(SHIPPED, encoding="utf-8")
    assert load_weights_file(path) == load_weights()


def test_bad_weights_mapping_raises():
    with pytest.raises(WeightsInvalid, match=r"court\.win_probability\.strong"):
        triage(facts(), {"court": {"win_probability": {"strong": 2}}})
    with pytest.raises(WeightsInvalid, match=r"court\.win_probability: strong .* must be >= medium"):
        triage(facts(), {"court": {"win_probability": {"strong": "0.5", "medium": "0.6"}}})
    with pytest.raises(WeightsInvalid, match="unknown key"):
        triage(facts(), {"decisions": {}})


def test_invalid_facts_are_rejected():
    with pytest.raises(ValueError, match="unknown objection categories"):
        triage(facts(objections=("paid_already",)))
    with pytest.raises(ValueError, match="at least one claim line"):
        triage(TriageInput(valuation_date=V, claim_lines=(), objection_categories=()))


# --------------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------------

kind_sets = st.frozensets(st.sampled_from(list(EvidenceKind)))
objection_sets = st.lists(st.sampled_from(OBJECTION_CATEGORIES), max_size=3, unique=True)
money = st.integers(min_value=0, max_value=200_000).map(D)
abilities = st.one_of(st.none(), st.builds(
    AbilityFacts,
    recorded_on=st.just(date(2026, 6, 1)),
    source=st.sampled_from(list(AbilitySource)),
    monthly_income=st.one_of(st.none(), money),
    payment_remarks=st.one_of(st.none(), st.integers(0, 10)),
    kfm_debt_total=st.one_of(st.none(), money),
    known_assets=st.one_of(st.none(), money),
    score=st.one_of(st.none(), st.integers(0, 100)),
))


@PROPERTY
@given(capital=st.integers(100, 120_000), kinds=kind_sets, objections=objection_sets, ability=abilities,
       test_case=st.booleans())
def test_invariants(capital, kinds, objections, ability, test_case):
    result = triage(facts(capital, kinds, objections, ability, test_case=test_case))
    assert tuple(o.kind for o in result.options) == tuple(OptionKind)
    write_off = option(result, OptionKind.WRITE_OFF)
    assert write_off.available and write_off.expected_net == 0 and write_off.expected_costs == 0
    assert option(result, result.recommended).available
    for estimate in result.options:
        assert estimate.expected_net == estimate.expected_recovery - estimate.expected_costs
        assert 0 <= estimate.probability <= 1
    for factor in (result.evidence, result.amount, result.principle, result.ability):
        assert 0 <= factor.score <= 1
    assert list(result.urgent_dates) == sorted(result.urgent_dates, key=lambda u: u.on)


@PROPERTY
@given(kinds=kind_sets, extra=kind_sets, objections=objection_sets)
def test_more_evidence_never_lowers_the_evidence_score(kinds, extra, objections):
    fewer = triage(facts(8000, kinds, objections)).evidence.score
    more = triage(facts(8000, kinds | extra, objections)).evidence.score
    assert more >= fewer


@PROPERTY
@given(ability=abilities.filter(lambda a: a is not None), low=money, raise_by=money)
def test_higher_income_never_lowers_collectability(ability, low, raise_by):
    poorer = triage(facts(8000, ability=replace(ability, monthly_income=low))).ability.score
    richer = triage(facts(8000, ability=replace(ability, monthly_income=low + raise_by))).ability.score
    assert richer >= poorer
