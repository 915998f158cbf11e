"""Input data for the document engine: frozen, plain dataclasses.

Everything a document prints arrives here precomputed by the application
(``app.law`` computes interest, fees, the track and its reason, deadlines).
``filings`` only checks that the data is complete and consistent, and lays it
out.  Money is :class:`~decimal.Decimal` (at most two decimals), dates are
:class:`~datetime.date`, text is ``str``.  Optional text is ``""`` (never
``None``); optional dates/amounts/objects are ``None``.

All dataclasses are keyword-only, so field order never matters to callers.

``to_jsonable`` / ``from_jsonable`` convert to and from JSON-compatible data
(Decimal -> str, date -> ISO text), e.g. to pass an input to a Celery task.
``input_hash`` is the SHA-256 of the canonical JSON of an input together with
its kind and the version of its template: the same hash means the same
document, so the application can refuse duplicates.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
import typing
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Union

__all__ = [
    "Party",
    "Counsel",
    "ClaimLine",
    "InterestPeriod",
    "InterestSpec",
    "EvidenceItem",
    "CostLine",
    "CostClaimLine",
    "AwardLine",
    "EnforceableTitle",
    "Instalment",
    "StamningsansokanInput",
    "BetalningsforelaggandeInput",
    "OverlamnandeInput",
    "VerkstallighetInput",
    "KostnadsrakningInput",
    "ForlikningInput",
    "FilingInput",
    "INPUT_TYPES",
    "KINDS",
    "kind_of",
    "to_jsonable",
    "from_jsonable",
    "canonical_json",
    "input_hash",
]


def _sum(amounts: typing.Iterable[Decimal]) -> Decimal:
    return sum(amounts, Decimal("0.00"))


# --------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Party:
    """A party (RB 33 kap. 1 §): kärande/svarande, sökande, borgenär/gäldenär."""

    name: str
    identity_number: str  # personnummer or organisationsnummer, as text ("556677-8899")
    is_company: bool
    street: str
    postal_code: str
    city: str
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, kw_only=True)
class Counsel:
    """Ombud. ``reference`` is the counsel's own reference (vår referens)."""

    name: str
    firm: str
    street: str
    postal_code: str
    city: str
    phone: str
    email: str = ""
    reference: str = ""


@dataclass(frozen=True, kw_only=True)
class ClaimLine:
    """One invoice of the claim.

    ``interest_from`` is the first day of dröjsmålsränta (None: no interest
    claimed on this line); ``interest_basis`` is the legal ground printed in
    the yrkande, e.g. "6 § räntelagen (1975:635)" (required when
    ``interest_from`` is set).
    """

    invoice_number: str
    invoice_date: date | None
    due_date: date | None
    capital: Decimal
    description: str
    interest_from: date | None = None
    interest_basis: str = ""


@dataclass(frozen=True, kw_only=True)
class InterestPeriod:
    """Interest for one stretch at one rate. ``end`` is exclusive."""

    start: date
    end: date
    rate: Decimal  # percent per year, e.g. Decimal("10.00")
    days: int
    amount: Decimal

    @property
    def last_day(self) -> date:
        """The last day inside the period (``end`` is exclusive)."""
        return self.end - timedelta(days=1)


@dataclass(frozen=True, kw_only=True)
class InterestSpec:
    """Interest accrued on one claim line, as computed by ``app.law``.

    ``invoice_number`` ties the specification to a :class:`ClaimLine`.
    ``convention`` is printed as is, e.g. "Enkel ränta, faktiskt antal dagar/365".
    """

    invoice_number: str
    principal: Decimal
    periods: tuple[InterestPeriod, ...]
    total: Decimal
    convention: str

    @property
    def start(self) -> date | None:
        return self.periods[0].start if self.periods else None

    @property
    def end(self) -> date | None:
        """Exclusive end: the day from which further interest runs."""
        return self.periods[-1].end if self.periods else None

    @property
    def last_day(self) -> date | None:
        return self.periods[-1].last_day if self.periods else None


@dataclass(frozen=True, kw_only=True)
class EvidenceItem:
    """One piece of evidence for the bevisuppgift; ``proves`` is the bevistema."""

    number: int
    title: str
    kind: str  # e.g. "Skriftlig bevisning", "Vittnesförhör"
    dated: date | None
    proves: str
    attached: bool = True  # written evidence attached to the filing (False for e.g. a witness)


