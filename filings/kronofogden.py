"""Files exchanged with Kronofogden: export of applications, import of events.

Kronofogden's own bulk-file schema is given only to connected filers, so
this module writes and reads a documented layout of ours (see
``filings/KRONOFOGDEN_LAYOUT.md``) behind an adapter interface; a certified
layout can be added later as another :class:`ExportAdapter`.

Export: one record per ansökan om betalningsföreläggande, with every field
the paper application has, as JSON Lines (:class:`JsonLinesAdapter`) or CSV
(:class:`CsvAdapter`).  Each adapter can also read its own files back
(:meth:`ExportAdapter.read`), which is how the round trip is tested.

Import: :func:`parse_events` reads Kronofogden's answers (bestridande,
delgivning, utslag, återkallelse, överlämnad) from JSON Lines or CSV and
returns plain :class:`KfmEvent` objects — or, if any row is bad, raises
:class:`ImportErrors` listing every bad row by line number with a Swedish
message.  All or nothing: the application applies the events in one
transaction.
"""

from __future__ import annotations

import csv
import io
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from .model import BetalningsforelaggandeInput, Counsel, Party, input_hash
from .validation import FilingIncomplete, find_forbidden_characters, validate

__all__ = [
    "EXPORT_LAYOUT",
    "EVENT_LAYOUT",
    "ExportAdapter",
    "JsonLinesAdapter",
    "CsvAdapter",
    "ADAPTERS",
    "application_record",
    "export_applications",
    "KfmEventKind",
    "KfmEvent",
    "ImportErrors",
    "parse_events",
    "events_to_jsonl",
    "events_to_csv",
]

EXPORT_LAYOUT = "tvist-kfm-ansokan/1"
EVENT_LAYOUT = "tvist-kfm-handelse/1"


# ==========================================================================
# Export
# ==========================================================================


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _party(p: Party) -> dict[str, Any]:
    return {
        "name": p.name,
        "identity_number": p.identity_number,
        "is_company": p.is_company,
        "street": p.street,
        "postal_code": p.postal_code,
        "city": p.city,
        "phone": p.phone,
        "email": p.email,
    }


def _counsel(c: Counsel) -> dict[str, Any]:
    return {
        "name": c.name,
        "firm": c.firm,
        "street": c.street,
        "postal_code": c.postal_code,
        "city": c.city,
        "phone": c.phone,
        "email": c.email,
        "reference": c.reference,
    }


def application_record(app: BetalningsforelaggandeInput) -> dict[str, Any]:
    """The export record of one application (JSON types; amounts as ``"1234.50"``).

    The layout is described field by field in ``KRONOFOGDEN_LAYOUT.md``.
    """
    specs = {s.invoice_number.strip(): s for s in app.interest}
    claims = []
    for line in app.claim_lines:
        spec = specs.get(line.invoice_number.strip())
        claims.append(
            {
                "invoice_number": line.invoice_number,
                "invoice_date": _d(line.invoice_date),
                "due_date": _d(line.due_date),
                "capital": _money(line.capital),
                "description": line.description,
                "interest_basis": line.interest_basis,
                "interest_from": _d(line.interest_from),
                "accrued_interest": _money(spec.total) if spec else None,
                "accrued_interest_to": _d(spec.last_day) if spec else None,
                "running_interest_from": _d(spec.end) if spec else _d(line.interest_from),
                "interest_convention": spec.convention if spec else None,
                "interest_periods": [
                    {
                        "start": p.start.isoformat(),
                        "end": p.end.isoformat(),
                        "rate": f"{p.rate:.2f}",
                        "days": p.days,
                        "amount": _money(p.amount),
                    }
                    for p in spec.periods
                ]
                if spec
                else [],
            }
        )
    return {
        "layout": EXPORT_LAYOUT,
        "record_type": "ansokan_betalningsforelaggande",
        "case_reference": app.case_reference,
        "filing_date": app.filing_date.isoformat(),
        "input_hash": input_hash(app, template_version=EXPORT_LAYOUT),
        "applicant": _party(app.applicant),
        "counsel": _counsel(app.applicant_counsel) if app.applicant_counsel else None,
        "debtor": _party(app.debtor),
        "original_creditor": _party(app.original_creditor) if app.original_creditor else None,
        "assigned_on": _d(app.assigned_on),
        "promissory_note": app.promissory_note,
        "grounds": list(app.grounds),
        "claims": claims,
        "fees": [{"label": f.label, "amount": _money(f.amount), "note": f.note} for f in app.fee_lines],
        "totals": {
            "capital": _money(app.total_capital),
            "interest": _money(app.total_interest),
            "fees": _money(app.total_fees),
            "total": _money(app.total_claimed),
        },
        "options": {
            "transfer_to_court_if_contested": app.transfer_to_court_if_contested,
            "enforce_immediately": app.enforce_immediately,
        },
    }


