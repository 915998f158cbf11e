"""The Jinja context for each document kind.

The context holds every field of the input under its own name (the objects
themselves: templates read ``plaintiff.name``, ``line.capital``), plus a few
derived values that are pure presentation: sums of the given amounts, the
numbering of the yrkanden, the rows that pair a claim line with its interest
specification.  No legal rule is applied here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .model import (
    INPUT_TYPES,
    BetalningsforelaggandeInput,
    ForlikningInput,
    KostnadsrakningInput,
    OverlamnandeInput,
    StamningsansokanInput,
    VerkstallighetInput,
)

DOCUMENT_TITLES: dict[str, str] = {
    "stamningsansokan": "Stämningsansökan",
    "betalningsforelaggande": "Ansökan om betalningsföreläggande",
    "overlamnande": "Begäran om överlämnande till tingsrätt",
    "verkstallighet": "Ansökan om verkställighet",
    "kostnadsrakning": "Kostnadsräkning",
    "forlikning": "Förlikningsavtal med avbetalningsplan",
}


def _stamningsansokan(d: StamningsansokanInput) -> dict[str, Any]:
    number = 2
    fees_item_no = None
    if d.fee_lines:
        fees_item_no = number
        number += 1
    costs_item_no = number if d.claims_litigation_costs else None
    return {
        "total_capital": d.total_capital,
        "total_fees": d.total_fees,
        "total_claimed": d.total_claimed,
        "fees_item_no": fees_item_no,
        "costs_item_no": costs_item_no,
        "attachments": tuple(e for e in d.evidence if e.attached),
        "signing_counsel": d.plaintiff_counsel,
    }


def _betalningsforelaggande(d: BetalningsforelaggandeInput) -> dict[str, Any]:
    specs = {spec.invoice_number.strip(): spec for spec in d.interest}
    rows = tuple({"line": line, "spec": specs.get(line.invoice_number.strip())} for line in d.claim_lines)
    return {
        "claim_rows": rows,
        "total_capital": d.total_capital,
        "total_interest": d.total_interest,
        "total_fees": d.total_fees,
        "total_claimed": d.total_claimed,
        "signing_counsel": d.applicant_counsel,
    }


def _overlamnande(d: OverlamnandeInput) -> dict[str, Any]:
    return {
        "total_capital": d.total_capital,
        "attachments": tuple(e for e in d.evidence if e.attached),
        "signing_counsel": d.applicant_counsel,
    }


def _verkstallighet(d: VerkstallighetInput) -> dict[str, Any]:
    return {
        "total_awarded": d.total_awarded,
        "total_deductions": d.total_deductions,
        "total_claimed": d.total_claimed,
        "signing_counsel": d.applicant_counsel,
    }


def _kostnadsrakning(d: KostnadsrakningInput) -> dict[str, Any]:
    return {
        "total_claimed": d.total_claimed,
        "total_recoverable": d.total_recoverable,
        "signing_counsel": d.counsel,
    }


def _forlikning(d: ForlikningInput) -> dict[str, Any]:
    return {
        "total_debt": d.total_debt,
        "total_instalments": d.total_instalments,
        "signing_counsel": d.creditor_counsel,
    }


_DERIVED = {
    "stamningsansokan": _stamningsansokan,
    "betalningsforelaggande": _betalningsforelaggande,
    "overlamnande": _overlamnande,
    "verkstallighet": _verkstallighet,
    "kostnadsrakning": _kostnadsrakning,
    "forlikning": _forlikning,
}


def build_context(kind: str, data: Any) -> dict[str, Any]:
    """The template context for a (validated) input of ``kind``."""
    cls = INPUT_TYPES[kind]
    if type(data) is not cls:
        raise TypeError(f"{kind} needs {cls.__name__}, got {type(data).__name__}")
    context: dict[str, Any] = {f.name: getattr(data, f.name) for f in dataclasses.fields(data)}
    context["kind"] = kind
    context["document_title"] = DOCUMENT_TITLES[kind]
    context.update(_DERIVED[kind](data))
    return context
