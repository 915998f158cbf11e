"""Case services: the one place where cases, claim lines and objections change.

Views, the API, the CLI and Celery tasks call these; each change also writes a
timeline event (the audit log is written automatically, see app.audit.services).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.cases.models import Case, ClaimLine, Objection, ObjectionCategory, ObjectionChannel, TimelineEvent
from app.cases.search import search_condition
from app.cases.status import CaseStatus
from app.core.access import visible_cases
from app.core.listing import Sort
from app.creditors.models import Creditor
from app.debtors.models import Debtor
from app.extensions import db
from app.law.formatting import format_sek


def record_event(case: Case, kind: str, message: str, actor: User | None = None) -> TimelineEvent:
    event = TimelineEvent(case=case, kind=kind, message=message, actor_id=actor.id if actor else None)
    db.session.add(event)
    return event


# Timeline kinds a creditor (portal, API, creditor users) sees. The jurists' working notes —
# investigation, assessments, triage reasoning, assignments, ability-to-pay records, principle
# groups — stay internal.
CREDITOR_VISIBLE_KINDS = ("created", "claim_line", "objection", "evidence", "edited", "document", "kfm", "payment",
                          "deadlines", "creditor_decision")


def creditor_visible(kind: str) -> bool:
    return kind in CREDITOR_VISIBLE_KINDS or kind.startswith("step:")


def find_debtor(identity_number: str) -> Debtor | None:
    return db.session.scalar(select(Debtor).where(Debtor.identity_number == identity_number))


def create_case(*, creditor: Creditor, debtor: Debtor, actor: User | None, reference: str | None = None,
                **fields) -> Case:
    """A new ärende. Without ``reference`` one is assigned from the row id (TV-0000123)."""
    case = Case(creditor=creditor, debtor=debtor, reference=reference or f"tmp-{uuid.uuid4().hex[:20]}",
                status=CaseStatus.NEW, total_capital=Decimal("0.00"), **fields)
    db.session.add(case)
    db.session.flush()
    if reference is None:
        case.reference = f"TV-{case.id:07d}"
    record_event(case, "created", f"Ärendet registrerades för {creditor.name} mot {debtor.name}.", actor)
    return case


def recompute_total(case: Case) -> None:
    case.total_capital = sum((line.capital for line in case.claim_lines), Decimal("0.00"))


def facts_changed(case: Case) -> None:
    """Claim lines or objections changed: keep the stored total and triage summary true."""
    from app.hearings.services import refresh_deadlines  # these build on cases, not the reverse
    from app.triage.services import refresh_summary

    recompute_total(case)
    refresh_summary(case)
    refresh_deadlines(case)


def add_claim_line(case: Case, actor: User | None, **fields) -> ClaimLine:
    position = max((line.position for line in case.claim_lines), default=0) + 1
    line = ClaimLine(position=position, **fields)
    case.claim_lines.append(line)
    facts_changed(case)
    record_event(case, "claim_line", f"Faktura {line.invoice_number} på {format_sek(line.capital)} lades till.", actor)
    return line


def update_claim_line(line: ClaimLine, actor: User | None, **fields) -> None:
    for key, value in fields.items():
        setattr(line, key, value)
    facts_changed(line.case)
    record_event(line.case, "claim_line", f"Faktura {line.invoice_number} ändrades.", actor)


def remove_claim_line(line: ClaimLine, actor: User | None) -> None:
    case = line.case
    case.claim_lines.remove(line)
    facts_changed(case)
    record_event(case, "claim_line", f"Faktura {line.invoice_number} togs bort.", actor)


def register_objection(case: Case, actor: User | None, *, received_on, channel: ObjectionChannel,
                       category: ObjectionCategory, text: str, setoff_amount: Decimal | None = None,
                       response: str = "") -> Objection:
    """A bestridande. A case that was not yet disputed now awaits triage; collection
    on it is paused until a jurist decides (god inkassosed)."""
    from app.hearings.services import take_step  # the course builds on cases, not the reverse

    objection = Objection(received_on=received_on, channel=channel, category=category, text=text,
                          setoff_amount=setoff_amount, response=response)
    case.objections.append(objection)
    if case.status == CaseStatus.NEW:
        take_step(case, "register_objection", {"objection_received_on": received_on}, actor)
    case.collection_paused = True
    facts_changed(case)
    record_event(case, "objection",
                 f"Bestridande mottaget {received_on.isoformat()} ({channel.label}): {category.label}.", actor)
    return objection


# --- Listing --------------------------------------------------------------------------

CASE_SORTS = {
    "referens": Case.reference,
    "belopp": Case.total_capital,
    "status": Case.status,
    "andrad": Case.updated_at,
    "skapad": Case.created_at,
    "galdenar": Debtor.name,
    "fordringsagare": Creditor.name,
}
DEFAULT_CASE_SORT = "-andrad"


@dataclass(frozen=True)
class CaseFilters:
    q: str = ""
    status: str = ""
    creditor_id: int | None = None
    jurist_id: int | None = None


def case_list_query(user: User, filters: CaseFilters, sort: Sort) -> Select:
    """The case list: visible cases, filtered and sorted. Debtor and creditor are joined only
    when the sort needs their names (every case has both, so the join never drops a row); the
    page's rows load them eagerly either way."""
    stmt = select(Case).options(joinedload(Case.debtor, innerjoin=True), joinedload(Case.creditor, innerjoin=True),
                                joinedload(Case.assigned_jurist))
    if sort.key == "galdenar":
        stmt = stmt.join(Case.debtor)
    elif sort.key == "fordringsagare":
        stmt = stmt.join(Case.creditor)
    stmt = visible_cases(user, stmt)
    if filters.q:
        stmt = stmt.where(_search_condition(filters.q))
    if filters.status:
        try:
            stmt = stmt.where(Case.status == CaseStatus(filters.status))
        except ValueError:
            pass  # unknown status in the URL: ignore the filter, never fail
    if filters.creditor_id:
        stmt = stmt.where(Case.creditor_id == filters.creditor_id)
    if filters.jurist_id:
        stmt = stmt.where(Case.assigned_jurist_id == filters.jurist_id)
    column = CASE_SORTS[sort.key]
    return stmt.order_by(column.desc() if sort.descending else column.asc(),
                         Case.id.desc() if sort.descending else Case.id.asc())


def contains_text(column, q: str):
    """Case-insensitive 'contains' that also folds å, ä, ö, é (SQLite's ILIKE folds only ASCII;
    PostgreSQL's does the whole alphabet). A full scan: for small tables only (the debtor list);
    cases are searched through the search index (app.cases.search)."""
    needle = f"%{q.replace('%', '').replace('_', '').casefold()}%"
    if db.engine.dialect.name == "sqlite":
        return func.casefold(column).like(needle)
    return column.ilike(needle)


def _search_condition(q: str):
    """Reference, the creditor's reference, words of the debtor's name, or the digits of the
    identity number: every word of ``q`` must begin one of them (app.cases.search)."""
    return search_condition(Case.id, q)


def status_counts(user: User) -> dict[CaseStatus, int]:
    stmt = visible_cases(user, select(Case.status, func.count(Case.id)).group_by(Case.status))
    return {status: n for status, n in db.session.execute(stmt)}