def _checked_records(applications: Iterable[BetalningsforelaggandeInput]) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    for n, app in enumerate(applications, start=1):
        if not isinstance(app, BetalningsforelaggandeInput):
            problems.append(f"Ansökan {n}: fel sorts indata ({type(app).__name__}).")
            continue
        for p in validate("betalningsforelaggande", app):
            problems.append(f"Ansökan {n} ({app.case_reference}): {p}")
        if not problems:
            records.append(application_record(app))
    if problems:
        raise FilingIncomplete(problems)
    return records


class ExportAdapter(ABC):
    """A file layout for sending applications to Kronofogden."""

    name: str
    media_type: str
    extension: str

    def export(self, applications: Iterable[BetalningsforelaggandeInput]) -> bytes:
        """Validate every application, then write them all (nothing if any is incomplete)."""
        return self.write_records(_checked_records(applications))

    @abstractmethod
    def write_records(self, records: list[dict[str, Any]]) -> bytes:
        """Write records made by :func:`application_record`."""

    @abstractmethod
    def read(self, data: bytes) -> list[dict[str, Any]]:
        """Read a file this adapter wrote back into records (for checks and round trips)."""


class JsonLinesAdapter(ExportAdapter):
    """One JSON object per line, UTF-8, ``\\n`` line ends, keys in layout order."""

    name = "jsonl"
    media_type = "application/x-ndjson"
    extension = ".jsonl"

    def write_records(self, records: list[dict[str, Any]]) -> bytes:
        return "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in records).encode("utf-8")

    def read(self, data: bytes) -> list[dict[str, Any]]:
        text = data.decode("utf-8-sig")
        return [json.loads(line) for line in text.splitlines() if line.strip()]


# --- CSV: flat columns ------------------------------------------------------

_PARTY_FIELDS = ("name", "identity_number", "is_company", "street", "postal_code", "city", "phone", "email")
_COUNSEL_FIELDS = ("name", "firm", "street", "postal_code", "city", "phone", "email", "reference")
_CLAIM_FIELDS = (
    "invoice_number",
    "invoice_date",
    "due_date",
    "capital",
    "description",
    "interest_basis",
    "interest_from",
    "accrued_interest",
    "accrued_interest_to",
    "running_interest_from",
    "interest_convention",
    "interest_periods",
)
_FEE_FIELDS = ("label", "amount", "note")


def _csv_bool(v: bool) -> str:
    return "true" if v else "false"


def _periods_text(periods: list[dict[str, Any]]) -> str:
    return "|".join(f"{p['start']}/{p['end']}/{p['rate']}/{p['days']}/{p['amount']}" for p in periods)


def _periods_parse(text: str) -> list[dict[str, Any]]:
    out = []
    for chunk in filter(None, text.split("|")):
        start, end, rate, days, amount = chunk.split("/")
        out.append({"start": start, "end": end, "rate": rate, "days": int(days), "amount": amount})
    return out


