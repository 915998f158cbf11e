"""Validation of ``POST /api/cases``: disputed claims submitted by a creditor's system.

Two passes per item. First the JSON's shape (objects, lists, strings, booleans; required and
unknown fields); then the values through the very forms the jurists use (DebtorForm,
ClaimLineForm, ObjectionForm), so the API applies the same rules with the same Swedish
messages: identity numbers checked and normalised, amounts > 0 with at most two decimals, due
date not before the invoice date, no control characters. Errors name the item and the field
(``claim_lines[1].capital``). Nothing is created unless every item is valid.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.cases.forms import ClaimLineForm, ObjectionForm
from app.cases.models import Case, ObjectionCategory, ObjectionChannel
from app.core.forms import strip_text
from app.debtors.forms import DebtorForm
from app.extensions import db
from filings.validation import find_forbidden_characters

MAX_CASES = 100
MAX_CLAIM_LINES = 50

MISSING = "Fältet saknas."
UNKNOWN = "Okänt fält."
NOT_TEXT = "Ska vara en textsträng."
NOT_BOOL = "Ska vara true eller false."
NOT_OBJECT = "Ska vara ett JSON-objekt."
NOT_LIST = "Ska vara en lista."

# (name, kind, required) per object; kind "str" | "bool" | "object" | "list"
CASE_FIELDS = {"creditor_reference": ("str", True), "debtor": ("object", True), "consumer_claim": ("bool", True),
               "reminder_fee_agreed": ("bool", False), "description": ("str", False),
               "claim_lines": ("list", True), "objection": ("object", True)}
DEBTOR_FIELDS = {"is_company": ("bool", True), "name": ("str", True), "identity_number": ("str", True),
                 "street": ("str", True), "postal_code": ("str", True), "city": ("str", True),
                 "email": ("str", False), "phone": ("str", False), "registered_municipality": ("str", False)}
LINE_FIELDS = {"invoice_number": ("str", True), "invoice_date": ("str", True), "due_date": ("str", True),
               "capital": ("str", True), "description": ("str", False)}
OBJECTION_FIELDS = {"received_on": ("str", True), "channel": ("str", True), "category": ("str", True),
                    "text": ("str", True)}


@dataclass
class ValidItem:
    creditor_reference: str
    consumer_claim: bool
    reminder_fee_agreed: bool
    description: str
    debtor: dict
    claim_lines: list[dict]
    objection: dict


@dataclass
class Errors:
    rows: list[dict] = field(default_factory=list)
    _seen: set = field(default_factory=set)

    def add(self, item: int | None, path: str, message: str) -> None:
        if (item, path) in self._seen:
            return
        self._seen.add((item, path))
        self.rows.append({"item": item, "field": path, "message": message})

    def has(self, item: int | None, path: str) -> bool:
        return (item, path) in self._seen

    def __bool__(self) -> bool:
        return bool(self.rows)


def validate(payload, creditor_id: int) -> tuple[list[ValidItem], list[dict]]:
    errors = Errors()
    if not isinstance(payload, dict):
        errors.add(None, "", "Begärans innehåll ska vara ett JSON-objekt med fältet \"cases\".")
        return [], errors.rows
    for key in payload:
        if key != "cases":
            errors.add(None, key, UNKNOWN)
    items = payload.get("cases")
    if not isinstance(items, list):
        errors.add(None, "cases", MISSING if items is None else NOT_LIST)
        return [], errors.rows
    if not items:
        errors.add(None, "cases", "Listan är tom; skicka minst ett ärende.")
    if len(items) > MAX_CASES:
        errors.add(None, "cases", f"Högst {MAX_CASES} ärenden per begäran.")
        return [], errors.rows
    valid = [_item(i, raw, errors) for i, raw in enumerate(items)]
    _check_references(valid, creditor_id, errors)
    if errors:
        return [], errors.rows
    return [v for v in valid if v is not None], []


def _shape(raw, spec: dict, item: int, prefix: str, errors: Errors) -> dict:
    """The fields of ``raw`` whose type is right; errors for missing, unknown and mistyped ones."""
    out = {}
    for key in raw:
        if key not in spec:
            errors.add(item, prefix + key, UNKNOWN)
    for name, (kind, required) in spec.items():
        value = raw.get(name)
        if value is None:
            if required:
                errors.add(item, prefix + name, MISSING)
            continue
        ok = {"str": isinstance(value, str), "bool": isinstance(value, bool), "object": isinstance(value, dict),
              "list": isinstance(value, list)}[kind]
        if not ok:
            errors.add(item, prefix + name, {"str": NOT_TEXT, "bool": NOT_BOOL, "object": NOT_OBJECT,
                                             "list": NOT_LIST}[kind])
            continue
        out[name] = value
    return out


def _form(form_class, data: dict, item: int, prefix: str, errors: Errors, rename: dict | None = None,
          ignore: frozenset = frozenset()):
    """Run one of the app's forms on ``data``; its errors become item/field errors."""
    form = form_class(formdata=MultiDict(data), meta={"csrf": False})
    if form.validate():
        return form
    for name, messages in form.errors.items():
        if name in ignore:
            continue
        path = prefix + (rename or {}).get(name, name)
        if not errors.has(item, path) and messages:
            errors.add(item, path, messages[0] if isinstance(messages[0], str) else str(messages[0]))
    return None


