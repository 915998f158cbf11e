"""Which procedure a tvistemål follows: förenklat tvistemål (FT-mål) or ordinary.

Rättegångsbalken 1 kap. 3 d §: a dispute where settlement is allowed is handled under the simplified
rules when the value of what is claimed is obviously at most **half the prisbasbelopp**
(socialförsäkringsbalken 2 kap. 6-8 §§). The value is judged as it stands when the case is filed, or
for a case from Kronofogden when the court takes it up as a tvistemål — so the prisbasbelopp of
that date's year. Exactly half the prisbasbelopp is still an FT-mål.

Second paragraph: a party may ask, the first time it pleads, for the ordinary rules when the outcome
is of synnerlig betydelse for other legal relationships (a test case, ``test_case=True``); coming
from Kronofogden, the request must come at the latest with the request to transfer.

Whether the value is *obviously* within the limit is for the court; this module applies the
arithmetic to the value the caller has put on the claim (:func:`claim_value`).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from app.law import tables
from app.law.formatting import ORE, format_number, format_sek, to_decimal

__all__ = ["Track", "TrackDecision", "choose_track", "claim_value", "track_threshold"]


class Track(enum.Enum):
    """The procedural track of a tvistemål in the tingsrätt."""

    SIMPLIFIED = "simplified"
    ORDINARY = "ordinary"

    @property
    def label(self) -> str:
        """Swedish name, lower case (for running text)."""
        return _LABELS[self]

    @property
    def short_label(self) -> str:
        """Swedish short name (``FT-mål`` / ``ordinärt tvistemål``)."""
        return _SHORT_LABELS[self]

    def __str__(self) -> str:
        return self.label


_LABELS = {Track.SIMPLIFIED: "förenklat tvistemål", Track.ORDINARY: "ordinärt tvistemål"}
_SHORT_LABELS = {Track.SIMPLIFIED: "FT-mål", Track.ORDINARY: "ordinärt tvistemål"}


def claim_value(
    capital: Decimal,
    accrued_interest: Decimal = Decimal(0),
    setoff: Decimal = Decimal(0),
    collection_charges: Decimal = Decimal(0),
) -> Decimal:
    """The value of the dispute for RB 1 kap. 3 d §, in öre.

    * ``capital`` — the amount claimed;
    * ``accrued_interest`` — interest that accrued **before filing** counts (NJA 1984 s. 290);
      interest running after filing does not (do not include it);
    * ``setoff`` — a set-off objection (kvittningsinvändning) raised early counts toward the value and
      is **added** (NJA 1990 s. 770);
    * ``collection_charges`` — påminnelseavgift, inkassokostnad and förseningsersättning claimed in the
      same yrkande **count**. The value is that of *what is claimed*, less only the
      rättegångskostnader, and collection charges have not been rättegångskostnader since
      1 January 1982: SFS 1981:741 repealed RB 18 kap. 8 § second paragraph (which had made a
      pre-trial inkassoåtgärd a rättegångskostnad) when lagen (1981:739) om ersättning för
      inkassokostnader m.m. made them a claim of their own; courts try them as part of the talan
      (e.g. RH 2022:7, where the tingsrätt's dom granted the talan "utom såvitt avsåg 180 kr" of
      inkassokostnad). The Kronofogden stage's fees (BFL 48 §, ansökningsavgift) remain costs of
      the proceedings and are not counted;
    * rättegångskostnader never count and have no parameter here.

    All parts must be non-negative Decimals (or ints); the sum is rounded to öre half up.
    """
    parts = {
        "capital": to_decimal(capital, name="capital"),
        "accrued_interest": to_decimal(accrued_interest, name="accrued_interest"),
        "setoff": to_decimal(setoff, name="setoff"),
        "collection_charges": to_decimal(collection_charges, name="collection_charges"),
    }
    for name, value in parts.items():
        if value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")
    return sum(parts.values(), Decimal(0)).quantize(ORE, rounding=ROUND_HALF_UP)


def track_threshold(valuation_date: date) -> tuple[Decimal, Decimal, Decimal]:
    """``(prisbasbelopp, ratio, threshold)`` for a case valued on ``valuation_date``.

    threshold = prisbasbelopp of that year × ratio (one half, ``time_limits.track_ratio``),
    RB 1 kap. 3 d §. Raises LawDataMissing for a year with no prisbasbelopp.
    """
    pbb = tables.prisbasbelopp(valuation_date.year)
    ratio = tables.lookup("time_limits", "track_ratio", valuation_date).value
    threshold = (pbb * ratio).quantize(ORE, rounding=ROUND_HALF_UP)
    return pbb, ratio, threshold


@dataclass(frozen=True)
class TrackDecision:
    """The track and the arithmetic behind it, with a Swedish sentence for the case file."""

    track: Track
    value: Decimal
    prisbasbelopp: Decimal
    threshold: Decimal
    valuation_date: date
    test_case: bool
    reason: str


def _arithmetic(year: int, pbb: Decimal, ratio: Decimal, threshold: Decimal) -> str:
    pbb_text = format_sek(pbb, whole_kronor=True)
    threshold_text = format_sek(threshold, whole_kronor=True)
    inverse = (Decimal(1) / ratio) if ratio else None
    if inverse is not None and inverse == inverse.to_integral_value():
        operation = f"{pbb_text} / {int(inverse)}"
    else:
        operation = f"{pbb_text} × {format_number(ratio, decimals=max(1, -ratio.as_tuple().exponent))}"
    return f"prisbasbeloppet för {year} ({operation} = {threshold_text})"


def choose_track(value: Decimal, valuation_date: date, *, test_case: bool = False) -> TrackDecision:
    """Choose the track for a claim of ``value`` valued on ``valuation_date`` (RB 1 kap. 3 d §).

    ``value <= threshold`` (half the prisbasbelopp of ``valuation_date.year``) gives
    :attr:`Track.SIMPLIFIED`, anything above gives :attr:`Track.ORDINARY`. With ``test_case=True`` (a
    request for the ordinary rules because the outcome is of synnerlig betydelse for other legal
    relationships, RB 1 kap. 3 d § second paragraph) the result is ORDINARY whatever the value.

    The reason uses Swedish number formatting, e.g. "Förenklat tvistemål: värdet 18 400,00 kr är högst
    halva prisbasbeloppet för 2026 (59 200 kr / 2 = 29 600 kr), RB 1 kap. 3 d §."
    """
    amount = to_decimal(value, name="value")
    if amount < 0:
        raise ValueError(f"value must not be negative, got {amount}")
    amount = amount.quantize(ORE, rounding=ROUND_HALF_UP)
    pbb, ratio, threshold = track_threshold(valuation_date)
    fraction = "halva" if ratio == Decimal("0.5") else f"{format_number(ratio, decimals=2)} av"
    arithmetic = _arithmetic(valuation_date.year, pbb, ratio, threshold)
    value_text = format_sek(amount)
    within = amount <= threshold
    if test_case:
        track = Track.ORDINARY
        comparison = "är högst" if within else "överstiger"
        reason = (
            "Ordinärt tvistemål: begäran om handläggning enligt de vanliga reglerna eftersom utgången "
            "är av synnerlig betydelse för bedömningen av andra rättsförhållanden (prejudikatfråga), "
            f"RB 1 kap. 3 d § andra stycket; värdet {value_text} {comparison} {fraction} {arithmetic}."
        )
    elif within:
        track = Track.SIMPLIFIED
        reason = (
            f"Förenklat tvistemål: värdet {value_text} är högst {fraction} {arithmetic}, RB 1 kap. 3 d §."
        )
    else:
        track = Track.ORDINARY
        reason = (
            f"Ordinärt tvistemål: värdet {value_text} överstiger {fraction} {arithmetic}, RB 1 kap. 3 d §."
        )
    return TrackDecision(
        track=track,
        value=amount,
        prisbasbelopp=pbb,
        threshold=threshold,
        valuation_date=valuation_date,
        test_case=test_case,
        reason=reason,
    )