class CsvAdapter(ExportAdapter):
    """One row per application; ``;``-separated, UTF-8, header row, CRLF.

    Repeating parts get numbered column groups (``claim1_capital``,
    ``claim2_capital`` …, ``fee1_label`` …) — as many groups as the longest
    application in the file.  Empty cell = no value.  Booleans ``true`` /
    ``false``; amounts ``1234.50``; dates ``ÅÅÅÅ-MM-DD``; the paragraphs of
    the grounds in ``ground1``, ``ground2`` …; interest periods as
    ``start/end/rate/days/amount`` separated by ``|``.
    """

    name = "csv"
    media_type = "text/csv"
    extension = ".csv"
    delimiter = ";"

    def _flatten(self, r: dict[str, Any], n_claims: int, n_fees: int, n_grounds: int) -> dict[str, str]:
        def s(v: Any) -> str:
            if v is None:
                return ""
            if isinstance(v, bool):
                return _csv_bool(v)
            return str(v)

        row: dict[str, str] = {
            "layout": r["layout"],
            "record_type": r["record_type"],
            "case_reference": r["case_reference"],
            "filing_date": r["filing_date"],
            "input_hash": r["input_hash"],
        }
        for prefix, fields in (
            ("applicant", _PARTY_FIELDS),
            ("debtor", _PARTY_FIELDS),
            ("original_creditor", _PARTY_FIELDS),
            ("counsel", _COUNSEL_FIELDS),
        ):
            obj = r[prefix]
            for f in fields:
                row[f"{prefix}_{f}"] = s(obj[f]) if obj else ""
        row["assigned_on"] = s(r["assigned_on"])
        row["promissory_note"] = s(r["promissory_note"])
        for i in range(n_grounds):
            row[f"ground{i + 1}"] = r["grounds"][i] if i < len(r["grounds"]) else ""
        for i in range(n_claims):
            claim = r["claims"][i] if i < len(r["claims"]) else None
            for f in _CLAIM_FIELDS:
                key = f"claim{i + 1}_{f}"
                if claim is None:
                    row[key] = ""
                elif f == "interest_periods":
                    row[key] = _periods_text(claim[f])
                else:
                    row[key] = s(claim[f])
        for i in range(n_fees):
            fee = r["fees"][i] if i < len(r["fees"]) else None
            for f in _FEE_FIELDS:
                row[f"fee{i + 1}_{f}"] = s(fee[f]) if fee else ""
        for f in ("capital", "interest", "fees", "total"):
            row[f"total_{f}"] = r["totals"][f]
        for f in ("transfer_to_court_if_contested", "enforce_immediately"):
            row[f] = s(r["options"][f])
        return row

    def write_records(self, records: list[dict[str, Any]]) -> bytes:
        n_claims = max((len(r["claims"]) for r in records), default=0)
        n_fees = max((len(r["fees"]) for r in records), default=0)
        n_grounds = max((len(r["grounds"]) for r in records), default=0)
        rows = [self._flatten(r, n_claims, n_fees, n_grounds) for r in records]
        rows_header = list(rows[0]) if rows else list(self._flatten(_EMPTY_RECORD, 0, 0, 0))
        buf = io.StringIO(newline="")
        writer = csv.DictWriter(buf, fieldnames=rows_header, delimiter=self.delimiter, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        return buf.getvalue().encode("utf-8")

    def read(self, data: bytes) -> list[dict[str, Any]]:
        text = data.decode("utf-8-sig")
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=self.delimiter)
        header = reader.fieldnames or []
        n_claims = len({m.group(1) for h in header if (m := re.match(r"claim(\d+)_", h))})
        n_fees = len({m.group(1) for h in header if (m := re.match(r"fee(\d+)_", h))})
        n_grounds = len([h for h in header if re.fullmatch(r"ground\d+", h)])
        return [self._unflatten(row, n_claims, n_fees, n_grounds) for row in reader]

    @staticmethod
    def _unflatten(row: dict[str, str], n_claims: int, n_fees: int, n_grounds: int) -> dict[str, Any]:
        def v(key: str) -> bool:
            return row[key] == "true"

        def obj(prefix: str, fields: tuple[str, ...]) -> dict[str, Any] | None:
            values = {f: row[f"{prefix}_{f}"] for f in fields}
            if all(x == "" for x in values.values()):
                return None
            return {f: (values[f] == "true" if f == "is_company" else values[f]) for f in fields}

        claims = []
        for i in range(1, n_claims + 1):
            values = {f: row[f"claim{i}_{f}"] for f in _CLAIM_FIELDS}
            if all(x == "" for x in values.values()):
                continue
            claim: dict[str, Any] = {}
            for f in _CLAIM_FIELDS:
                raw = values[f]
                if f == "interest_periods":
                    claim[f] = _periods_parse(raw)
                elif f in ("invoice_number", "capital", "description", "interest_basis"):
                    claim[f] = raw
                else:
                    claim[f] = raw or None
            claims.append(claim)
        fees = []
        for i in range(1, n_fees + 1):
            values = {f: row[f"fee{i}_{f}"] for f in _FEE_FIELDS}
            if all(x == "" for x in values.values()):
                continue
            fees.append(values)
        return {
            "layout": row["layout"],
            "record_type": row["record_type"],
            "case_reference": row["case_reference"],
            "filing_date": row["filing_date"],
            "input_hash": row["input_hash"],
            "applicant": obj("applicant", _PARTY_FIELDS),
            "counsel": obj("counsel", _COUNSEL_FIELDS),
            "debtor": obj("debtor", _PARTY_FIELDS),
            "original_creditor": obj("original_creditor", _PARTY_FIELDS),
            "assigned_on": row["assigned_on"] or None,
            "promissory_note": v("promissory_note"),
            "grounds": [row[f"ground{i}"] for i in range(1, n_grounds + 1) if row[f"ground{i}"] != ""],
            "claims": claims,
            "fees": fees,
            "totals": {f: row[f"total_{f}"] for f in ("capital", "interest", "fees", "total")},
            "options": {
                "transfer_to_court_if_contested": v("transfer_to_court_if_contested"),
                "enforce_immediately": v("enforce_immediately"),
            },
        }