@dataclass(frozen=True, kw_only=True)
class CostLine:
    """A labelled amount: a fee, a collection charge, a debt item, a deduction."""

    label: str
    amount: Decimal
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class CostClaimLine:
    """A line of a kostnadsräkning: what is claimed and what is recoverable under ``rule``."""

    label: str
    claimed: Decimal
    recoverable: Decimal
    rule: str  # e.g. "RB 18 kap. 8 a § (en timmes rådgivning)"
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class AwardLine:
    """An amount awarded by an exekutionstitel, with interest from a date if awarded."""

    label: str
    amount: Decimal
    interest_from: date | None = None
    interest_basis: str = ""


@dataclass(frozen=True, kw_only=True)
class EnforceableTitle:
    """Exekutionstitel (UB 3 kap. 1 §): dom, tredskodom, utslag, stadfäst förlikning."""

    kind: str  # printed, e.g. "Dom", "Utslag i mål om betalningsföreläggande"
    authority: str  # e.g. "Stockholms tingsrätt", "Kronofogdemyndigheten"
    case_number: str
    decided_on: date | None
    final_on: date | None = None  # laga kraft


@dataclass(frozen=True, kw_only=True)
class Instalment:
    due_date: date
    amount: Decimal


# --------------------------------------------------------------------------
# One input type per document kind
# --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class StamningsansokanInput:
    """Stämningsansökan (RB 42 kap. 2 §)."""

    kind: ClassVar[str] = "stamningsansokan"

    case_reference: str
    filing_date: date
    place: str
    court: str  # "Stockholms tingsrätt"
    plaintiff: Party
    plaintiff_counsel: Counsel | None
    defendant: Party
    defendant_counsel: Counsel | None = None
    subject: str = "Fordran"  # Saken
    claim_lines: tuple[ClaimLine, ...]
    fee_lines: tuple[CostLine, ...] = ()  # other amounts claimed (påminnelseavgift, inkassokostnad …)
    claims_litigation_costs: bool = True  # yrkande om ersättning för rättegångskostnader
    grounds: tuple[str, ...]  # Grunder, one paragraph each
    statement_of_facts: tuple[str, ...] = ()  # Utveckling av talan
    evidence: tuple[EvidenceItem, ...]
    jurisdiction: str  # facts making the court competent (forum)
    track_label: str  # "Förenklat tvistemål (FT-mål)" / "Ordinärt tvistemål"
    track_reason: str
    court_fee: Decimal | None
    request_default_judgment: bool = False  # begär tredskodom om förutsättningar finns
    other_notes: tuple[str, ...] = ()

    @property
    def total_capital(self) -> Decimal:
        return _sum(line.capital for line in self.claim_lines)

    @property
    def total_fees(self) -> Decimal:
        return _sum(line.amount for line in self.fee_lines)

    @property
    def total_claimed(self) -> Decimal:
        return self.total_capital + self.total_fees


@dataclass(frozen=True, kw_only=True)
class BetalningsforelaggandeInput:
    """Ansökan om betalningsföreläggande (lagen (1990:746) om betalningsföreläggande och handräckning)."""

    kind: ClassVar[str] = "betalningsforelaggande"

    case_reference: str
    filing_date: date
    place: str
    applicant: Party
    applicant_counsel: Counsel | None = None
    debtor: Party
    claim_lines: tuple[ClaimLine, ...]
    interest: tuple[InterestSpec, ...] = ()  # accrued interest at filing, one per claim line with interest
    fee_lines: tuple[CostLine, ...] = ()  # ansökningsavgift, ersättning för ansökan, påminnelse-/inkassoavgift …
    grounds: tuple[str, ...]
    promissory_note: bool = False  # fordran grundas på löpande skuldebrev
    original_creditor: Party | None = None  # if the claim was assigned (överlåten)
    assigned_on: date | None = None
    transfer_to_court_if_contested: bool
    enforce_immediately: bool

    @property
    def total_capital(self) -> Decimal:
        return _sum(line.capital for line in self.claim_lines)

    @property
    def total_interest(self) -> Decimal:
        return _sum(spec.total for spec in self.interest)

    @property
    def total_fees(self) -> Decimal:
        return _sum(line.amount for line in self.fee_lines)

    @property
    def total_claimed(self) -> Decimal:
        return self.total_capital + self.total_interest + self.total_fees


