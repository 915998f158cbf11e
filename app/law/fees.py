"""Court and Kronofogden fees and the statutory collection charges, in SEK (``Decimal``).

All amounts come from ``app/law/data/fees.toml``; each function takes the date the fee or charge
arises (``on``) and raises :class:`app.law.errors.LawDataMissing` before the first ``valid_from``.
Functions with a condition return ``Decimal("0")`` when the condition is not met.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from app.law import tables
from app.law.track import Track

__all__ = [
    "ChargeLine",
    "bfl_work_compensation",
    "collection_charges",
    "collection_letter_fee",
    "court_fee",
    "instalment_plan_fee",
    "kfm_application_fee",
    "kfm_enforcement_base_fee",
    "late_payment_compensation",
    "reminder_fee",
    "transfer_supplementary_fee",
    "vat_rate",
]

ZERO = Decimal("0")


def _require_track(track: Track) -> Track:
    if not isinstance(track, Track):
        raise TypeError(f"track must be a Track, got {type(track).__name__}")
    return track


def court_fee(track: Track, on: date) -> Decimal:
    """Ansökningsavgift for a stämningsansökan: 900 kr for a förenklat tvistemål, 2 800 kr otherwise
    (förordning 1987:452 om avgifter vid de allmänna domstolarna, bilaga; from 2014-07-01)."""
    key = "court_fee_simplified" if _require_track(track) is Track.SIMPLIFIED else "court_fee_ordinary"
    return tables.fee(key, on)


def transfer_supplementary_fee(track: Track, on: date) -> Decimal:
    """Tilläggsavgift when Kronofogden transfers a case to the tingsrätt (after bestridande or
    återvinning): 600 kr FT-mål, 2 500 kr ordinary (förordning 1987:452 1-2 §§ and bilaga)."""
    key = (
        "supplementary_fee_simplified"
        if _require_track(track) is Track.SIMPLIFIED
        else "supplementary_fee_ordinary"
    )
    return tables.fee(key, on)


def kfm_application_fee(on: date) -> Decimal:
    """Ansökningsavgift for betalningsföreläggande or handräckning at Kronofogden: 300 kr
    (förordning 1992:1094 om avgifter vid Kronofogdemyndigheten 1 §)."""
    return tables.fee("kfm_application_fee", on)


def kfm_enforcement_base_fee(on: date) -> Decimal:
    """Grundavgift for verkställighet: 600 kr per exekutionstitel (förordning 1992:1094 5-6 §§)."""
    return tables.fee("kfm_enforcement_base_fee", on)


def bfl_work_compensation(on: date, *, handrackning: bool = False) -> Decimal:
    """Maximum compensation for the applicant's own work / counsel in a Kronofogden case without
    special reasons: 380 kr for betalningsföreläggande, 420 kr for handräckning
    (lag 1990:746 om betalningsföreläggande och handräckning 48 § första stycket)."""
    return tables.fee("bfl_work_handrackning" if handrackning else "bfl_work_payment_order", on)


def reminder_fee(on: date, *, agreed: bool) -> Decimal:
    """Påminnelseavgift for a written payment reminder: at most 60 kr, and only if it was agreed no
    later than when the debt arose (lag 1981:739 om ersättning för inkassokostnader m.m. 2 § and
    4 § andra stycket 1); otherwise 0."""
    amount = tables.fee("reminder_fee", on)
    return amount if agreed else ZERO


def collection_letter_fee(on: date, *, compliant: bool) -> Decimal:
    """Ersättning for an inkassokrav: at most 180 kr, and only if the letter meets inkassolagen
    (1974:182) 5 § and was handed or sent to the debtor (lag 1981:739 3 § 1 and 4 § andra stycket 2);
    otherwise 0."""
    amount = tables.fee("collection_letter_fee", on)
    return amount if compliant else ZERO


def instalment_plan_fee(on: date) -> Decimal:
    """Ersättning for drawing up a complete written instalment plan agreed with the debtor: at most
    170 kr (lag 1981:739 3 § 2 and 4 § andra stycket 3)."""
    return tables.fee("instalment_plan_fee", on)


def late_payment_compensation(on: date, *, business_debtor: bool) -> Decimal:
    """Förseningsersättning of 450 kr (lag 1981:739 4 a §): only between businesses (or a business and
    an authority) when the creditor is entitled to dröjsmålsränta on a claim for goods or services;
    0 for a consumer debtor. When it is paid, reminder and collection costs are recoverable only to
    the extent they exceed it (4 a § andra stycket) — the caller applies that set-off."""
    amount = tables.fee("late_payment_compensation", on)
    return amount if business_debtor else ZERO


def vat_rate(on: date) -> Decimal:
    """Standard VAT rate in percent (25), used when a party cannot deduct input VAT on counsel's fee
    (mervärdesskattelagen; section references marked to_verify in fees.toml)."""
    return tables.fee("vat_standard_rate", on)


@dataclass(frozen=True)
class ChargeLine:
    """One collection charge that may be claimed, with its recorded basis and its rule."""

    key: str  # reminder_fee, collection_letter_fee, late_payment_compensation
    label: str
    amount: Decimal
    basis: str  # what was recorded, in Swedish (e.g. "Inkassokrav skickat 2026-03-01")
    rule: str


_RULE_1981_739 = "lagen (1981:739) om ersättning för inkassokostnader m.m."


def collection_charges(on: date, *, business_to_business: bool, reminder_agreed: bool,
                       reminder_sent_on: date | None, inkassokrav_sent_on: date | None) -> tuple[ChargeLine, ...]:
    """The collection charges a filing on ``on`` may claim, each only on its recorded basis.

    * Between businesses: förseningsersättning (4 a §) and nothing else, since reminder and
      collection costs are recoverable only above it (4 a § andra stycket).
    * Otherwise: the påminnelseavgift only if it was agreed when the debt arose **and** a reminder
      was sent (2 §, 4 § andra stycket 1); the inkassokostnad only if an inkassokrav was sent, with
      its date (3 § 1, 4 § andra stycket 2). Nothing is claimed that was not recorded.
    """
    if business_to_business:
        return (ChargeLine("late_payment_compensation", "Förseningsersättning",
                           late_payment_compensation(on, business_debtor=True),
                           "Fordran mellan näringsidkare med rätt till dröjsmålsränta", f"4 a § {_RULE_1981_739}"),)
    lines = []
    if reminder_agreed and reminder_sent_on is not None:
        lines.append(ChargeLine("reminder_fee", "Påminnelseavgift", reminder_fee(on, agreed=True),
                                f"Avtalad när skulden uppkom; påminnelse skickad {reminder_sent_on.isoformat()}",
                                f"4 § andra stycket 1 {_RULE_1981_739}"))
    if inkassokrav_sent_on is not None:
        lines.append(ChargeLine("collection_letter_fee", "Inkassokostnad", collection_letter_fee(on, compliant=True),
                                f"Inkassokrav skickat {inkassokrav_sent_on.isoformat()}",
                                f"4 § andra stycket 2 {_RULE_1981_739}"))
    return tuple(lines)
