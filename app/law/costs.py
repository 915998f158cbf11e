"""Which of the winner's litigation costs the loser must pay (rättegångskostnader).

* **Förenklat tvistemål** — rättegångsbalken 18 kap. 8 a §: the winner recovers only
  - legal advice (rådgivning) on one occasion per instance, up to the amount of one hour at the
    timkostnadsnorm of förordning (2009:1237) for the year (``timkostnadsnorm.toml``);
  - the ansökningsavgift (court fee);
  - travel and subsistence for the party or counsel at a hearing, on the rules for witnesses
    (förordning 1987:965);
  - witness costs;
  - translation of documents;
  and nothing else (``other`` is recorded as claimed but not recoverable). Full costs are recoverable
  where the loser acted as RB 18 kap. 3 § or 6 § describes (``full_costs_exception=True``).
  Advice given by the party's own employees is not recoverable (RH 2016:67): do not claim it here.
* **Ordinary tvistemål** — RB 18 kap. 1 and 8 §§: the loser pays the winner's costs that were
  reasonably needed to protect its rights; the court tries reasonableness, this module does not.

Costs from a preceding Kronofogden stage (ansökningsavgift 300 kr and BFL 48 § compensation 380 kr)
are passed as ``kfm_costs`` and treated as recoverable after a transfer (RB 18 kap. 8 a §; marked as
a rule to verify). They are not recoverable where the Kronofogden case was dismissed and a new suit
was filed (HD 2024) — leave ``kfm_costs`` at 0 then.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.law import fees, tables
from app.law.formatting import ORE, to_decimal
from app.law.track import Track

__all__ = ["CostLine", "CostsResult", "recoverable_costs"]

_RULE_FT_ADVICE = (
    "RB 18 kap. 8 a §: rådgivning vid ett tillfälle per instans, högst en timme enligt timkostnadsnormen "
    "(förordning 2009:1237)"
)
_RULE_FT_FEE = "RB 18 kap. 8 a §: ansökningsavgift"
_RULE_FT_TRAVEL = "RB 18 kap. 8 a §: resa och uppehälle enligt reglerna om ersättning till vittnen (förordning 1987:965)"
_RULE_FT_WITNESS = "RB 18 kap. 8 a §: vittnesersättning"
_RULE_FT_TRANSLATION = "RB 18 kap. 8 a §: översättning av handlingar"
_RULE_FT_KFM = "RB 18 kap. 8 a §: kostnader hos Kronofogden efter överlämnande (att verifiera)"
_RULE_FT_OTHER = "RB 18 kap. 8 a §: ersätts inte i förenklat tvistemål"
_RULE_ORDINARY = "RB 18 kap. 1 och 8 §§: skäliga kostnader ersätts fullt ut (rätten prövar skäligheten)"
_RULE_FULL_EXCEPTION = (
    "RB 18 kap. 8 a § jämförd med 3 § eller 6 §: full ersättning på grund av motpartens agerande "
    "(rätten prövar skäligheten)"
)


@dataclass(frozen=True)
class CostLine:
    """One item of the cost claim: what is claimed, what is recoverable, and under which rule."""

    label: str
    claimed: Decimal
    recoverable: Decimal
    rule: str


@dataclass(frozen=True)
class CostsResult:
    """The cost claim split into lines, with totals."""

    track: Track
    year: int
    lines: tuple[CostLine, ...]
    claimed_total: Decimal
    recoverable_total: Decimal
    advice_cap: Decimal | None
    """The most legal advice that is recoverable (None when advice is not capped)."""

    @property
    def not_recoverable_total(self) -> Decimal:
        """What the winner claims but will not get back."""
        return self.claimed_total - self.recoverable_total


def _amount(value: Decimal | int, name: str) -> Decimal:
    amount = to_decimal(value, name=name)
    if amount < 0:
        raise ValueError(f"{name} must not be negative, got {amount}")
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def advice_norm(year: int, *, vat_deductible: bool = True) -> Decimal:
    """One hour of legal advice at the year's timkostnadsnorm (förordning 2009:1237), plus VAT when
    the party cannot deduct it: the unit of the FT-mål cap (RB 18 kap. 8 a §)."""
    norm = tables.timkostnadsnorm(year)
    if not vat_deductible:
        norm = norm * (1 + fees.vat_rate(date(year, 1, 1)) / 100)
    return norm.quantize(ORE, rounding=ROUND_HALF_UP)


def ft_advice_cap(year: int, *, instances: int = 1, vat_deductible: bool = True) -> Decimal:
    """What an FT-mål winner recovers for legal advice: one hour per instance (RB 18 kap. 8 a §)."""
    return advice_norm(year, vat_deductible=vat_deductible) * instances


def recoverable_costs(
    track: Track,
    year: int,
    *,
    claimed_advice_hours: Decimal = Decimal(1),
    claimed_advice_amount: Decimal | None = None,
    court_fee: Decimal | None = None,
    travel: Decimal = Decimal(0),
    witness: Decimal = Decimal(0),
    translation: Decimal = Decimal(0),
    kfm_costs: Decimal = Decimal(0),
    other: Decimal = Decimal(0),
    instances: int = 1,
    vat_deductible: bool = True,
    full_costs_exception: bool = False,
) -> CostsResult:
    """Split a winner's claimed costs into recoverable and non-recoverable parts.

    Parameters:
        track: the case's :class:`~app.law.track.Track`.
        year: the year whose timkostnadsnorm caps advice in an FT-mål (the year the costs are
            decided); also the year whose court fee is used when ``court_fee`` is None.
        claimed_advice_hours: hours of legal advice / counsel claimed (all instances together); only
            used to price the claim when ``claimed_advice_amount`` is None.
        claimed_advice_amount: the amount claimed for advice / counsel. None prices the claimed
            hours at the year's timkostnadsnorm.
        court_fee: the ansökningsavgift (or tilläggsavgift) paid; None uses
            :func:`app.law.fees.court_fee` for ``track`` on 1 January of ``year``.
        travel, witness, translation: the amounts claimed for those items.
        kfm_costs: costs of a preceding Kronofogden stage (e.g. 300 + 380 kr) after a transfer.
        other: everything else claimed (e.g. more counsel hours, own work); recoverable only on the
            ordinary track or under ``full_costs_exception``.
        instances: the number of instances (tingsrätt = 1, plus hovrätt = 2 ...); in an FT-mål one
            hour of advice per instance.
        vat_deductible: False when the winner cannot deduct input VAT; the advice cap is then the
            timkostnadsnorm plus VAT (rate from ``fees.toml``), and the claim should include VAT.
        full_costs_exception: the loser acted as RB 18 kap. 3 § or 6 § describes, so an FT-mål
            winner recovers reasonable costs in full.

    Raises LawDataMissing when the year's timkostnadsnorm (needed in an FT-mål, or to price hours)
    or fee is not in the tables; ValueError for negative amounts or ``instances < 1``.
    """
    if not isinstance(track, Track):
        raise TypeError(f"track must be a Track, got {type(track).__name__}")
    if isinstance(instances, bool) or not isinstance(instances, int) or instances < 1:
        raise ValueError("instances must be a positive int")
    hours = to_decimal(claimed_advice_hours, name="claimed_advice_hours")
    if hours < 0:
        raise ValueError("claimed_advice_hours must not be negative")

    capped = track is Track.SIMPLIFIED and not full_costs_exception
    year_start = date(year, 1, 1)
    norm: Decimal | None = None
    if capped or claimed_advice_amount is None:
        norm = advice_norm(year, vat_deductible=vat_deductible)

    if claimed_advice_amount is None:
        assert norm is not None
        advice_claimed = (hours * norm).quantize(ORE, rounding=ROUND_HALF_UP)
    else:
        advice_claimed = _amount(claimed_advice_amount, "claimed_advice_amount")
    fee_claimed = (
        fees.court_fee(track, year_start) if court_fee is None else court_fee
    )
    fee_claimed = _amount(fee_claimed, "court_fee")

    items = [
        ("Rådgivning/ombudsarvode", advice_claimed, "advice"),
        ("Ansökningsavgift", fee_claimed, "fee"),
        ("Kostnader hos Kronofogden", _amount(kfm_costs, "kfm_costs"), "kfm"),
        ("Resa och uppehälle", _amount(travel, "travel"), "travel"),
        ("Vittnesersättning", _amount(witness, "witness"), "witness"),
        ("Översättning", _amount(translation, "translation"), "translation"),
        ("Övriga kostnader", _amount(other, "other"), "other"),
    ]

    advice_cap: Decimal | None = None
    if capped:
        advice_cap = ft_advice_cap(year, instances=instances, vat_deductible=vat_deductible)
    lines: list[CostLine] = []
    for label, claimed, kind in items:
        if claimed == 0 and kind not in ("advice", "fee"):
            continue
        if not capped:
            rule = _RULE_FULL_EXCEPTION if full_costs_exception and track is Track.SIMPLIFIED else _RULE_ORDINARY
            lines.append(CostLine(label, claimed, claimed, rule))
            continue
        if kind == "advice":
            assert advice_cap is not None
            lines.append(CostLine(label, claimed, min(claimed, advice_cap), _RULE_FT_ADVICE))
        elif kind == "other":
            lines.append(CostLine(label, claimed, Decimal("0.00"), _RULE_FT_OTHER))
        else:
            rule = {
                "fee": _RULE_FT_FEE,
                "kfm": _RULE_FT_KFM,
                "travel": _RULE_FT_TRAVEL,
                "witness": _RULE_FT_WITNESS,
                "translation": _RULE_FT_TRANSLATION,
            }[kind]
            lines.append(CostLine(label, claimed, claimed, rule))

    return CostsResult(
        track=track,
        year=year,
        lines=tuple(lines),
        claimed_total=sum((line.claimed for line in lines), Decimal("0.00")),
        recoverable_total=sum((line.recoverable for line in lines), Decimal("0.00")),
        advice_cap=advice_cap,
    )
