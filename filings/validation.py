"""Checks run before any document is written.

``validate(kind, data)`` returns a list of Swedish messages, one per problem,
each naming what is missing or wrong; an empty list means the document can
be produced.  Rendering with problems raises :class:`FilingIncomplete`.

The checks are about completeness and internal consistency (the parts add
up, dates are in order, the claim is due).  They do not recompute law: the
amounts, rates, fees and deadlines come precomputed from ``app.law``.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Union

from .formatting import format_money as _format_money
from .model import (
    INPUT_TYPES,
    BetalningsforelaggandeInput,
    ClaimLine,
    Counsel,
    EvidenceItem,
    ForlikningInput,
    KostnadsrakningInput,
    OverlamnandeInput,
    Party,
    StamningsansokanInput,
    VerkstallighetInput,
)

__all__ = [
    "FilingIncomplete",
    "validate",
    "find_forbidden_characters",
    "identity_number_problem",
]


def format_money(value: Decimal) -> str:
    """Money for messages; never fails (amounts with too many decimals are reported elsewhere)."""
    try:
        return _format_money(value)
    except (TypeError, ValueError):
        return f"{value} kr"


class FilingIncomplete(Exception):
    """The data cannot make a complete document; ``problems`` says why (Swedish)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


# --------------------------------------------------------------------------
# Characters XML 1.0 cannot hold
# --------------------------------------------------------------------------

_FORBIDDEN_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# docxtpl turns these into "{{", "}}", "{%", "%}" after rendering (its escape for literal
# braces in templates), also inside data: refused rather than silently changed.
_DOCXTPL_ESCAPES = ("{_{", "}_}", "{_%", "%_}")


def _describe_char(ch: str) -> str:
    cp = ord(ch)
    if cp < 0x20:
        return f"kontrolltecken U+{cp:04X}"
    if 0xD800 <= cp <= 0xDFFF:
        return f"ensamt surrogattecken U+{cp:04X}"
    return f"icke-tecken U+{cp:04X}"


def find_forbidden_characters(text: str) -> list[str]:
    """Characters in ``text`` that an XML 1.0 document cannot contain.

    Returns one Swedish description per distinct character, in order of first
    occurrence, e.g. ``["kontrolltecken U+0001"]``; empty if the text is fine.
    Tab, line feed and carriage return are allowed.  Forms can reuse this to
    refuse input early.
    """
    seen: list[str] = []
    for m in _FORBIDDEN_RE.finditer(text):
        desc = _describe_char(m.group())
        if desc not in seen:
            seen.append(desc)
    return seen


# --------------------------------------------------------------------------
# Field labels (Swedish) for messages naming a field
# --------------------------------------------------------------------------