_EMPTY_RECORD: dict[str, Any] = {
    "layout": EXPORT_LAYOUT,
    "record_type": "ansokan_betalningsforelaggande",
    "case_reference": "",
    "filing_date": "",
    "input_hash": "",
    "applicant": None,
    "counsel": None,
    "debtor": None,
    "original_creditor": None,
    "assigned_on": None,
    "promissory_note": False,
    "grounds": [],
    "claims": [],
    "fees": [],
    "totals": {"capital": "", "interest": "", "fees": "", "total": ""},
    "options": {"transfer_to_court_if_contested": False, "enforce_immediately": False},
}

ADAPTERS: dict[str, ExportAdapter] = {a.name: a for a in (JsonLinesAdapter(), CsvAdapter())}


def export_applications(
    applications: Iterable[BetalningsforelaggandeInput], adapter: str | ExportAdapter = "jsonl"
) -> bytes:
    """Validate and export applications with the named adapter (``"jsonl"`` or ``"csv"``)."""
    ad = ADAPTERS[adapter] if isinstance(adapter, str) else adapter
    return ad.export(applications)


# ==========================================================================
# Import of Kronofogden events
# ==========================================================================


class KfmEventKind(StrEnum):
    OBJECTION = "bestridande"  # the debtor contested (bestridande)
    SERVICE = "delgivning"  # the debtor was served (delgivning)
    DECISION = "utslag"  # Kronofogden decided (utslag)
    WITHDRAWAL = "aterkallelse"  # the application was withdrawn (återkallelse)
    TRANSFERRED = "overlamnad"  # the case was transferred to a tingsrätt (överlämnad)


_KIND_ALIASES = {
    "bestridande": KfmEventKind.OBJECTION,
    "bestritt": KfmEventKind.OBJECTION,
    "delgivning": KfmEventKind.SERVICE,
    "delgiven": KfmEventKind.SERVICE,
    "utslag": KfmEventKind.DECISION,
    "aterkallelse": KfmEventKind.WITHDRAWAL,
    "återkallelse": KfmEventKind.WITHDRAWAL,
    "aterkallad": KfmEventKind.WITHDRAWAL,
    "återkallad": KfmEventKind.WITHDRAWAL,
    "overlamnad": KfmEventKind.TRANSFERRED,
    "överlämnad": KfmEventKind.TRANSFERRED,
    "overlamnande": KfmEventKind.TRANSFERRED,
    "överlämnande": KfmEventKind.TRANSFERRED,
}

_KIND_NAMES_SV = {
    KfmEventKind.OBJECTION: "bestridande",
    KfmEventKind.SERVICE: "delgivning",
    KfmEventKind.DECISION: "utslag",
    KfmEventKind.WITHDRAWAL: "återkallelse",
    KfmEventKind.TRANSFERRED: "överlämnad",
}

# details an event of a kind must carry
_REQUIRED_DETAILS: dict[KfmEventKind, dict[str, str]] = {
    KfmEventKind.TRANSFERRED: {"court": "tingsrätt"},
}


