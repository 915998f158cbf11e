"""Triage scoring for a contested claim: four factors, six options, one recommendation.

Pure Python beside :mod:`app.law`: no Flask, no database, no clock (the caller passes the valuation
date). Money is ``Decimal`` rounded to öre half up; probabilities are ``Decimal`` fractions.

Where the numbers come from:

* **law** — every fee, the FT-mål threshold, the timkostnadsnorm and the RB 18 kap. 8 a § cost cap,
  dröjsmålsränta, limitation periods and the efterbevakning interval come from :mod:`app.law`;
* **judgement and the agency's own costs** — evidence weights, objection penalties, win
  probabilities, the collectability model, jurist hours, the internal hourly cost, settlement
  discounts, the write-off threshold … come from ``weights.toml`` beside this module
  (:func:`load_weights`), or from a mapping the caller passes (``app.config['TRIAGE_WEIGHTS']``).

The model is deliberately plain arithmetic so that every option's explanation can show it:

* **Evidence** — per claim line the sum of the weights of its evidence kinds, capped at 1;
  capital-weighted over the lines; then each objection category removes a fraction (a smaller one
  when evidence that answers it is registered). The band (strong/medium/weak) gives the chance of
  winning in court.
* **Amount** — capital + dröjsmålsränta accrued to the valuation date (+ a set-off objection) is the
  claim value of RB 1 kap. 3 d § (NJA 1984 s. 290, NJA 1990 s. 770), which chooses the track.
* **Principle** — a test case (synnerlig betydelse) goes to the ordinary track and is recommended
  there even when another option has a higher expected net.
* **Ability to pay** — the collectability model from the newest ability record.

Each option's ``expected_net = expected_recovery − expected_costs``; WRITE_OFF is the baseline (0).
"""
from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import Any

from app.law import costs as law_costs
from app.law import fees
from app.law.deadlines import add_months, monitoring_next_check
from app.law.formatting import ORE, format_number, format_percent, format_sek
from app.law.interest import interest_start, late_interest
from app.law.limitation import limitation_after_interruptions
from app.law.track import Track, TrackDecision, choose_track, claim_value
from app.triage.kinds import AbilitySource, EvidenceKind, OptionKind

__all__ = [
    "OBJECTION_CATEGORIES",
    "WEIGHTS_PATH",
    "AbilityFacts",
    "ClaimLineFacts",
    "Factor",
    "OptionEstimate",
    "TriageInput",
    "TriageResult",
    "UrgentDate",
    "WeightsInvalid",
    "load_weights",
    "load_weights_file",
    "merge_weights",
    "triage",
    "validate_weights",
]

WEIGHTS_PATH = Path(__file__).resolve().with_name("weights.toml")

#: The ObjectionCategory values (app.cases.models, not imported here: that module needs SQLAlchemy).
OBJECTION_CATEGORIES: tuple[str, ...] = (
    "already_paid",
    "defective",
    "not_ordered",
    "wrong_amount",
    "limitation",
    "identity",
    "setoff",
    "other",
)

ZERO = Decimal(0)
ONE = Decimal(1)
NO_MONEY = Decimal("0.00")
_PROB = Decimal("0.0001")


# =====================================================================================================
# Inputs and results (the contract with app.triage.services)
# =====================================================================================================


#: ClaimLineFacts.interest_from when not given: interest from the due date (räntelagen 3 §).
FROM_DUE_DATE: Any = "from_due_date"


@dataclass(frozen=True)
class ClaimLineFacts:
    """One claim line (fordringsrad) and the evidence registered as supporting it.

    ``arose_on`` is when the claim arose (limitation runs from it; None: the invoice date);
    ``interest_from`` the first interest day as app.facts computed it (3 § or 4 § räntelagen; None:
    no interest runs yet), by default the due date."""

    capital: Decimal
    invoice_date: date
    due_date: date
    evidence_kinds: frozenset[EvidenceKind]
    arose_on: date | None = None
    interest_from: Any = FROM_DUE_DATE


@dataclass(frozen=True)
class AbilityFacts:
    """The newest ability-to-pay record (betalningsförmåga)."""

    recorded_on: date
    source: AbilitySource
    monthly_income: Decimal | None
    payment_remarks: int | None  # betalningsanmärkningar
    kfm_debt_total: Decimal | None  # Kronofogden skuldsaldo
    known_assets: Decimal | None
    score: int | None  # credit score 0-100 if the report has one


@dataclass(frozen=True)
class TriageInput:
    """Everything the engine needs about one case, as plain values."""

    valuation_date: date  # planned filing date (interest accrues to it; the track uses its year)
    claim_lines: tuple[ClaimLineFacts, ...]
    objection_categories: tuple[str, ...]  # ObjectionCategory values
    setoff_amount: Decimal = Decimal(0)  # a set-off objection's amount counts toward the value
    collection_charges: Decimal = Decimal(0)  # claimed in the same yrkande: count toward the value
    consumer_claim: bool = True  # business → consumer (3-year limitation)
    business_debtor: bool = False
    test_case: bool = False  # synnerlig betydelse → ordinary track
    ability: AbilityFacts | None = None
    limitation_interruptions: tuple[date, ...] = ()
    transfer_request_deadline: date | None = None  # if the case is bestridd at Kronofogden
    contested_at_kfm: bool = False  # bestridd at Kronofogden: a betalningsföreläggande is behind it


@dataclass(frozen=True)
class Factor:
    """One of the four factors, shown side by side on the triage page."""

    score: Decimal  # 0..1
    label: str  # Swedish, e.g. "Starkt", "Medel", "Svagt"
    explanation: str  # Swedish sentence(s) with the numbers behind it


@dataclass(frozen=True)
class OptionEstimate:
    """What one option is expected to cost and bring in."""

    kind: OptionKind
    available: bool
    probability: Decimal  # chance of obtaining payment/title, 0..1
    expected_costs: Decimal  # agency's outlay: fees + own work (+ expected adverse costs)
    recoverable_costs: Decimal  # what the debtor can be made to pay back under that route
    expected_recovery: Decimal  # expected money in
    expected_net: Decimal  # expected_recovery - expected_costs
    explanation: str  # Swedish, showing the arithmetic


@dataclass(frozen=True)
class UrgentDate:
    label: str
    on: date
    days_left: int  # from the valuation date; negative when already passed