_FIELD_LABELS = {
    "case_reference": "Ärendereferens",
    "place": "Ort",
    "court": "Tingsrätt",
    "subject": "Saken",
    "grounds": "Grunder",
    "statement_of_facts": "Utveckling av talan",
    "jurisdiction": "Forum",
    "track_label": "Handläggning",
    "track_reason": "Skäl för handläggning",
    "other_notes": "Övrigt",
    "notes": "Övrigt",
    "kfm_case_number": "Kronofogdens målnummer",
    "objection_summary": "Bestridandet",
    "response": "Sökandens kommentar",
    "court_case_number": "Målnummer",
    "cap_note": "Begränsning av kostnader",
    "vat_note": "Mervärdesskatt",
    "interest_note": "Ränta på kostnader",
    "payment_details": "Betalningsuppgifter",
    "default_terms": "Villkor vid utebliven betalning",
    "other_terms": "Övriga villkor",
    "plaintiff": "Kärande",
    "defendant": "Svarande",
    "applicant": "Sökande",
    "debtor": "Svarande",
    "creditor": "Borgenär",
    "party": "Part",
    "opponent": "Motpart",
    "original_creditor": "Ursprunglig borgenär",
    "plaintiff_counsel": "Kärandens ombud",
    "defendant_counsel": "Svarandens ombud",
    "applicant_counsel": "Sökandens ombud",
    "creditor_counsel": "Borgenärens ombud",
    "counsel": "Ombud",
    "title": "Exekutionstitel",
    # inside parties and counsel
    "name": "namn",
    "identity_number": "personnummer/organisationsnummer",
    "street": "utdelningsadress",
    "postal_code": "postnummer",
    "city": "postort",
    "phone": "telefon",
    "email": "e-post",
    "firm": "byrå",
    "reference": "referens",
    # inside lines
    "invoice_number": "fakturanummer",
    "description": "beskrivning",
    "interest_basis": "räntegrund",
    "capital": "kapitalbelopp",
    "amount": "belopp",
    "label": "benämning",
    "note": "anmärkning",
    "rule": "regel",
    "convention": "beräkningsgrund",
    "principal": "kapitalbelopp",
    "total": "summa",
    "claimed": "yrkat belopp",
    "recoverable": "ersättningsgillt belopp",
    "proves": "bevistema",
    "kind": "typ",
    "authority": "myndighet",
    "case_number": "målnummer",
    "court_fee": "Ansökningsavgift",
    "additional_fee": "Tilläggsavgift",
    "enforcement_fee": "Grundavgift",
    "rate": "räntesats",
    "days": "dagar",
    # lists, dates, flags
    "claim_lines": "Fordringsrader",
    "fee_lines": "Kostnadsrader",
    "evidence": "Bevisuppgift",
    "interest": "Ränteberäkningar",
    "periods": "perioder",
    "lines": "Kostnadsposter",
    "awarded": "Tillerkända belopp",
    "deductions": "Avräkningar",
    "debt_lines": "Skuldposter",
    "instalments": "Delbetalningar",
    "number": "nummer",
    "dated": "datum",
    "attached": "bifogas",
    "invoice_date": "fakturadatum",
    "due_date": "förfallodag",
    "interest_from": "ränta från",
    "start": "från och med",
    "end": "till",
    "is_company": "företag",
    "filing_date": "Ansökningsdag",
    "assigned_on": "Överlåtelsedag",
    "deadline": "Sista dag för begäran",
    "objection_received_on": "Underrättelse om bestridandet",
    "decided_on": "meddelad",
    "final_on": "laga kraft",
    "claims_litigation_costs": "Yrkande om rättegångskostnader",
    "request_default_judgment": "Begäran om tredskodom",
    "promissory_note": "Löpande skuldebrev",
    "transfer_to_court_if_contested": "Överlämnande vid bestridande",
    "enforce_immediately": "Verkställighet direkt",
    "capped": "Begränsad ersättning",
}

_ITEM_LABELS = {
    "claim_lines": "Fordringsrad",
    "fee_lines": "Kostnadsrad",
    "evidence": "Bevis",
    "interest": "Ränteberäkning",
    "periods": "period",
    "lines": "Kostnadspost",
    "awarded": "Tillerkänt belopp",
    "deductions": "Avräkning",
    "debt_lines": "Skuldpost",
    "instalments": "Delbetalning",
    "grounds": "Grunder stycke",
    "statement_of_facts": "Utveckling av talan stycke",
    "response": "Sökandens kommentar stycke",
    "other_notes": "Övrigt stycke",
    "notes": "Övrigt stycke",
    "default_terms": "Villkor vid utebliven betalning stycke",
    "other_terms": "Övriga villkor stycke",
}

_KIND_OVERRIDES = {
    "forlikning": {"debtor": "Gäldenär"},
    "kostnadsrakning": {"party": "Part (kostnadsyrkande)"},
}


def _field_label(kind: str, name: str, top: bool) -> str:
    if top and name in _KIND_OVERRIDES.get(kind, {}):
        return _KIND_OVERRIDES[kind][name]
    label = _FIELD_LABELS.get(name, name)
    if top:
        label = label[:1].upper() + label[1:]
    return label


# --------------------------------------------------------------------------
# Generic walk: types, forbidden characters, amounts with > 2 decimals
# --------------------------------------------------------------------------

_CENT = Decimal("0.01")
_NOT_MONEY = {"rate"}  # Decimals that are not amounts in kronor


def _type_name(tp: Any) -> str:
    names = {str: "text", Decimal: "belopp (Decimal)", date: "datum", bool: "ja/nej", int: "heltal"}
    return names.get(tp, getattr(tp, "__name__", str(tp)))


@dataclasses.dataclass(frozen=True)
class _Spec:
    """A field's type, decomposed once per class: ``base``, ``optional``, ``many`` (tuple of base)."""

    base: Any
    optional: bool
    many: bool