@dataclass(frozen=True)
class KfmEvent:
    """One event from Kronofogden about one of our applications.

    ``details`` holds any further fields of the row as text (for example
    ``reason`` for a bestridande, ``court`` for överlämnad, ``result`` for an
    utslag).  ``line`` is the line of the file the event came from.
    """

    kind: KfmEventKind
    case_reference: str
    kfm_case_number: str
    event_date: date
    details: dict[str, str] = field(default_factory=dict)
    line: int = 0


class ImportErrors(Exception):
    """Every bad row of an import file; ``errors`` is a list of (line, Swedish message)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = sorted(errors, key=lambda e: e[0])
        super().__init__("\n".join(self.messages))

    @property
    def messages(self) -> list[str]:
        return [f"Rad {line}: {msg}" for line, msg in self.errors]


_EVENT_FIELDS = ("kind", "case_reference", "kfm_case_number", "event_date")
_FIELD_SV = {
    "kind": "händelsetyp (kind)",
    "case_reference": "vår ärendereferens (case_reference)",
    "kfm_case_number": "Kronofogdens målnummer (kfm_case_number)",
    "event_date": "händelsedatum (event_date)",
}
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _check_row(
    line: int, values: Mapping[str, Any], details: Mapping[str, Any], today: date
) -> tuple[KfmEvent | None, list[str]]:
    problems: list[str] = []
    for key in _EVENT_FIELDS:
        v = values.get(key)
        if v is None or (isinstance(v, str) and not v.strip()):
            problems.append(f"{_FIELD_SV[key]} saknas.")
        elif not isinstance(v, str):
            problems.append(f"{_FIELD_SV[key]} ska vara text.")
    for key, v in list(values.items()) + [(f"details.{k}", x) for k, x in details.items()]:
        if isinstance(v, str):
            for desc in find_forbidden_characters(v):
                problems.append(f"otillåtet tecken ({desc}) i fältet {key}.")
    for k, v in details.items():
        if not isinstance(v, str):
            problems.append(f"details.{k} ska vara text.")
    kind = None
    raw_kind = values.get("kind")
    if isinstance(raw_kind, str) and raw_kind.strip():
        kind = _KIND_ALIASES.get(raw_kind.strip().lower())
        if kind is None:
            allowed = ", ".join(_KIND_NAMES_SV.values())
            problems.append(f"okänd händelsetyp ”{raw_kind}” (tillåtna: {allowed}).")
    event_date = None
    raw_date = values.get("event_date")
    if isinstance(raw_date, str) and raw_date.strip():
        try:
            if not _DATE_RE.fullmatch(raw_date.strip()):
                raise ValueError
            event_date = date.fromisoformat(raw_date.strip())
        except ValueError:
            problems.append(f"ogiltigt datum ”{raw_date}” i event_date (ska vara ÅÅÅÅ-MM-DD).")
        else:
            if event_date > today:
                problems.append(f"händelsedatum {event_date.isoformat()} ligger i framtiden.")
    if kind is not None:
        for key, label in _REQUIRED_DETAILS.get(kind, {}).items():
            v = details.get(key)
            if not isinstance(v, str) or not v.strip():
                problems.append(f"{label} (details.{key}) saknas för händelsen {_KIND_NAMES_SV[kind]}.")
    if problems or kind is None or event_date is None:
        return None, problems
    return (
        KfmEvent(
            kind=kind,
            case_reference=values["case_reference"].strip(),
            kfm_case_number=values["kfm_case_number"].strip(),
            event_date=event_date,
            details={k: v for k, v in details.items()},
            line=line,
        ),
        [],
    )


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportErrors([(line, f"filen är inte giltig UTF-8 (byte nr {exc.start + 1} i filen).")]) from None


def _parse_jsonl(text: str, today: date) -> tuple[list[KfmEvent], list[tuple[int, str]]]:
    events: list[KfmEvent] = []
    errors: list[tuple[int, str]] = []
    for n, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            errors.append((n, f"ogiltig JSON ({exc.msg}, kolumn {exc.colno})."))
            continue
        if not isinstance(obj, dict):
            errors.append((n, "raden är inte ett JSON-objekt."))
            continue
        details = obj.get("details", {})
        if details is None:
            details = {}
        if not isinstance(details, dict):
            errors.append((n, "details ska vara ett JSON-objekt med textvärden."))
            continue
        unknown = sorted(set(obj) - set(_EVENT_FIELDS) - {"details", "layout"})
        row_problems = [f"okänt fält ”{k}”." for k in unknown]
        layout = obj.get("layout")
        if layout is not None and layout != EVENT_LAYOUT:
            row_problems.append(f"okänd layout ”{layout}” (ska vara {EVENT_LAYOUT}).")
        event, problems = _check_row(n, obj, details, today)
        row_problems += problems
        if row_problems:
            errors.extend((n, p) for p in row_problems)
        elif event is not None:
            events.append(event)
    return events, errors


def _parse_csv(text: str, today: date, delimiter: str) -> tuple[list[KfmEvent], list[tuple[int, str]]]:
    events: list[KfmEvent] = []
    errors: list[tuple[int, str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        return [], []
    except csv.Error as exc:
        return [], [(1, f"rubrikraden kan inte läsas ({exc}).")]
    header = [h.strip() for h in header]
    missing = [f for f in _EVENT_FIELDS if f not in header]
    if missing:
        return [], [(1, f"kolumnen {f} saknas i rubrikraden.") for f in missing]
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        return [], [(1, f"kolumnen {h} förekommer flera gånger i rubrikraden.") for h in dupes]
    detail_columns = [h for h in header if h not in _EVENT_FIELDS and h != "layout"]
    last = reader.line_num
    while True:
        start = last + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append((start, f"raden kan inte läsas som CSV ({exc})."))
            break
        last = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            errors.append((start, f"fel antal fält ({len(row)}, rubrikraden har {len(header)})."))
            continue
        values = dict(zip(header, row))
        if values.get("layout") and values["layout"] != EVENT_LAYOUT:
            errors.append((start, f"okänd layout ”{values['layout']}” (ska vara {EVENT_LAYOUT})."))
            continue
        details = {h: values[h] for h in detail_columns if values[h] != ""}
        event, problems = _check_row(start, values, details, today)
        if problems:
            errors.extend((start, p) for p in problems)
        elif event is not None:
            events.append(event)
    return events, errors


def parse_events(
    data: bytes, fmt: str | None = None, *, today: date | None = None, delimiter: str = ";"
) -> list[KfmEvent]:
    """Parse a file of Kronofogden events: all of them, or :class:`ImportErrors`.

    ``fmt`` is ``"jsonl"`` or ``"csv"``; ``None`` guesses from the first
    character (``{`` means JSON Lines).  ``today`` (default: the current
    date) is used to refuse event dates in the future.  A row that repeats
    an earlier row's kind, case reference, målnummer and date is an error.
    """
    today = today or date.today()
    text = _decode(data)
    if fmt is None:
        fmt = "jsonl" if text.lstrip().startswith("{") else "csv"
    if fmt == "jsonl":
        events, errors = _parse_jsonl(text, today)
    elif fmt == "csv":
        events, errors = _parse_csv(text, today, delimiter)
    else:
        raise ValueError(f"unknown format {fmt!r} (jsonl or csv)")
    seen: dict[tuple[Any, ...], int] = {}
    for e in events:
        key = (e.kind, e.case_reference, e.kfm_case_number, e.event_date)
        if key in seen:
            errors.append((e.line, f"samma händelse som rad {seen[key]}."))
        else:
            seen[key] = e.line
    if errors:
        raise ImportErrors(errors)
    return events


def _event_dict(e: KfmEvent) -> dict[str, Any]:
    return {
        "layout": EVENT_LAYOUT,
        "kind": e.kind.value,
        "case_reference": e.case_reference,
        "kfm_case_number": e.kfm_case_number,
        "event_date": e.event_date.isoformat(),
        "details": dict(e.details),
    }


def events_to_jsonl(events: Iterable[KfmEvent]) -> bytes:
    """Write events in the import layout (JSON Lines) — for tests and simulations."""
    return "".join(json.dumps(_event_dict(e), ensure_ascii=False) + "\n" for e in events).encode("utf-8")


def events_to_csv(events: Iterable[KfmEvent], delimiter: str = ";") -> bytes:
    """Write events in the import layout (CSV; details become extra columns)."""
    events = list(events)
    detail_keys = sorted({k for e in events for k in e.details})
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(["layout", *_EVENT_FIELDS, *detail_keys])
    for e in events:
        d = _event_dict(e)
        w.writerow([d["layout"], *(d[f] for f in _EVENT_FIELDS), *(e.details.get(k, "") for k in detail_keys)])
    return buf.getvalue().encode("utf-8")