@dataclass(frozen=True)
class TriageResult:
    evidence: Factor
    amount: Factor
    principle: Factor
    ability: Factor
    claim_value: Decimal
    capital: Decimal
    accrued_interest: Decimal
    track: TrackDecision
    options: tuple[OptionEstimate, ...]  # all six OptionKind, in OptionKind order
    recommended: OptionKind
    explanation: str
    urgent_dates: tuple[UrgentDate, ...]  # sorted by date
    limitation_date: date | None
    stale_ability_record: bool


# =====================================================================================================
# Weights: loading and validation
# =====================================================================================================


class WeightsInvalid(ValueError):
    """The triage weights (file or mapping) do not have the structure the engine requires."""


class _Leaf:
    """A leaf of the weights schema: how to check and convert one value."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<{self.kind}>"


FRACTION = _Leaf("a number in 0..1")
NON_NEGATIVE = _Leaf("a number >= 0")
POSITIVE = _Leaf("a number > 0")
POSITIVE_INT = _Leaf("a positive integer")
BOOLEAN = _Leaf("true or false")
TEXT = _Leaf("a non-empty string")
KINDS = _Leaf(f"a list of EvidenceKind values {[k.value for k in EvidenceKind]}")

_BANDS3 = {"strong": FRACTION, "medium": FRACTION, "weak": FRACTION}

#: The schema of weights.toml. A key ending in "?" is optional. Unknown keys are errors (typos).
SCHEMA: dict[str, Any] = {
    "meta": {"version": POSITIVE_INT, "description": TEXT},
    "evidence": {
        "kind_weights": {kind.value: FRACTION for kind in EvidenceKind},
        "bands": {"strong": FRACTION, "medium": FRACTION},
    },
    "objections": {
        category: {"penalty": FRACTION, "penalty_if_rebutted?": FRACTION, "rebutted_by?": KINDS}
        for category in OBJECTION_CATEGORIES
    },
    "amount": {
        "full_score_multiple_of_threshold": POSITIVE,
        "bands": {"high": FRACTION, "medium": FRACTION},
    },
    "ability": {
        "default_without_record": FRACTION,
        "base": FRACTION,
        "income_weight": FRACTION,
        "income_full": POSITIVE,
        "remark_penalty": FRACTION,
        "remarks_cap": POSITIVE_INT,
        "kfm_debt_weight": FRACTION,
        "kfm_debt_full": POSITIVE,
        "assets_weight": FRACTION,
        "assets_full": POSITIVE,
        "credit_score_blend": FRACTION,
        "floor": FRACTION,
        "ceiling": FRACTION,
        "stale_after_days": POSITIVE_INT,
        "bands": {"good": FRACTION, "medium": FRACTION},
    },
    "costs": {
        "internal_hourly_cost": NON_NEGATIVE,
        "own_work_recoverable": BOOLEAN,
        "jurist_hours": {
            "settlement": NON_NEGATIVE,
            "payment_order": NON_NEGATIVE,
            "transfer_extra": NON_NEGATIVE,
            "summons_simplified": NON_NEGATIVE,
            "summons_ordinary": NON_NEGATIVE,
            "monitoring_setup": NON_NEGATIVE,
        },
    },
    "court": {
        "win_probability": _BANDS3,
        "adverse_counsel_probability": FRACTION,
        "adverse_counsel_hours": {"simplified": NON_NEGATIVE, "ordinary": NON_NEGATIVE},
        "include_enforcement_fee": BOOLEAN,
    },
    "payment_order": {
        "objection_probability_contested": FRACTION,
        "objection_probability_uncontested": FRACTION,
        "kfm_costs_recoverable_after_transfer": BOOLEAN,
        "transfer_delay_months": NON_NEGATIVE,
    },
    "settlement": {
        "probability": {"good": FRACTION, "medium": FRACTION, "weak": FRACTION},
        "evidence_multiplier": _BANDS3,
        "discount": _BANDS3,
        "instalment_plan": BOOLEAN,
    },
    "monitoring": {
        "horizon_months": POSITIVE_INT,
        "cost_per_check": NON_NEGATIVE,
        "success_rate": FRACTION,
        "max_collectability": FRACTION,
    },
    "decision": {
        "write_off_threshold": NON_NEGATIVE,
        "tie_tolerance": NON_NEGATIVE,
        "annual_discount_rate": FRACTION,
    },
}


def _number(value: Any, where: str) -> Decimal:
    if isinstance(value, bool):
        raise WeightsInvalid(f"{where}: expected a number, got a boolean")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))  # the shortest text of the float: 0.35 -> Decimal("0.35")
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise WeightsInvalid(f"{where}: {value!r} is not a number") from None
    else:
        raise WeightsInvalid(f"{where}: expected a number, got {type(value).__name__}")
    if not number.is_finite():
        raise WeightsInvalid(f"{where}: {value!r} is not a finite number")
    return number


def _leaf(leaf: _Leaf, value: Any, where: str) -> Any:
    if leaf is BOOLEAN:
        if not isinstance(value, bool):
            raise WeightsInvalid(f"{where}: must be {leaf.kind}, got {value!r}")
        return value
    if leaf is TEXT:
        if not isinstance(value, str) or not value.strip():
            raise WeightsInvalid(f"{where}: must be {leaf.kind}")
        return value
    if leaf is KINDS:
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)) or not value:
            raise WeightsInvalid(f"{where}: must be {leaf.kind}")
        kinds = []
        for item in value:
            try:
                kinds.append(EvidenceKind(item))
            except ValueError:
                raise WeightsInvalid(f"{where}: {item!r} is not an EvidenceKind; use one of "
                                     f"{[k.value for k in EvidenceKind]}") from None
        return frozenset(kinds)
    if leaf is POSITIVE_INT:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise WeightsInvalid(f"{where}: must be {leaf.kind}, got {value!r}")
        return value
    number = _number(value, where)
    if leaf is FRACTION and not ZERO <= number <= ONE:
        raise WeightsInvalid(f"{where}: must be {leaf.kind}, got {value!r}")
    if leaf is NON_NEGATIVE and number < 0:
        raise WeightsInvalid(f"{where}: must be {leaf.kind}, got {value!r}")
    if leaf is POSITIVE and number <= 0:
        raise WeightsInvalid(f"{where}: must be {leaf.kind}, got {value!r}")
    return number


def _check(schema: Mapping[str, Any], raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise WeightsInvalid(f"{where}: must be a table, got {type(raw).__name__}")
    keys = {key.rstrip("?"): key for key in schema}
    unknown = sorted(set(raw) - set(keys))
    if unknown:
        raise WeightsInvalid(f"{where}: unknown key(s) {unknown}; allowed: {sorted(keys)}")
    result: dict[str, Any] = {}
    for name, spec_key in keys.items():
        here = f"{where}.{name}" if where != "weights" else name
        if name not in raw:
            if spec_key.endswith("?"):
                continue
            raise WeightsInvalid(f"{here}: missing")
        spec = schema[spec_key]
        result[name] = _check(spec, raw[name], here) if isinstance(spec, dict) else _leaf(spec, raw[name], here)
    return result


def _ordered(values: Mapping[str, Decimal], keys: tuple[str, ...], where: str) -> None:
    """``values[keys[0]] >= values[keys[1]] >= …`` (bands must not cross)."""
    for high, low in zip(keys, keys[1:]):
        if values[high] < values[low]:
            raise WeightsInvalid(f"{where}: {high} ({values[high]}) must be >= {low} ({values[low]})")


def validate_weights(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check a complete weights mapping against :data:`SCHEMA` and the cross-rules; return it
    normalised (numbers as Decimal, evidence-kind lists as frozensets). Raises WeightsInvalid."""
    weights = _check(SCHEMA, raw, "weights")
    _ordered(weights["evidence"]["bands"], ("strong", "medium"), "evidence.bands")
    _ordered(weights["amount"]["bands"], ("high", "medium"), "amount.bands")
    _ordered(weights["ability"]["bands"], ("good", "medium"), "ability.bands")
    _ordered(weights["court"]["win_probability"], ("strong", "medium", "weak"), "court.win_probability")
    ability = weights["ability"]
    if ability["floor"] > ability["ceiling"]:
        raise WeightsInvalid(f"ability: floor ({ability['floor']}) must be <= ceiling ({ability['ceiling']})")
    for category, rule in weights["objections"].items():
        where = f"objections.{category}"
        if "rebutted_by" in rule and "penalty_if_rebutted" not in rule:
            raise WeightsInvalid(f"{where}: rebutted_by needs penalty_if_rebutted")
        if "penalty_if_rebutted" in rule and rule["penalty_if_rebutted"] > rule["penalty"]:
            # Otherwise registering more evidence could lower the evidence score.
            raise WeightsInvalid(f"{where}: penalty_if_rebutted must not exceed penalty")
    limitation = weights["objections"]["limitation"]
    if "rebutted_by" in limitation or "penalty_if_rebutted" not in limitation:
        raise WeightsInvalid(
            "objections.limitation: needs penalty_if_rebutted and no rebutted_by (it is rebutted by the "
            "computed limitation date, not by an evidence kind)"
        )
    return weights