@dataclass(frozen=True, kw_only=True)
class OverlamnandeInput:
    """Begäran om överlämnande till tingsrätt efter bestridande (BFL 33–35 §§)."""

    kind: ClassVar[str] = "overlamnande"

    case_reference: str
    filing_date: date
    place: str
    kfm_case_number: str
    applicant: Party
    applicant_counsel: Counsel | None
    debtor: Party
    objection_received_on: date | None  # when the applicant was notified of the bestridande
    deadline: date | None  # last day for this request, computed by app.law
    track_label: str
    track_reason: str
    additional_fee: Decimal | None  # tilläggsavgift
    court: str = ""  # the tingsrätt the case is expected to go to, if known
    claim_lines: tuple[ClaimLine, ...] = ()  # summary of the claim, optional
    objection_summary: str = ""
    response: tuple[str, ...] = ()  # our comments on the objection
    evidence: tuple[EvidenceItem, ...] = ()

    @property
    def total_capital(self) -> Decimal:
        return _sum(line.capital for line in self.claim_lines)


@dataclass(frozen=True, kw_only=True)
class VerkstallighetInput:
    """Ansökan om verkställighet (UB 3 kap. 1 §)."""

    kind: ClassVar[str] = "verkstallighet"

    case_reference: str
    filing_date: date
    place: str
    applicant: Party
    applicant_counsel: Counsel | None = None
    debtor: Party
    title: EnforceableTitle
    awarded: tuple[AwardLine, ...]
    deductions: tuple[CostLine, ...] = ()  # payments received after the title
    enforcement_fee: Decimal | None  # grundavgift
    notes: tuple[str, ...] = ()

    @property
    def total_awarded(self) -> Decimal:
        return _sum(line.amount for line in self.awarded)

    @property
    def total_deductions(self) -> Decimal:
        return _sum(line.amount for line in self.deductions)

    @property
    def total_claimed(self) -> Decimal:
        return self.total_awarded - self.total_deductions


@dataclass(frozen=True, kw_only=True)
class KostnadsrakningInput:
    """Kostnadsräkning: rättegångskostnader claimed, and what is recoverable."""

    kind: ClassVar[str] = "kostnadsrakning"

    case_reference: str
    filing_date: date
    place: str
    court: str
    court_case_number: str
    party: Party  # the party claiming (our client)
    opponent: Party
    counsel: Counsel | None
    track_label: str
    capped: bool  # FT-mål: recoverable costs limited by RB 18 kap. 8 a §
    cap_note: str = ""  # explanation printed when capped
    lines: tuple[CostClaimLine, ...]
    vat_note: str = ""
    interest_note: str = ""  # e.g. "jämte ränta enligt 6 § räntelagen från dagen för dom"

    @property
    def total_claimed(self) -> Decimal:
        return _sum(line.claimed for line in self.lines)

    @property
    def total_recoverable(self) -> Decimal:
        return _sum(line.recoverable for line in self.lines)


@dataclass(frozen=True, kw_only=True)
class ForlikningInput:
    """Förlikningsavtal med avbetalningsplan. ``filing_date`` is the date of the agreement."""

    kind: ClassVar[str] = "forlikning"

    case_reference: str
    filing_date: date
    place: str
    creditor: Party
    creditor_counsel: Counsel | None = None
    debtor: Party
    debt_lines: tuple[CostLine, ...]  # the debt acknowledged, item by item
    instalments: tuple[Instalment, ...]
    payment_details: str  # how to pay (bankgiro, OCR …)
    default_terms: tuple[str, ...]  # what happens if a payment is missed
    other_terms: tuple[str, ...] = ()
    court: str = ""  # pending case, if any
    court_case_number: str = ""
    kfm_case_number: str = ""

    @property
    def total_debt(self) -> Decimal:
        return _sum(line.amount for line in self.debt_lines)

    @property
    def total_instalments(self) -> Decimal:
        return _sum(i.amount for i in self.instalments)