def _text(value: str, item: int, path: str, errors: Errors, *, required: bool, max_length: int) -> str:
    value = strip_text(value)
    if required and not value:
        errors.add(item, path, "Fältet får inte vara tomt.")
    elif len(value) > max_length:
        errors.add(item, path, f"Högst {max_length} tecken.")
    else:
        found = find_forbidden_characters(value)
        if found:
            errors.add(item, path, "Fältet innehåller otillåtna tecken (" + ", ".join(found)
                       + "). Ta bort dem och försök igen.")
    return value


def _item(i: int, raw, errors: Errors) -> ValidItem | None:
    if not isinstance(raw, dict):
        errors.add(i, "", NOT_OBJECT)
        return None
    before = len(errors.rows)
    case = _shape(raw, CASE_FIELDS, i, "", errors)
    reference = _text(case.get("creditor_reference", ""), i, "creditor_reference", errors, required=True,
                      max_length=60) if "creditor_reference" in case else ""
    description = _text(case.get("description", ""), i, "description", errors, required=False, max_length=10000)

    debtor = None
    if "debtor" in case:
        raw_debtor = _shape(case["debtor"], DEBTOR_FIELDS, i, "debtor.", errors)
        data = {k: v for k, v in raw_debtor.items() if k != "is_company"}
        if "is_company" in raw_debtor:
            data["kind"] = "company" if raw_debtor["is_company"] else "person"
        # Which kind of number is valid depends on is_company; without it, the number is not judged.
        form = _form(DebtorForm, data, i, "debtor.", errors, rename={"kind": "is_company"},
                     ignore=frozenset() if "kind" in data else frozenset({"identity_number"}))
        if form is not None and "is_company" in raw_debtor:
            debtor = {"is_company": raw_debtor["is_company"], **form.values(DebtorForm.FIELDS)}

    lines = []
    raw_lines = case.get("claim_lines")
    if raw_lines is not None:
        if not raw_lines:
            errors.add(i, "claim_lines", "Ange minst en faktura.")
        elif len(raw_lines) > MAX_CLAIM_LINES:
            errors.add(i, "claim_lines", f"Högst {MAX_CLAIM_LINES} fakturor per ärende.")
        else:
            seen_numbers = set()
            for n, raw_line in enumerate(raw_lines):
                prefix = f"claim_lines[{n}]."
                if not isinstance(raw_line, dict):
                    errors.add(i, f"claim_lines[{n}]", NOT_OBJECT)
                    continue
                line = _shape(raw_line, LINE_FIELDS, i, prefix, errors)
                form = _form(ClaimLineForm, line, i, prefix, errors)
                if form is not None:
                    values = form.values(ClaimLineForm.FIELDS)
                    if values["invoice_number"] in seen_numbers:
                        errors.add(i, prefix + "invoice_number", "Fakturanumret förekommer två gånger i ärendet.")
                    seen_numbers.add(values["invoice_number"])
                    lines.append(values)

    objection = None
    if "objection" in case:
        raw_objection = _shape(case["objection"], OBJECTION_FIELDS, i, "objection.", errors)
        for name, enum in (("channel", ObjectionChannel), ("category", ObjectionCategory)):
            if name in raw_objection and raw_objection[name] not in {m.value for m in enum}:
                errors.add(i, f"objection.{name}", "Okänt värde. Tillåtna värden: "
                           + ", ".join(m.value for m in enum) + ".")
        form = _form(ObjectionForm, raw_objection, i, "objection.", errors)  # received_on: not in the future
        if form is not None:
            objection = {"received_on": form.received_on.data, "channel": ObjectionChannel(form.channel.data),
                         "category": ObjectionCategory(form.category.data), "text": form.text.data}

    if len(errors.rows) > before or debtor is None or objection is None or not lines:
        return None
    return ValidItem(creditor_reference=reference, consumer_claim=case["consumer_claim"],
                     reminder_fee_agreed=case.get("reminder_fee_agreed", False), description=description,
                     debtor=debtor, claim_lines=lines, objection=objection)


def _check_references(items: list[ValidItem | None], creditor_id: int, errors: Errors) -> None:
    """The creditor's own reference identifies its claim: one case per reference."""
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if item is None or not item.creditor_reference:
            continue
        if item.creditor_reference in seen:
            errors.add(i, "creditor_reference", "Referensen förekommer redan i post "
                                                f"{seen[item.creditor_reference]} i samma begäran.")
        seen.setdefault(item.creditor_reference, i)
    if not seen:
        return
    existing = set(db.session.scalars(select(Case.creditor_reference).where(
        Case.creditor_id == creditor_id, Case.creditor_reference.in_(list(seen)))))
    for i, item in enumerate(items):
        if item is not None and item.creditor_reference in existing:
            errors.add(i, "creditor_reference", "Ni har redan ett ärende med den referensen hos oss.")