def _spec(tp: Any) -> _Spec:
    optional = False
    if typing.get_origin(tp) in (Union, types.UnionType):
        args = typing.get_args(tp)
        optional = type(None) in args
        inner = [a for a in args if a is not type(None)]
        if len(inner) != 1:  # pragma: no cover - model bug
            raise TypeError(f"unsupported union {tp!r}")
        tp = inner[0]
    if typing.get_origin(tp) is tuple:
        return _Spec(typing.get_args(tp)[0], optional, True)
    return _Spec(tp, optional, False)


@functools.cache
def _plan(cls: type) -> tuple[tuple[str, _Spec], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _spec(hints[f.name])) for f in dataclasses.fields(cls))


def _walk(kind: str, spec: _Spec, value: Any, label: str, field_name: str, out: list[str]) -> None:
    if value is None:
        if not spec.optional:
            out.append(f"Fältet {label} saknas.")
        return
    if spec.many:
        if not isinstance(value, tuple):
            out.append(f"Fältet {label} ska vara en tuple (fick {type(value).__name__}).")
            return
        item_spec = _Spec(spec.base, False, False)
        item_label = _ITEM_LABELS.get(field_name, label)
        for i, item in enumerate(value, start=1):
            _walk(kind, item_spec, item, f"{item_label} {i}", field_name, out)
        return
    tp = spec.base
    if tp is str:
        if not isinstance(value, str):
            out.append(f"Fältet {label} ska vara text (fick {type(value).__name__}).")
            return
        if _FORBIDDEN_RE.search(value):
            for desc in find_forbidden_characters(value):
                out.append(f"Otillåtet tecken ({desc}) i fältet {label}.")
        if "_" in value:
            for seq in _DOCXTPL_ESCAPES:
                if seq in value:
                    out.append(f"Teckenföljden ”{seq}” kan inte återges i dokumentet (fältet {label}).")
        return
    if tp is Decimal:
        if isinstance(value, bool) or not isinstance(value, Decimal):
            out.append(f"Fältet {label} ska vara ett belopp av typen Decimal (fick {type(value).__name__}).")
        elif not value.is_finite():
            out.append(f"Fältet {label} är inte ett tal ({value}).")
        elif field_name not in _NOT_MONEY and value.as_tuple().exponent < -2 and value != value.quantize(_CENT):
            out.append(f"Beloppet i fältet {label} har fler än två decimaler ({value}).")
        return
    if tp is date:
        if isinstance(value, datetime) or not isinstance(value, date):
            out.append(f"Fältet {label} ska vara ett datum (fick {type(value).__name__}).")
        return
    if tp is bool or tp is int:
        if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
            out.append(f"Fältet {label} ska vara {_type_name(tp)} (fick {type(value).__name__}).")
        return
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, tp):
            out.append(f"Fältet {label} har fel typ ({type(value).__name__}, ska vara {tp.__name__}).")
            return
        for name, sub_spec in _plan(tp):
            _walk(kind, sub_spec, getattr(value, name), f"{label} {_field_label(kind, name, top=False)}", name, out)
        return
    raise TypeError(f"unsupported field type {tp!r}")  # pragma: no cover - model bug


def _generic_problems(kind: str, data: Any) -> list[str]:
    out: list[str] = []
    for name, spec in _plan(INPUT_TYPES[kind]):
        _walk(kind, spec, getattr(data, name), _field_label(kind, name, top=True), name, out)
    return out


# --------------------------------------------------------------------------
# Helpers for the rules
# --------------------------------------------------------------------------


def _blank(text: str) -> bool:
    return not text.strip()


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


_ID_RE = re.compile(r"(\d{2})?(\d{6})[-+]?(\d{4})")


def identity_number_problem(text: str) -> str | None:
    """Why ``text`` is not a valid personnummer/samordningsnummer/organisationsnummer, or None.

    Accepts ``ÅÅMMDD-NNNN``, ``ÅÅMMDD+NNNN``, ``ÅÅÅÅMMDDNNNN``, ``NNNNNN-NNNN``
    (and ``16NNNNNN-NNNN``); the last ten digits must pass the Luhn check.
    """
    m = _ID_RE.fullmatch(text.replace(" ", ""))
    if not m:
        return "har fel format (ska vara t.ex. 19800101-1234 eller 556677-8899)"
    if m.group(1) and m.group(1) not in ("16", "18", "19", "20"):
        return "har fel sekelsiffror"
    if not _luhn_ok(m.group(2) + m.group(3)):
        return "har fel kontrollsiffra"
    return None


