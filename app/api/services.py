"""API services: creating submitted cases, idempotency, and the JSON shapes of the API.

Amounts are strings with two decimals ("1234.50"), dates ISO (2026-11-23), instants ISO in UTC
with a Z. Personnummer are masked, as in every creditor-facing list and export.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import Select, delete, select

from app.api.models import IdempotencyRecord
from app.api.submission import ValidItem
from app.cases.models import Case
from app.cases.services import add_claim_line, create_case, find_debtor, record_event, register_objection
from app.core.identity import mask_identity_number
from app.creditors.models import Creditor
from app.db import utcnow
from app.debtors.models import Debtor
from app.extensions import db

TRACK_NAMES = {"simplified": "förenklat tvistemål", "ordinary": "ordinärt tvistemål"}


def creditor_cases(creditor_id: int, stmt: Select | None = None) -> Select:
    """Every API query for cases goes through here: only the token's creditor's cases."""
    stmt = stmt if stmt is not None else select(Case)
    return stmt.where(Case.creditor_id == creditor_id)


# --- Submission -----------------------------------------------------------------------------

def create_cases(creditor: Creditor, items: list[ValidItem]) -> list[dict]:
    """Create every (already validated) item; the caller commits once, so it is all or nothing.
    A debtor already registered with the same identity number is reused as it is."""
    debtors: dict[str, Debtor] = {}
    created = []
    for index, item in enumerate(items):
        number = item.debtor["identity_number"]
        debtor = debtors.get(number) or find_debtor(number)
        reused = debtor is not None
        if debtor is None:
            debtor = Debtor(is_company=item.debtor["is_company"],
                            **{k: item.debtor[k] for k in ("name", "identity_number", "street", "postal_code",
                                                           "city", "phone", "email", "registered_municipality")})
            db.session.add(debtor)
            db.session.flush()
        debtors[number] = debtor
        case = create_case(creditor=creditor, debtor=debtor, actor=None, creditor_reference=item.creditor_reference,
                           consumer_claim=item.consumer_claim, reminder_fee_agreed=item.reminder_fee_agreed,
                           description=item.description)
        for line in item.claim_lines:
            add_claim_line(case, None, **line)
        register_objection(case, None, **item.objection)
        record_event(case, "api", "Ärendet lämnades in av fordringsägaren via API:t.", None)
        created.append({"item": index, "reference": case.reference, "creditor_reference": case.creditor_reference,
                        "status": case.status.value, "debtor_reused": reused})
    return created


def request_hash(payload) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


IDEMPOTENCY_KEEP = timedelta(days=30)  # a client retries within minutes; 30 days is generous


def purge_idempotency_records(now: datetime | None = None) -> int:
    """Stored answers older than IDEMPOTENCY_KEEP are deleted (a key may then be reused)."""
    result = db.session.execute(delete(IdempotencyRecord).where(
        IdempotencyRecord.created_at < (now or utcnow()) - IDEMPOTENCY_KEEP))
    return result.rowcount or 0


def stored_response(creditor_id: int, key: str) -> IdempotencyRecord | None:
    return db.session.scalar(select(IdempotencyRecord).where(IdempotencyRecord.creditor_id == creditor_id,
                                                             IdempotencyRecord.key == key))


# --- JSON shapes --------------------------------------------------------------------------------

def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def instant(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:  # SQLite gives naive datetimes; they are UTC
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def case_summary(case: Case) -> dict:
    return {
        "reference": case.reference,
        "creditor_reference": case.creditor_reference,
        "status": case.status.value,
        "status_label": case.status.label,
        "consumer_claim": case.consumer_claim,
        "total_capital": money(case.total_capital),
        "currency": "SEK",
        "track": case.triage_track,
        "debtor": {"name": case.debtor.name, "is_company": case.debtor.is_company,
                   "identity_number": mask_identity_number(case.debtor.identity_number)},
        "created_at": instant(case.created_at),
        "updated_at": instant(case.updated_at),
    }


def case_detail(case: Case, recovered: Decimal) -> dict:
    return {
        **case_summary(case),
        "recovered": money(recovered),
        "court_case_number": case.court_case_number or None,
        "kfm_case_number": case.kfm_case_number or None,
        "claim_lines": [{"invoice_number": line.invoice_number, "invoice_date": day(line.invoice_date),
                         "due_date": day(line.due_date), "capital": money(line.capital),
                         "description": line.description} for line in case.claim_lines],
        "objections": [{"received_on": day(o.received_on), "channel": o.channel.value,
                        "category": o.category.value, "category_label": o.category.label}
                       for o in case.objections],
        "outcomes": [{"kind": o.kind.value, "kind_label": o.kind.label, "decided_on": day(o.decided_on),
                      "authority": o.authority, "case_number": o.case_number,
                      "awarded_capital": money(o.awarded_capital), "awarded_costs": money(o.awarded_costs),
                      "final_on": day(o.final_on)} for o in case.outcomes],
        "payments": [{"paid_on": day(p.paid_on), "amount": money(p.amount), "source": p.source.value}
                     for p in case.payments],
        "hearings": [{"kind": h.kind.value, "kind_label": h.kind.label, "starts_at": instant(h.starts_at),
                      "court": h.court} for h in case.hearings],
    }


def timeline_entry(event) -> dict:
    return {"at": instant(event.at), "kind": event.kind, "message": event.message}


def deadline_entry(deadline) -> dict:
    return {"code": deadline.code, "label": deadline.label, "due_on": day(deadline.due_on),
            "source": deadline.source}


def document_entry(document, url: str) -> dict:
    return {"id": document.id, "kind": document.kind, "label": document.label,
            "created_at": instant(document.created_at), "size": document.size, "sha256": document.sha256,
            "download_url": url}