FilingInput = (
    StamningsansokanInput
    | BetalningsforelaggandeInput
    | OverlamnandeInput
    | VerkstallighetInput
    | KostnadsrakningInput
    | ForlikningInput
)

INPUT_TYPES: dict[str, type] = {
    cls.kind: cls
    for cls in (
        StamningsansokanInput,
        BetalningsforelaggandeInput,
        OverlamnandeInput,
        VerkstallighetInput,
        KostnadsrakningInput,
        ForlikningInput,
    )
}

KINDS: tuple[str, ...] = tuple(INPUT_TYPES)


def kind_of(obj: object) -> str:
    """The document kind of an input object."""
    for kind, cls in INPUT_TYPES.items():
        if type(obj) is cls:
            return kind
    raise TypeError(f"not a filings input: {type(obj).__name__}")


# --------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------


def to_jsonable(obj: Any) -> Any:
    """Convert an input (or any part of it) into JSON-compatible data.

    Dataclasses become dicts (fields in declaration order), tuples/lists
    become lists, ``Decimal`` becomes its exact text (``"1234.50"``), ``date``
    its ISO text.  Properties (totals) are not included.
    """
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, bool) or obj is None or isinstance(obj, (int, str)):
        return obj
    if isinstance(obj, Decimal):
        if not obj.is_finite():
            raise ValueError(f"not a finite amount: {obj}")
        return str(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, (tuple, list)):
        return [to_jsonable(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    raise TypeError(f"cannot convert {type(obj).__name__} to JSON")


def _from(tp: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"{path}: unsupported union {tp}")
        return _from(inner[0], value, path)
    if origin is tuple:
        (item_tp, _ellipsis) = typing.get_args(tp)
        if not isinstance(value, list):
            raise ValueError(f"{path}: expected a list")
        return tuple(_from(item_tp, v, f"{path}[{i}]") for i, v in enumerate(value))
    if dataclasses.is_dataclass(tp):
        return _dataclass_from(tp, value, path)
    if tp is Decimal:
        if not isinstance(value, str):
            raise ValueError(f"{path}: expected an amount as text")
        return Decimal(value)
    if tp is date:
        if not isinstance(value, str):
            raise ValueError(f"{path}: expected an ISO date")
        return date.fromisoformat(value)
    if tp is bool:
        if not isinstance(value, bool):
            raise ValueError(f"{path}: expected true/false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{path}: expected an integer")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise ValueError(f"{path}: expected text")
        return value
    raise TypeError(f"{path}: unsupported type {tp}")


def _dataclass_from(cls: type, value: Any, path: str) -> Any:
    if not isinstance(value, dict):
        raise ValueError(f"{path or cls.__name__}: expected an object")
    hints = typing.get_type_hints(cls)
    kwargs = {}
    names = set()
    for f in dataclasses.fields(cls):
        names.add(f.name)
        if f.name in value:
            kwargs[f.name] = _from(hints[f.name], value[f.name], f"{path}.{f.name}".lstrip("."))
    unknown = set(value) - names
    if unknown:
        raise ValueError(f"{path or cls.__name__}: unknown fields {sorted(unknown)}")
    return cls(**kwargs)


def from_jsonable(kind_or_type: str | type, data: Any) -> Any:
    """Rebuild an input (or building block) from :func:`to_jsonable` output."""
    cls = INPUT_TYPES[kind_or_type] if isinstance(kind_or_type, str) else kind_or_type
    return _dataclass_from(cls, data, "")


def canonical_json(value: Any) -> str:
    """Canonical JSON text: sorted keys, no insignificant whitespace, UTF-8 text kept."""
    return json.dumps(to_jsonable(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def input_hash(obj: Any, template_version: str | None = None) -> str:
    """SHA-256 (hex) of the canonical JSON of ``{"kind", "template_version", "data"}``.

    ``template_version`` defaults to the current version of the kind's
    template (see :func:`filings.versions.template_version`), so a new
    template gives new hashes.
    """
    kind = kind_of(obj)
    if template_version is None:
        from .versions import template_version as _tv

        template_version = _tv(kind)
    payload = {"kind": kind, "template_version": template_version, "data": to_jsonable(obj)}
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