_POSTAL_RE = re.compile(r"\d{3} ?\d{2}")


class _Rules:
    def __init__(self, kind: str, data: Any) -> None:
        self.kind = kind
        self.data = data
        self.problems: list[str] = []

    def add(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

    def text(self, value: str, message: str) -> None:
        if _blank(value):
            self.add(message)

    def paragraphs(self, value: tuple[str, ...], missing: str, blank_item: str) -> None:
        if not value or all(_blank(p) for p in value):
            self.add(missing)
            return
        for i, p in enumerate(value, start=1):
            if _blank(p):
                self.add(blank_item.format(i=i))

    def common(self) -> None:
        self.text(self.data.case_reference, "Ärendereferens saknas.")
        self.text(self.data.place, "Ort för undertecknandet saknas.")

    def party(self, p: Party, genitive: str) -> None:
        self.text(p.name, f"{genitive} namn saknas.")
        if _blank(p.identity_number):
            self.add(f"{genitive} personnummer/organisationsnummer saknas.")
        else:
            why = identity_number_problem(p.identity_number)
            if why:
                self.add(f"{genitive} personnummer/organisationsnummer ({p.identity_number}) {why}.")
        self.text(p.street, f"{genitive} utdelningsadress saknas.")
        if _blank(p.postal_code):
            self.add(f"{genitive} postnummer saknas.")
        elif not _POSTAL_RE.fullmatch(p.postal_code.strip()):
            self.add(f"{genitive} postnummer ({p.postal_code}) ska bestå av fem siffror.")
        self.text(p.city, f"{genitive} postort saknas.")

    def counsel(self, c: Counsel | None, label: str, required: bool) -> None:
        if c is None:
            if required:
                self.add(f"{label} saknas (ombudet undertecknar handlingen).")
            return
        self.text(c.name, f"{label}: namn saknas.")
        self.text(c.firm, f"{label}: byrå/företag saknas.")
        if _blank(c.street) or _blank(c.postal_code) or _blank(c.city):
            self.add(f"{label}: postadress saknas (utdelningsadress, postnummer och postort).")
        elif not _POSTAL_RE.fullmatch(c.postal_code.strip()):
            self.add(f"{label}: postnummer ({c.postal_code}) ska bestå av fem siffror.")
        self.text(c.phone, f"{label}: telefonnummer saknas.")

    def claim_lines(self, lines: tuple[ClaimLine, ...], filing_date: date, check_due: bool = True) -> None:
        if not lines:
            self.add("Fordringsrader saknas: minst en faktura måste anges.")
            return
        seen: set[str] = set()
        for i, line in enumerate(lines, start=1):
            name = line.invoice_number.strip()
            if not name:
                self.add(f"Fakturanummer saknas på fordringsrad {i}.")
                ref = f"fordringsrad {i}"
            else:
                ref = f"faktura {name}"
                if name in seen:
                    self.add(f"Faktura {name} förekommer mer än en gång.")
                seen.add(name)
            Ref = ref[:1].upper() + ref[1:]
            if line.capital <= 0:
                self.add(f"Kapitalbeloppet för {ref} måste vara större än noll ({format_money(line.capital)}).")
            self.text(line.description, f"Beskrivning saknas för {ref}.")
            if line.invoice_date is None:
                self.add(f"Fakturadatum saknas för {ref}.")
            elif line.invoice_date > filing_date:
                self.add(
                    f"Fakturadatum för {ref} ({line.invoice_date.isoformat()}) ligger efter "
                    f"ansökningsdagen ({filing_date.isoformat()})."
                )
            if line.due_date is None:
                self.add(f"Förfallodag saknas för {ref}.")
            else:
                if line.invoice_date is not None and line.due_date < line.invoice_date:
                    self.add(
                        f"Förfallodagen för {ref} ({line.due_date.isoformat()}) ligger före "
                        f"fakturadatum ({line.invoice_date.isoformat()})."
                    )
                if check_due and line.due_date >= filing_date:
                    self.add(
                        f"Fordran på {ref} är inte förfallen (förfallodag {line.due_date.isoformat()}, "
                        f"ansökningsdag {filing_date.isoformat()})."
                    )
            if line.interest_from is not None:
                if _blank(line.interest_basis):
                    self.add(f"Räntegrund saknas för {ref} (t.ex. den lagregel räntan yrkas enligt).")
                if line.due_date is not None and line.interest_from < line.due_date:
                    self.add(
                        f"{Ref}: ränta kan inte yrkas från {line.interest_from.isoformat()}, "
                        f"före förfallodagen {line.due_date.isoformat()}."
                    )

    def cost_lines(self, lines: tuple[Any, ...], what: str) -> None:
        for i, line in enumerate(lines, start=1):
            if _blank(line.label):
                self.add(f"{what} {i}: benämning saknas.")
            if line.amount <= 0:
                self.add(f"{what} {i} ({line.label}): beloppet måste vara större än noll.")

    def evidence(self, items: tuple[EvidenceItem, ...], required: bool) -> None:
        if not items:
            if required:
                self.add("Bevisuppgift saknas: minst ett bevis måste anges (RB 42 kap. 2 §).")
            return
        seen: set[int] = set()
        for i, item in enumerate(items, start=1):
            if item.number in seen:
                self.add(f"Bevisnummer {item.number} förekommer mer än en gång.")
            seen.add(item.number)
            if item.number <= 0:
                self.add(f"Bevis {i}: bevisnumret måste vara ett positivt heltal.")
            if _blank(item.title):
                self.add(f"Bevis {item.number}: benämning saknas.")
            if _blank(item.proves):
                self.add(f"Bevistema saknas för bevis {item.number} ({item.title}) (RB 42 kap. 2 §).")
            if item.dated is not None and item.dated > self.data.filing_date:
                self.add(f"Bevis {item.number} ({item.title}) är daterat efter ansökningsdagen.")

    def fee(self, value: Decimal | None, missing: str, name: str) -> None:
        if value is None:
            self.add(missing)
        elif value < 0:
            self.add(f"{name} kan inte vara negativ ({format_money(value)}).")


# --------------------------------------------------------------------------
# Per kind
# --------------------------------------------------------------------------

_PAYMENT_INSTRUCTION_RE = re.compile(
    r"\b(bankgiro|bankgironummer|plusgiro|plusgironummer|bg|pg|kontonummer|clearingnummer|iban|bic|swift|ocr|swish)\b",
    re.IGNORECASE,
)


def _stamningsansokan(r: _Rules, d: StamningsansokanInput) -> None:
    r.common()
    r.text(d.court, "Tingsrätt saknas (till vilken domstol ansökan ges in).")
    r.party(d.plaintiff, "Kärandens")
    r.counsel(d.plaintiff_counsel, "Kärandens ombud", required=True)
    r.party(d.defendant, "Svarandens")
    r.counsel(d.defendant_counsel, "Svarandens ombud", required=False)
    r.text(d.subject, "Saken saknas (t.ex. Fordran).")
    r.claim_lines(d.claim_lines, d.filing_date)
    r.cost_lines(d.fee_lines, "Kostnadsrad")
    r.paragraphs(d.grounds, "Grunder saknas (RB 42 kap. 2 §).", "Grunder: stycke {i} är tomt.")
    for i, p in enumerate(d.statement_of_facts, start=1):
        r.text(p, f"Utveckling av talan: stycke {i} är tomt.")
    r.evidence(d.evidence, required=True)
    r.text(d.jurisdiction, "Uppgift om domstolens behörighet (forum) saknas (RB 42 kap. 2 §).")
    r.text(d.track_label, "Uppgift om handläggning (förenklat tvistemål eller ordinärt tvistemål) saknas.")
    r.text(d.track_reason, "Skälet för handläggningsformen (FT-mål eller ordinärt) saknas.")
    r.fee(d.court_fee, "Ansökningsavgift saknas.", "Ansökningsavgiften")


def _check_interest_specs(r: _Rules, d: BetalningsforelaggandeInput) -> None:
    by_invoice = {line.invoice_number.strip(): line for line in d.claim_lines}
    specs_seen: set[str] = set()
    for i, spec in enumerate(d.interest, start=1):
        inv = spec.invoice_number.strip()
        ref = f"faktura {inv}" if inv else f"ränteberäkning {i}"
        if inv in specs_seen:
            r.add(f"Det finns mer än en ränteberäkning för {ref}.")
        specs_seen.add(inv)
        line = by_invoice.get(inv)
        if line is None:
            r.add(f"Ränteberäkning {i} avser faktura {inv or '(utan nummer)'}, som inte finns bland fordringsraderna.")
        elif line.interest_from is None:
            r.add(
                f"Ränteberäkning finns för {ref}, men ingen ränta yrkas på den fordringsraden (räntestartdag saknas)."
            )
        r.text(spec.convention, f"Beräkningsgrund saknas i ränteberäkningen för {ref} (t.ex. faktiska dagar/365).")
        if spec.principal <= 0:
            r.add(f"Kapitalbeloppet i ränteberäkningen för {ref} måste vara större än noll.")
        if not spec.periods:
            r.add(f"Ränteberäkningen för {ref} saknar perioder.")
            continue
        previous_end = None
        for n, period in enumerate(spec.periods, start=1):
            actual_days = (period.end - period.start).days
            if actual_days <= 0:
                r.add(f"Ränteperiod {n} för {ref} slutar inte efter att den börjar ({period.start.isoformat()}).")
            elif period.days != actual_days:
                r.add(
                    f"Ränteperiod {n} för {ref}: antal dagar ({period.days}) stämmer inte med perioden "
                    f"{period.start.isoformat()}–{period.last_day.isoformat()} ({actual_days} dagar)."
                )
            if previous_end is not None and period.start != previous_end:
                r.add(
                    f"Ränteperioderna för {ref} är inte sammanhängande (period {n} börjar "
                    f"{period.start.isoformat()}, föregående period slutar {(previous_end - timedelta(days=1)).isoformat()})."
                )
            if period.rate < 0:
                r.add(f"Ränteperiod {n} för {ref} har negativ räntesats.")
            if period.amount < 0:
                r.add(f"Ränteperiod {n} för {ref} har negativt räntebelopp.")
            previous_end = period.end
        period_sum = sum((p.amount for p in spec.periods), Decimal("0.00"))
        if period_sum != spec.total:
            r.add(
                f"Summan av ränteperioderna för {ref} ({format_money(period_sum)}) stämmer inte med "
                f"angiven upplupen ränta ({format_money(spec.total)})."
            )
        if line is not None and line.interest_from is not None and spec.start != line.interest_from:
            r.add(
                f"Ränteberäkningen för {ref} börjar {spec.start.isoformat()}, men räntan yrkas från "
                f"{line.interest_from.isoformat()}."
            )
        if spec.last_day is not None and spec.last_day > d.filing_date:
            r.add(
                f"Ränteberäkningen för {ref} går längre än till ansökningsdagen "
                f"(till och med {spec.last_day.isoformat()}, ansökningsdag {d.filing_date.isoformat()})."
            )
    for line in d.claim_lines:
        inv = line.invoice_number.strip()
        if line.interest_from is not None and inv and inv not in specs_seen:
            r.add(
                f"Upplupen ränta för faktura {inv} saknas: räntan fram till ansökan ska anges som belopp "
                "(ränteberäkning)."
            )


def _betalningsforelaggande(r: _Rules, d: BetalningsforelaggandeInput) -> None:
    r.common()
    r.party(d.applicant, "Sökandens")
    r.counsel(d.applicant_counsel, "Sökandens ombud", required=False)
    r.party(d.debtor, "Svarandens")
    r.claim_lines(d.claim_lines, d.filing_date)
    _check_interest_specs(r, d)
    r.cost_lines(d.fee_lines, "Kostnadsrad")
    r.paragraphs(d.grounds, "Grund för fordran saknas.", "Grund: stycke {i} är tomt.")
    for p in d.grounds:
        m = _PAYMENT_INSTRUCTION_RE.search(p)
        if m:
            r.add(f"Grunden får inte innehålla betalningsanvisningar (”{m.group()}”).")
    if d.original_creditor is not None:
        oc = d.original_creditor
        r.text(oc.name, "Den ursprungliga borgenärens namn saknas.")
        if _blank(oc.identity_number):
            r.add("Den ursprungliga borgenärens personnummer/organisationsnummer saknas.")
        else:
            why = identity_number_problem(oc.identity_number)
            if why:
                r.add(f"Den ursprungliga borgenärens personnummer/organisationsnummer ({oc.identity_number}) {why}.")
        if d.assigned_on is None:
            r.add("Datum för överlåtelsen av fordran saknas.")
        elif d.assigned_on > d.filing_date:
            r.add("Datum för överlåtelsen av fordran ligger efter ansökningsdagen.")
    elif d.assigned_on is not None:
        r.add("Ursprunglig borgenär saknas trots att ett överlåtelsedatum har angetts.")


def _overlamnande(r: _Rules, d: OverlamnandeInput) -> None:
    r.common()
    r.text(d.kfm_case_number, "Kronofogdens målnummer saknas.")
    r.party(d.applicant, "Sökandens")
    r.counsel(d.applicant_counsel, "Sökandens ombud", required=True)
    r.party(d.debtor, "Svarandens")
    if d.objection_received_on is None:
        r.add("Datum då sökanden underrättades om bestridandet saknas.")
    elif d.objection_received_on > d.filing_date:
        r.add("Datum för underrättelsen om bestridandet ligger efter ansökningsdagen.")
    if d.deadline is None:
        r.add("Sista dag för begäran om överlämnande saknas.")
    elif d.filing_date > d.deadline:
        r.add(
            f"Begäran om överlämnande är för sen (sista dag {d.deadline.isoformat()}, "
            f"ansökningsdag {d.filing_date.isoformat()})."
        )
    r.text(d.track_label, "Uppgift om handläggning (förenklat tvistemål eller ordinärt tvistemål) saknas.")
    r.text(d.track_reason, "Skälet för handläggningsformen (FT-mål eller ordinärt) saknas.")
    r.fee(d.additional_fee, "Tilläggsavgift saknas.", "Tilläggsavgiften")
    if d.claim_lines:
        r.claim_lines(d.claim_lines, d.filing_date)
    r.evidence(d.evidence, required=False)


def _verkstallighet(r: _Rules, d: VerkstallighetInput) -> None:
    r.common()
    r.party(d.applicant, "Sökandens")
    r.counsel(d.applicant_counsel, "Sökandens ombud", required=False)
    r.party(d.debtor, "Gäldenärens")
    t = d.title
    r.text(t.kind, "Exekutionstitel: typ saknas (dom eller utslag).")
    r.text(t.authority, "Exekutionstitel: domstol eller myndighet saknas.")
    r.text(t.case_number, "Exekutionstitel: målnummer saknas.")
    if t.decided_on is None:
        r.add("Exekutionstitel: datum för dom/utslag saknas.")
    else:
        if t.decided_on > d.filing_date:
            r.add("Exekutionstitel: datum för dom/utslag ligger efter ansökningsdagen.")
        if t.final_on is not None and t.final_on < t.decided_on:
            r.add("Exekutionstitel: laga kraft-datum ligger före datum för dom/utslag.")
    if not d.awarded:
        r.add("Tillerkända belopp saknas: minst ett belopp enligt exekutionstiteln måste anges.")
    for i, line in enumerate(d.awarded, start=1):
        if _blank(line.label):
            r.add(f"Tillerkänt belopp {i}: benämning saknas.")
        if line.amount <= 0:
            r.add(f"Tillerkänt belopp {i} ({line.label}): beloppet måste vara större än noll.")
        if line.interest_from is not None and _blank(line.interest_basis):
            r.add(f"Tillerkänt belopp {i} ({line.label}): räntegrund saknas.")
    r.cost_lines(d.deductions, "Avräkning")
    if d.awarded and d.total_deductions > d.total_awarded:
        r.add("Avräknade belopp överstiger de tillerkända beloppen.")
    r.fee(d.enforcement_fee, "Grundavgift saknas.", "Grundavgiften")


def _kostnadsrakning(r: _Rules, d: KostnadsrakningInput) -> None:
    r.common()
    r.text(d.court, "Domstol saknas.")
    r.text(d.court_case_number, "Domstolens målnummer saknas.")
    r.party(d.party, "Partens")
    r.party(d.opponent, "Motpartens")
    r.counsel(d.counsel, "Ombudet", required=True)
    r.text(d.track_label, "Uppgift om handläggning (förenklat tvistemål eller ordinärt tvistemål) saknas.")
    if d.capped and _blank(d.cap_note):
        r.add("Förklaring till begränsningen av ersättningen (RB 18 kap. 8 a §) saknas.")
    if not d.lines:
        r.add("Kostnadsposter saknas: minst en kostnad måste anges.")
    for i, line in enumerate(d.lines, start=1):
        name = line.label.strip() or f"kostnadspost {i}"
        if _blank(line.label):
            r.add(f"Kostnadspost {i}: benämning saknas.")
        if line.claimed <= 0:
            r.add(f"Kostnadspost ”{name}”: yrkat belopp måste vara större än noll.")
        if line.recoverable < 0:
            r.add(f"Kostnadspost ”{name}”: ersättningsgillt belopp kan inte vara negativt.")
        if line.recoverable > line.claimed:
            r.add(f"Kostnadspost ”{name}”: ersättningsgillt belopp överstiger yrkat belopp.")
        if _blank(line.rule):
            r.add(f"Kostnadspost ”{name}”: regel för ersättningen saknas.")


def _forlikning(r: _Rules, d: ForlikningInput) -> None:
    r.common()
    r.party(d.creditor, "Borgenärens")
    r.counsel(d.creditor_counsel, "Borgenärens ombud", required=False)
    r.party(d.debtor, "Gäldenärens")
    if not d.debt_lines:
        r.add("Skuldposter saknas: den erkända skulden måste anges.")
    r.cost_lines(d.debt_lines, "Skuldpost")
    if not d.instalments:
        r.add("Avbetalningsplan saknas: minst en delbetalning måste anges.")
    previous = None
    for i, inst in enumerate(d.instalments, start=1):
        if inst.amount <= 0:
            r.add(f"Delbetalning {i}: beloppet måste vara större än noll.")
        if inst.due_date < d.filing_date:
            r.add(
                f"Delbetalning {i} förfaller ({inst.due_date.isoformat()}) före avtalsdagen ({d.filing_date.isoformat()})."
            )
        if previous is not None and inst.due_date <= previous:
            r.add(f"Delbetalning {i}: förfallodagarna måste komma i tidsordning ({inst.due_date.isoformat()}).")
        previous = inst.due_date
    if d.debt_lines and d.instalments and d.total_instalments != d.total_debt:
        r.add(
            f"Summan av delbetalningarna ({format_money(d.total_instalments)}) stämmer inte med "
            f"den erkända skulden ({format_money(d.total_debt)})."
        )
    r.text(d.payment_details, "Betalningsuppgifter saknas (hur gäldenären ska betala).")
    r.paragraphs(
        d.default_terms,
        "Villkor vid utebliven betalning saknas.",
        "Villkor vid utebliven betalning: stycke {i} är tomt.",
    )
    if not _blank(d.court_case_number) and _blank(d.court):
        r.add("Domstol saknas trots att ett målnummer har angetts.")


_RULES: dict[str, Callable[[_Rules, Any], None]] = {
    "stamningsansokan": _stamningsansokan,
    "betalningsforelaggande": _betalningsforelaggande,
    "overlamnande": _overlamnande,
    "verkstallighet": _verkstallighet,
    "kostnadsrakning": _kostnadsrakning,
    "forlikning": _forlikning,
}


def validate(kind: str, data: Any) -> list[str]:
    """Swedish messages for every problem in ``data``; empty when a document can be made.

    Type problems and characters XML cannot hold are reported first; the
    completeness/consistency rules run only when every field has the right
    type.
    """
    if kind not in INPUT_TYPES:
        raise KeyError(f"unknown document kind: {kind!r}")
    cls = INPUT_TYPES[kind]
    if type(data) is not cls:
        return [f"Fel sorts indata för {kind}: {type(data).__name__} (ska vara {cls.__name__})."]
    problems = _generic_problems(kind, data)
    type_problems = [p for p in problems if not p.startswith(("Otillåtet tecken", "Beloppet i fältet", "Teckenföljden"))]
    if type_problems:
        return problems
    rules = _Rules(kind, data)
    _RULES[kind](rules, data)
    for p in rules.problems:
        if p and p not in problems:
            problems.append(p)
    return problems