def _freeze(value: Any) -> Any:
    if isinstance(value, Mapping):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _thaw(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [_thaw(item) for item in value]
    return value


def load_weights_file(path: Path | str) -> Mapping[str, Any]:
    """Read and validate a weights file (uncached); returns the raw values, read-only."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError:
        raise WeightsInvalid(f"{path}: triage weights file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise WeightsInvalid(f"{path}: not valid TOML: {exc}") from exc
    try:
        validate_weights(raw)
    except WeightsInvalid as exc:
        raise WeightsInvalid(f"{path}: {exc}") from None
    return _freeze(raw)


@functools.cache
def load_weights() -> Mapping[str, Any]:
    """The shipped weights (``app/triage/weights.toml``), loaded and validated once, read-only.

    To change some values pass ``merge_weights(load_weights(), {...})`` — or just the partial
    mapping — as ``triage(..., weights=...)``.
    """
    return load_weights_file(WEIGHTS_PATH)


def merge_weights(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """A new plain mapping: ``base`` with ``overrides`` deep-merged in (tables merge, values replace)."""
    merged = _thaw(base)
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = merge_weights(merged[key], value)
        else:
            merged[key] = _thaw(value)
    return merged


@functools.cache
def _default_weights() -> dict[str, Any]:
    return validate_weights(load_weights())


def _resolve_weights(weights: Mapping[str, Any] | None) -> dict[str, Any]:
    if weights is None:
        return _default_weights()
    return validate_weights(merge_weights(load_weights(), weights))


# =====================================================================================================
# Small helpers
# =====================================================================================================


def _money(value: Decimal) -> Decimal:
    return value.quantize(ORE, rounding=ROUND_HALF_UP)


def _prob(value: Decimal) -> Decimal:
    return value.quantize(_PROB, rounding=ROUND_HALF_UP)


def _clamp(value: Decimal, low: Decimal = ZERO, high: Decimal = ONE) -> Decimal:
    return max(low, min(high, value))


def _num(value: Decimal, decimals: int = 2) -> str:
    return format_number(value, decimals=decimals)


def _pct(fraction: Decimal) -> str:
    """0.7225 -> "72,25 %", 0.85 -> "85 %" (two decimals only when needed)."""
    percent = (fraction * 100).quantize(ORE, rounding=ROUND_HALF_UP)
    return format_percent(percent, decimals=0 if percent == percent.to_integral_value() else 2)


def _hours(value: Decimal) -> str:
    return format_number(value, decimals=0 if value == value.to_integral_value() else 1) + " h"


_EVIDENCE_LABELS = {"strong": "Starkt", "medium": "Medel", "weak": "Svagt"}
_EVIDENCE_WORDS = {"strong": "stark bevisning", "medium": "medelstark bevisning", "weak": "svag bevisning"}
_AMOUNT_LABELS = {"high": "Högt", "medium": "Medel", "low": "Lågt"}
_ABILITY_LABELS = {"good": "God", "medium": "Medel", "weak": "Svag"}
_CATEGORY_LABELS = {
    "already_paid": "Redan betalt",
    "defective": "Fel vara/tjänst",
    "not_ordered": "Ej beställt",
    "wrong_amount": "Fel belopp",
    "limitation": "Preskription",
    "identity": "Identitet/bedrägeri",
    "setoff": "Kvittning",
    "other": "Övrigt",
}


def _band(score: Decimal, bands: Mapping[str, Decimal], names: tuple[str, str, str]) -> str:
    """names = (top, middle, bottom); bands holds the thresholds of top and middle."""
    top, middle, bottom = names
    if score >= bands[top]:
        return top
    if score >= bands[middle]:
        return middle
    return bottom


# =====================================================================================================
# Interest, value, limitation
# =====================================================================================================


@dataclass(frozen=True)
class _Line:
    facts: ClaimLineFacts
    interest: Decimal
    limitation_date: date
    time_barred: bool


def _lines(facts: TriageInput) -> tuple[_Line, ...]:
    """Interest to the valuation date and the limitation date of each claim line.

    Limitation runs from when the claim arose (preskriptionslag 2 §), not from the due date: the
    recorded ``arose_on`` (delivery), else the invoice date as the nearest, earlier proxy. An
    interruption before a line arose cannot interrupt it and is ignored for that line.
    """
    result = []
    for line in facts.claim_lines:
        start = interest_start(due_date=line.due_date) if line.interest_from is FROM_DUE_DATE else line.interest_from
        interest = (late_interest(line.capital, start, facts.valuation_date).total
                    if start and start < facts.valuation_date else ZERO)
        arose = line.arose_on or line.invoice_date
        interruptions = [d for d in facts.limitation_interruptions if d >= arose]
        limit = limitation_after_interruptions(arose, interruptions, consumer_claim=facts.consumer_claim)
        result.append(_Line(line, interest, limit, facts.valuation_date > limit))
    return tuple(result)


def _validate_input(facts: TriageInput) -> None:
    if not isinstance(facts.valuation_date, date) or isinstance(facts.valuation_date, datetime):
        raise TypeError("valuation_date must be a datetime.date")
    if not facts.claim_lines:
        raise ValueError("triage needs at least one claim line")
    for index, line in enumerate(facts.claim_lines, start=1):
        if not isinstance(line.capital, Decimal) or line.capital < 0:
            raise ValueError(f"claim line {index}: capital must be a non-negative Decimal")
        if line.due_date < line.invoice_date:
            raise ValueError(f"claim line {index}: due_date is before invoice_date")
        for kind in line.evidence_kinds:
            if not isinstance(kind, EvidenceKind):
                raise TypeError(f"claim line {index}: evidence kind {kind!r} is not an EvidenceKind")
    unknown = sorted({str(c) for c in facts.objection_categories} - set(OBJECTION_CATEGORIES))
    if unknown:
        raise ValueError(f"unknown objection categories {unknown}; known: {list(OBJECTION_CATEGORIES)}")
    if not isinstance(facts.setoff_amount, Decimal) or facts.setoff_amount < 0:
        raise ValueError("setoff_amount must be a non-negative Decimal")
    ability = facts.ability
    if ability is not None:
        for name in ("monthly_income", "kfm_debt_total", "known_assets"):
            value = getattr(ability, name)
            if value is not None and (not isinstance(value, Decimal) or value < 0):
                raise ValueError(f"ability.{name} must be a non-negative Decimal or None")
        if ability.payment_remarks is not None and ability.payment_remarks < 0:
            raise ValueError("ability.payment_remarks must not be negative")
        if ability.score is not None and not 0 <= ability.score <= 100:
            raise ValueError("ability.score must be 0..100")


# =====================================================================================================
# The four factors
# =====================================================================================================


@dataclass(frozen=True)
class _Evidence:
    factor: Factor
    band: str
    win_probability: Decimal


def _evidence_factor(facts: TriageInput, lines: tuple[_Line, ...], w: Mapping[str, Any]) -> _Evidence:
    kind_weights = w["evidence"]["kind_weights"]
    total_capital = sum((line.facts.capital for line in lines), ZERO)
    parts: list[str] = []
    weighted = ZERO
    for index, line in enumerate(lines, start=1):
        kinds = sorted(line.facts.evidence_kinds, key=lambda k: list(EvidenceKind).index(k))
        raw = sum((kind_weights[k.value] for k in kinds), ZERO)
        strength = min(ONE, raw)
        share = line.facts.capital / total_capital if total_capital else ONE / len(lines)
        weighted += strength * share
        listed = " + ".join(f"{k.label} {_num(kind_weights[k.value])}" for k in kinds) or "ingen bevisning"
        capped = " (tak 1,00)" if raw > ONE else ""
        parts.append(f"rad {index} ({format_sek(line.facts.capital)}): {listed} = {_num(strength)}{capped}")
    base = weighted
    text = "Bevis per fordringsrad: " + "; ".join(parts) + "."
    if len(lines) > 1:
        text += f" Kapitalviktat: {_num(base)}."

    evidence_on_case = frozenset().union(*(line.facts.evidence_kinds for line in lines))
    any_barred = any(line.time_barred for line in lines)
    score = base
    for category in OBJECTION_CATEGORIES:  # fixed order: the same text for the same facts
        if category not in {str(c) for c in facts.objection_categories}:
            continue
        rule = w["objections"][category]
        if category == "limitation":
            rebutted = not any_barred
            why = "registrerade uppgifter visar att fordran inte är preskriberad" if rebutted else \
                "fordran är preskriberad enligt registrerade uppgifter"
        else:
            answering = sorted((k for k in rule.get("rebutted_by", ()) if k in evidence_on_case),
                               key=lambda k: list(EvidenceKind).index(k))
            rebutted = bool(answering)
            why = "bemöts av " + ", ".join(k.label.lower() for k in answering) if rebutted else "inte bemött"
        penalty = rule["penalty_if_rebutted"] if rebutted else rule["penalty"]
        score = score * (ONE - penalty)
        text += f" Invändning {_CATEGORY_LABELS[category]} ({why}): −{_pct(penalty)}."
    score = _prob(_clamp(score))
    band = _band(score, w["evidence"]["bands"], ("strong", "medium", "weak"))
    win = w["court"]["win_probability"][band]
    text += (f" Bevisläget {_num(score)}: {_EVIDENCE_LABELS[band].lower()} "
             f"(sannolikhet att vinna i domstol {_pct(win)}).")
    return _Evidence(Factor(score, _EVIDENCE_LABELS[band], text), band, win)


def _amount_factor(
    capital: Decimal, interest: Decimal, setoff: Decimal, decision: TrackDecision, w: Mapping[str, Any],
    charges: Decimal = ZERO,
) -> Factor:
    full_at = decision.threshold * w["amount"]["full_score_multiple_of_threshold"]
    score = _prob(_clamp(decision.value / full_at)) if full_at else ONE
    band = _band(score, w["amount"]["bands"], ("high", "medium", "low"))
    setoff_text = f" + kvittningsinvändning {format_sek(setoff)}" if setoff else ""
    setoff_text += f" + inkassoersättningar {format_sek(charges)}" if charges else ""
    text = (
        f"Kapital {format_sek(capital)} + upplupen dröjsmålsränta {format_sek(interest)}{setoff_text} = "
        f"värde {format_sek(decision.value)} (ränta till ingivandet räknas in, NJA 1984 s. 290; "
        f"rättegångskostnader räknas inte). {decision.reason}"
    )
    return Factor(score, _AMOUNT_LABELS[band], text)


def _principle_factor(facts: TriageInput) -> Factor:
    if facts.test_case:
        return Factor(
            ONE,
            "Pilotmål",
            "Markerat som pilotmål: utgången har synnerlig betydelse för andra rättsförhållanden "
            "(RB 1 kap. 3 d § andra stycket). Målet bör drivas som ordinärt tvistemål även om ett annat "
            "alternativ ger högre förväntat netto.",
        )
    return Factor(ZERO, "Ingen", "Ingen principiell betydelse registrerad: ärendet bedöms på sitt eget netto.")


@dataclass(frozen=True)
class _Ability:
    factor: Factor
    band: str
    collectability: Decimal
    stale: bool


def _ability_factor(facts: TriageInput, w: Mapping[str, Any]) -> _Ability:
    """Collectability: the share of a title the agency expects to collect (see weights.toml)."""
    aw = w["ability"]
    record = facts.ability
    if record is None:
        value = _prob(aw["default_without_record"])
        band = _band(value, aw["bands"], ("good", "medium", "weak"))
        text = (f"Uppgift om betalningsförmåga saknas: schablonvärdet {_num(value)} används. "
                "Hämta en kreditupplysning eller Kronofogdens skuldsaldo före beslut.")
        return _Ability(Factor(value, "Okänd", text), band, value, True)

    model = aw["base"]
    terms = [f"utgångsvärde {_num(aw['base'])}"]
    missing = []
    if record.monthly_income is not None:
        part = aw["income_weight"] * min(ONE, record.monthly_income / aw["income_full"])
        model += part
        terms.append(f"+ inkomst {format_sek(record.monthly_income)}/mån {_num(part)}")
    else:
        missing.append("inkomst")
    if record.payment_remarks is not None:
        part = aw["remark_penalty"] * min(record.payment_remarks, aw["remarks_cap"])
        model -= part
        terms.append(f"− {record.payment_remarks} betalningsanmärkningar {_num(part)}")
    else:
        missing.append("betalningsanmärkningar")
    if record.kfm_debt_total is not None:
        part = aw["kfm_debt_weight"] * min(ONE, record.kfm_debt_total / aw["kfm_debt_full"])
        model -= part
        terms.append(f"− skuldsaldo hos Kronofogden {format_sek(record.kfm_debt_total)} {_num(part)}")
    else:
        missing.append("skuldsaldo")
    if record.known_assets is not None:
        part = aw["assets_weight"] * min(ONE, record.known_assets / aw["assets_full"])
        model += part
        terms.append(f"+ kända tillgångar {format_sek(record.known_assets)} {_num(part)}")
    else:
        missing.append("tillgångar")
    model = _clamp(model)
    text = f"Betalningsförmåga ({record.source.label}, {record.recorded_on.isoformat()}): " + " ".join(terms)
    text += f" = {_num(model)}"
    value = model
    if record.score is not None:
        blend = aw["credit_score_blend"]
        value = (ONE - blend) * model + blend * Decimal(record.score) / 100
        text += f"; vägt med kreditbetyget {record.score}/100 ({_pct(blend)}): {_num(value)}"
    value = _prob(_clamp(value, aw["floor"], aw["ceiling"]))
    text += f"; indrivningsgrad {_pct(value)}."
    if missing:
        text += " Saknas i uppgiften: " + ", ".join(missing) + "."
    age = (facts.valuation_date - record.recorded_on).days
    stale = age > aw["stale_after_days"]
    if stale:
        text += (f" Uppgiften är {age} dagar gammal (gräns {aw['stale_after_days']} dagar): inaktuell, "
                 "hämta en ny.")
    band = _band(value, aw["bands"], ("good", "medium", "weak"))
    return _Ability(Factor(value, _ABILITY_LABELS[band], text), band, value, stale)


# =====================================================================================================
# The options
# =====================================================================================================


@dataclass(frozen=True)
class _Ctx:
    facts: TriageInput
    w: Mapping[str, Any]
    on: date
    year: int
    track: TrackDecision
    base: Decimal  # capital + interest of the lines that are not time-barred: what can be recovered
    all_barred: bool
    evidence: _Evidence
    ability: _Ability
    contested: bool
    at_kfm: bool  # bestridd at Kronofogden and the transfer request is still in time

    @property
    def hourly(self) -> Decimal:
        return self.w["costs"]["internal_hourly_cost"]

    @property
    def p_win(self) -> Decimal:
        return self.evidence.win_probability

    @property
    def collect(self) -> Decimal:
        return self.ability.collectability


def _unavailable(kind: OptionKind, reason: str) -> OptionEstimate:
    return OptionEstimate(kind, False, ZERO, NO_MONEY, NO_MONEY, NO_MONEY, NO_MONEY, f"Inte aktuellt: {reason}")


def _estimate(kind: OptionKind, probability: Decimal, costs: Decimal, recoverable: Decimal,
              recovery: Decimal, text: str) -> OptionEstimate:
    costs, recovery = _money(costs), _money(recovery)
    net = recovery - costs
    text += f" Förväntat netto: {format_sek(recovery)} − {format_sek(costs)} = {format_sek(net)}."
    return OptionEstimate(kind, True, _prob(probability), costs, _money(recoverable), recovery, net, text)


def _write_off(ctx: _Ctx) -> OptionEstimate:
    return OptionEstimate(
        OptionKind.WRITE_OFF, True, ZERO, NO_MONEY, NO_MONEY, NO_MONEY, NO_MONEY,
        f"Avskrivning: ingen kostnad och inget inflöde, förväntat netto {format_sek(NO_MONEY)} — "
        "jämförelsepunkten för övriga alternativ.",
    )


def _settlement(ctx: _Ctx) -> OptionEstimate:
    sw = ctx.w["settlement"]
    base_p = sw["probability"][ctx.ability.band]
    multiplier = sw["evidence_multiplier"][ctx.evidence.band]
    p = base_p * multiplier
    discount = sw["discount"][ctx.evidence.band]
    hours = ctx.w["costs"]["jurist_hours"]["settlement"]
    own = hours * ctx.hourly
    agreed = ctx.base * (ONE - discount)
    fee = ZERO
    fee_text = " Ingen ersättning för amorteringsplan räknas (förlikning utan plan)."
    if sw["instalment_plan"]:
        plan_fee = fees.instalment_plan_fee(ctx.on)
        if ctx.facts.business_debtor:
            # Lag 1981:739 4 a §: with förseningsersättning due, collection costs (the plan fee is one)
            # are recoverable only to the extent they exceed it.
            offset = fees.late_payment_compensation(ctx.on, business_debtor=True)
            fee = max(ZERO, plan_fee - offset)
            fee_text = (f" Ersättning för amorteringsplan {format_sek(plan_fee)} ryms i förseningsersättningen "
                        f"{format_sek(offset)} (näringsidkare, lag 1981:739 4 a §): {format_sek(fee)}.")
        else:
            fee = plan_fee
            fee_text = f" Ersättning för amorteringsplan {format_sek(fee)} (lag 1981:739 4 §)."
    recovery = p * (agreed + fee)
    text = (
        f"Förlikning/avbetalningsplan: sannolikhet {_pct(base_p)} (betalningsförmåga "
        f"{_ABILITY_LABELS[ctx.ability.band].lower()}) × {_num(multiplier)} ({_EVIDENCE_WORDS[ctx.evidence.band]}) "
        f"= {_pct(p)}; rabatt {_pct(discount)}: {format_sek(ctx.base)} × {_num(ONE - discount)} = "
        f"{format_sek(agreed)}.{fee_text} Inflöde {_pct(p)} × ({format_sek(agreed)} + {format_sek(fee)}) = "
        f"{format_sek(recovery)}. Kostnad: eget arbete {_hours(hours)} × {format_sek(ctx.hourly)} = "
        f"{format_sek(own)}."
    )
    return _estimate(OptionKind.SETTLEMENT, p, own, fee, recovery, text)


@dataclass(frozen=True)
class _Court:
    costs: Decimal
    recovery: Decimal
    recoverable: law_costs.CostsResult
    text: str


def _court(ctx: _Ctx, track: Track, *, via_kfm: bool, extra_hours: Decimal = ZERO) -> _Court:
    """A tvistemål on ``track``: our fee and work, what we recover if we win and collect, and the
    expected cost of losing (the debtor's costs, capped by the same rules)."""
    w = ctx.w
    hours_key = "summons_simplified" if track is Track.SIMPLIFIED else "summons_ordinary"
    hours = w["costs"]["jurist_hours"][hours_key] + extra_hours
    own = hours * ctx.hourly
    kfm_costs = ZERO
    if via_kfm:
        fee = fees.transfer_supplementary_fee(track, ctx.on)
        fee_text = f"tilläggsavgift vid överlämnande {format_sek(fee)}"
        if w["payment_order"]["kfm_costs_recoverable_after_transfer"]:
            kfm_costs = fees.kfm_application_fee(ctx.on) + fees.bfl_work_compensation(ctx.on)
    else:
        fee = fees.court_fee(track, ctx.on)
        fee_text = f"ansökningsavgift {format_sek(fee)}"
    # The agency claims its work at what it costs (not at the timkostnadsnorm): otherwise, on the
    # ordinary track, more hours would raise the expected net. In an FT-mål app.law caps it anyway.
    claimed = own if w["costs"]["own_work_recoverable"] else ZERO
    ours = law_costs.recoverable_costs(track, ctx.year, claimed_advice_amount=claimed,
                                       court_fee=fee, kfm_costs=kfm_costs)
    exposure = law_costs.recoverable_costs(
        track, ctx.year, claimed_advice_hours=w["court"]["adverse_counsel_hours"][track.value], court_fee=ZERO
    ).recoverable_total
    counsel_p = w["court"]["adverse_counsel_probability"]
    adverse = (ONE - ctx.p_win) * counsel_p * exposure
    enforcement = fees.kfm_enforcement_base_fee(ctx.on) if w["court"]["include_enforcement_fee"] else ZERO
    costs = fee + own + adverse + ctx.p_win * enforcement
    recovery = ctx.p_win * ctx.collect * (ctx.base + ours.recoverable_total + enforcement)

    if track is Track.SIMPLIFIED and ours.advice_cap is not None:
        rule = (f"RB 18 kap. 8 a §: rådgivning högst en timme enligt timkostnadsnormen "
                f"{format_sek(ours.advice_cap)} + avgiften")
    else:
        rule = "RB 18 kap. 1 §: skäliga kostnader"
    if kfm_costs:
        rule += f" + kostnader hos Kronofogden {format_sek(kfm_costs)}"
    enforcement_text = (f" + grundavgift för verkställighet {format_sek(enforcement)} × {_pct(ctx.p_win)}"
                        if enforcement else "")
    enforcement_back = f" + {format_sek(enforcement)}" if enforcement else ""
    text = (
        f"{track.short_label[0].upper() + track.short_label[1:]}: {fee_text} + eget arbete {_hours(hours)} × "
        f"{format_sek(ctx.hourly)} = {format_sek(own)} + risk för motpartens kostnader "
        f"{_pct(ONE - ctx.p_win)} × {_pct(counsel_p)} × {format_sek(exposure)} = {format_sek(_money(adverse))}"
        f"{enforcement_text}. Ersättningsgilla kostnader ({rule}): {format_sek(ours.recoverable_total)}. "
        f"Inflöde: {_pct(ctx.p_win)} vinst × {_pct(ctx.collect)} indrivning × ({format_sek(ctx.base)} + "
        f"{format_sek(ours.recoverable_total)}{enforcement_back}) = {format_sek(_money(recovery))}."
    )
    return _Court(costs, recovery, ours, text)


def _summons(ctx: _Ctx, kind: OptionKind, track: Track) -> OptionEstimate:
    if ctx.track.track is not track:
        value = format_sek(ctx.track.value)
        limit = format_sek(ctx.track.threshold, whole_kronor=True)
        if track is Track.SIMPLIFIED:
            why = "pilotmål" if ctx.facts.test_case else f"över gränsen {limit}"
            reason = f"värdet {value} prövas som {ctx.track.track.short_label} ({why})."
        else:
            reason = (f"värdet {value} är högst {limit} och ärendet är inte markerat som pilotmål "
                      "(RB 1 kap. 3 d §).")
        return _unavailable(kind, reason)
    court = _court(ctx, track, via_kfm=ctx.at_kfm)
    text = court.text
    if ctx.at_kfm:
        text = (f"Begär överlämnande från Kronofogden senast {ctx.facts.transfer_request_deadline.isoformat()}. "
                + text)
    elif ctx.facts.transfer_request_deadline is not None:
        text = ("Fristen för överlämnande har passerat: ny stämning; Kronofogdekostnaderna ersätts inte "
                "(HD 2024). " + text)
    return _estimate(kind, ctx.p_win, court.costs, court.recoverable.recoverable_total, court.recovery, text)


def _payment_order(ctx: _Ctx) -> OptionEstimate:
    if ctx.facts.transfer_request_deadline is not None or ctx.facts.contested_at_kfm:
        return _unavailable(OptionKind.PAYMENT_ORDER,
                            "ärendet är redan bestritt hos Kronofogden; nästa steg är överlämnande (stämning).")
    w = ctx.w
    application_fee = fees.kfm_application_fee(ctx.on)
    work = fees.bfl_work_compensation(ctx.on)
    hours = w["costs"]["jurist_hours"]["payment_order"]
    own = hours * ctx.hourly
    p_obj = (w["payment_order"]["objection_probability_contested"] if ctx.contested
             else w["payment_order"]["objection_probability_uncontested"])
    enforcement = fees.kfm_enforcement_base_fee(ctx.on) if w["court"]["include_enforcement_fee"] else ZERO
    # Uncontested branch: utslag, then verkställighet.
    recovery_utslag = ctx.collect * (ctx.base + application_fee + work + enforcement)
    # Contested branch: transfer to the tingsrätt on the case's track, with the tilläggsavgift.
    extra = w["costs"]["jurist_hours"]["transfer_extra"]
    court = _court(ctx, ctx.track.track, via_kfm=True, extra_hours=extra)
    # A transferred case reaches judgment later than a direct stämning: discount that branch.
    delay = w["payment_order"]["transfer_delay_months"]
    rate = w["decision"]["annual_discount_rate"]
    delay_factor = _clamp(ONE - rate * delay / 12)
    costs = application_fee + own + (ONE - p_obj) * enforcement + p_obj * court.costs
    recovery = (ONE - p_obj) * recovery_utslag + p_obj * court.recovery * delay_factor
    probability = (ONE - p_obj) + p_obj * ctx.p_win
    why = ("gäldenären har redan bestritt fordran" if ctx.contested else "inget bestridande registrerat")
    text = (
        f"Betalningsföreläggande: ansökningsavgift {format_sek(application_fee)} + eget arbete {_hours(hours)} × "
        f"{format_sek(ctx.hourly)} = {format_sek(own)}; ersättning enligt BFL 48 § {format_sek(work)}. "
        f"Sannolikhet för bestridande {_pct(p_obj)} ({why}). Utan bestridande ({_pct(ONE - p_obj)}): utslag, "
        f"inflöde {_pct(ctx.collect)} indrivning × ({format_sek(ctx.base)} + {format_sek(application_fee)} + "
        f"{format_sek(work)}{' + ' + format_sek(enforcement) if enforcement else ''}) = "
        f"{format_sek(_money(recovery_utslag))}. "
        f"Vid bestridande ({_pct(p_obj)}) överlämnas målet till tingsrätten med tilläggsavgift och "
        f"{_hours(extra)} extra arbete. {court.text} Det inflödet kommer ca {_num(delay, 0)} månader senare "
        f"än vid direkt stämning: × {_num(delay_factor, 4)} ({_pct(rate)} per år)."
    )
    return _estimate(OptionKind.PAYMENT_ORDER, probability, costs, application_fee + work, recovery, text)


def _monitoring(ctx: _Ctx) -> OptionEstimate:
    mw = ctx.w["monitoring"]
    if ctx.collect > mw["max_collectability"]:
        return _unavailable(
            OptionKind.MONITORING,
            f"indrivningsgraden {_pct(ctx.collect)} överstiger {_pct(mw['max_collectability'])}: "
            "gäldenären har betalningsförmåga, driv fordran nu.",
        )
    # Count the checks within the horizon with the law's efterbevakning interval.
    end = add_months(ctx.on, mw["horizon_months"])
    checks, current = 0, ctx.on
    while (current := monitoring_next_check(current)) <= end:
        checks += 1
    setup_hours = ctx.w["costs"]["jurist_hours"]["monitoring_setup"]
    costs = setup_hours * ctx.hourly + checks * mw["cost_per_check"]
    p = mw["success_rate"] * ctx.p_win
    recovery = ctx.base * p
    text = (
        f"Efterbevakning i {mw['horizon_months']} månader: {checks} kontroller × {format_sek(mw['cost_per_check'])} "
        f"+ {_hours(setup_hours)} × {format_sek(ctx.hourly)} = {format_sek(_money(costs))} (kravbrev vid "
        f"kontrollerna avbryter preskriptionen). Inflöde: {format_sek(ctx.base)} × {_pct(mw['success_rate'])} "
        f"(förbättrad betalningsförmåga) × {_pct(ctx.p_win)} (bevisläget) = {format_sek(_money(recovery))}."
    )
    return _estimate(OptionKind.MONITORING, p, costs, ZERO, recovery, text)


# =====================================================================================================
# The recommendation
# =====================================================================================================


def _recommend(ctx: _Ctx, options: tuple[OptionEstimate, ...]) -> tuple[OptionKind, str]:
    """Pick the option and say why.

    1. A test case goes to SUMMONS_ORDINARY whenever that is available: the principle factor
       dominates the expected net (RB 1 kap. 3 d § andra stycket).
    2. Otherwise the available option with the highest expected net, provided it beats write-off
       by more than ``decision.write_off_threshold``; else WRITE_OFF.
    3. Ties: every option within ``decision.tie_tolerance`` of the best net is tied; the tie goes
       to the lowest expected cost, then to the earliest in OptionKind order (write-off first).
    """
    dw = ctx.w["decision"]
    by_kind = {o.kind: o for o in options}
    order = list(OptionKind)
    available = [o for o in options if o.available]
    ranked = sorted(available, key=lambda o: (-o.expected_net, o.expected_costs, order.index(o.kind)))
    best_net = ranked[0]
    ordinary = by_kind[OptionKind.SUMMONS_ORDINARY]
    if ctx.facts.test_case and ordinary.available:
        if best_net.kind is OptionKind.SUMMONS_ORDINARY:
            why = ("Pilotmål: ordinärt tvistemål, som också ger det högsta förväntade nettot "
                   f"({format_sek(ordinary.expected_net)}).")
        else:
            why = (f"Pilotmål: ordinärt tvistemål rekommenderas trots att '{best_net.kind.label}' ger högre "
                   f"förväntat netto ({format_sek(best_net.expected_net)} mot {format_sek(ordinary.expected_net)}), "
                   "eftersom utgången har synnerlig betydelse för andra rättsförhållanden.")
        return OptionKind.SUMMONS_ORDINARY, why
    threshold = dw["write_off_threshold"]
    candidates = [o for o in available if o.kind is OptionKind.WRITE_OFF or o.expected_net > threshold]
    top = max(o.expected_net for o in candidates)
    tied = [o for o in candidates if o.expected_net >= top - dw["tie_tolerance"]]
    chosen = min(tied, key=lambda o: (o.expected_costs, order.index(o.kind)))
    if chosen.kind is OptionKind.WRITE_OFF:
        if ctx.all_barred:
            return chosen.kind, ("Fordran är preskriberad enligt registrerade uppgifter: "
                                 "endast avskrivning är aktuell.")
        if best_net.kind is OptionKind.WRITE_OFF or best_net.expected_net <= 0:
            why = "Inget alternativ ger positivt förväntat netto: avskriv."
        else:
            why = (f"Bästa alternativ ({best_net.kind.label}, {format_sek(best_net.expected_net)}) överstiger inte "
                   f"avskrivningsgränsen {format_sek(threshold)}: avskriv.")
        return chosen.kind, why
    why = f"Högst förväntat netto: {chosen.kind.label} {format_sek(chosen.expected_net)}"
    others = [o for o in ranked if o.kind is not chosen.kind]
    if chosen is not best_net:
        why += (f" (inom {format_sek(dw['tie_tolerance'])} från {best_net.kind.label} "
                f"{format_sek(best_net.expected_net)}; lägre kostnad avgör)")
    elif others:
        runner = others[0]
        why += f"; näst bäst {runner.kind.label} {format_sek(runner.expected_net)}"
    return chosen.kind, why + "."


def _urgent_dates(facts: TriageInput, limitation: date | None) -> tuple[UrgentDate, ...]:
    dates = []
    if limitation is not None:
        dates.append(("Preskription", limitation))
    if facts.transfer_request_deadline is not None:
        dates.append(("Sista dag att begära överlämnande", facts.transfer_request_deadline))
    return tuple(
        UrgentDate(label, on, (on - facts.valuation_date).days)
        for label, on in sorted(dates, key=lambda item: (item[1], item[0]))
    )


def triage(facts: TriageInput, weights: Mapping[str, Any] | None = None) -> TriageResult:
    """Score a contested claim and recommend what to do with it.

    ``weights`` None uses ``weights.toml``; a mapping (complete or partial) replaces the keys it
    names and is validated (WeightsInvalid). Raises ValueError/TypeError for inconsistent facts and
    LawDataMissing when app.law has no data for the valuation date (e.g. a year's prisbasbelopp).
    """
    w = _resolve_weights(weights)
    _validate_input(facts)
    on = facts.valuation_date
    lines = _lines(facts)
    capital = _money(sum((line.facts.capital for line in lines), ZERO))
    interest = _money(sum((line.interest for line in lines), ZERO))
    value = claim_value(capital, interest, facts.setoff_amount, facts.collection_charges)
    decision = choose_track(value, on, test_case=facts.test_case)
    limitation = min(line.limitation_date for line in lines)
    barred = [line for line in lines if line.time_barred]
    base = _money(sum((line.facts.capital + line.interest for line in lines if not line.time_barred), ZERO))

    evidence = _evidence_factor(facts, lines, w)
    ability = _ability_factor(facts, w)
    ctx = _Ctx(
        facts=facts, w=w, on=on, year=on.year, track=decision, base=base,
        all_barred=len(barred) == len(lines), evidence=evidence, ability=ability,
        contested=bool(facts.objection_categories) or facts.transfer_request_deadline is not None,
        at_kfm=facts.transfer_request_deadline is not None and on <= facts.transfer_request_deadline,
    )

    if ctx.all_barred:
        reason = (f"fordran är preskriberad ({limitation.isoformat()}) enligt registrerade uppgifter; "
                  "kontrollera om preskriptionsavbrott saknas i registret (preskriptionslag 1981:130).")
        options = (_write_off(ctx),) + tuple(_unavailable(kind, reason) for kind in list(OptionKind)[1:])
    else:
        options = (
            _write_off(ctx),
            _settlement(ctx),
            _payment_order(ctx),
            _summons(ctx, OptionKind.SUMMONS_SIMPLIFIED, Track.SIMPLIFIED),
            _summons(ctx, OptionKind.SUMMONS_ORDINARY, Track.ORDINARY),
            _monitoring(ctx),
        )
    assert tuple(o.kind for o in options) == tuple(OptionKind)
    recommended, why = _recommend(ctx, options)
    chosen = next(o for o in options if o.kind is recommended)

    relation = "≤" if value <= decision.threshold else ">"
    explanation = (
        f"Rekommendation: {recommended.label}. {why} Förväntat nettoutfall {format_sek(chosen.expected_net)} "
        f"(inflöde {format_sek(chosen.expected_recovery)} − kostnader {format_sek(chosen.expected_costs)}). "
        f"{decision.track.short_label[0].upper() + decision.track.short_label[1:]}: {format_sek(value)} {relation} "
        f"{format_sek(decision.threshold, whole_kronor=True)} (kapital {format_sek(capital)} + ränta "
        f"{format_sek(interest)}{' + kvittning ' + format_sek(facts.setoff_amount) if facts.setoff_amount else ''}"
        f"{' + inkassoersättningar ' + format_sek(facts.collection_charges) if facts.collection_charges else ''})"
        f"{', pilotmål' if facts.test_case else ''}."
    )
    if barred and not ctx.all_barred:
        explanation += (f" Obs: {len(barred)} av {len(lines)} fordringsrader är preskriberade enligt registrerade "
                        "uppgifter och ingår inte i det förväntade inflödet; värdet ovan omfattar alla rader.")
    if ctx.all_barred:
        explanation += f" Obs: fordran är preskriberad sedan {limitation.isoformat()} enligt registrerade uppgifter."
    if ability.stale:
        explanation += (" Obs: uppgift om betalningsförmåga saknas." if facts.ability is None
                        else " Obs: uppgiften om betalningsförmåga är inaktuell.")

    return TriageResult(
        evidence=evidence.factor,
        amount=_amount_factor(capital, interest, facts.setoff_amount, decision, w, facts.collection_charges),
        principle=_principle_factor(facts),
        ability=ability.factor,
        claim_value=value,
        capital=capital,
        accrued_interest=interest,
        track=decision,
        options=options,
        recommended=recommended,
        explanation=explanation,
        urgent_dates=_urgent_dates(facts, limitation),
        limitation_date=limitation,
        stale_ability_record=ability.stale,
    )
