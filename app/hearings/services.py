"""The case's course in the app: steps, hearings, outcomes, deadlines, payments, reminders.

The rules are pure (app.course: the state machine, deadline derivation, the ledger, the
iCalendar writer); this module applies them to case records.
"""
from __future__ import annotations

import hashlib
import secrets
import smtplib
from dataclasses import asdict
from datetime import date, datetime, time, timezone
from decimal import Decimal
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import insert, select, update
from sqlalchemy.orm import selectinload

from app.audit.services import record_system_change
from app.auth.models import User
from app.cases.models import Case
from app.cases.services import record_event
from app.cases.status import OPEN_STATUSES
from app.core.clock import STOCKHOLM, today
from app.course import deadlines as course_deadlines
from app.course import guards, ical
from app.course.ledger import LedgerResult, balance_on
from app.course.ledger import Payment as LedgerPayment
from app.course.machine import FACT_LABELS, IllegalTransition, allowed_transitions, missing_facts, transition
from app.db import utcnow
from app.enforcement.models import Payment, PaymentSource
from app.extensions import db
from app.facts.builder import case_facts
from app.facts.filing import fix_filing, reclassified
from app.facts.model import CaseFacts
from app.hearings.models import CaseDeadline, FilingRecord, Hearing, HearingKind, Notification, Outcome, OutcomeKind
from app.law.errors import LawDataMissing
from app.law.formatting import format_sek
from app.law.track import Track

# Steps that interrupt limitation (preskriptionslag 1981:130 5 § 3: suit, KFM application, enforcement).
INTERRUPTING_FACTS = ("filed_on", "transfer_requested_on", "enforcement_applied_on")

# A deadline that passed more than this many days ago is history, not a reminder.
PASSED_DEADLINE_NEWS_DAYS = 14

class StepRefused(ValueError):
    """The step cannot be taken; ``problems`` are Swedish sentences."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


# --- Deadlines ------------------------------------------------------------------------------

def refresh_deadlines(case: Case, actor: User | None = None, step: str | None = None) -> list[str]:
    """Recompute the stored deadlines from the case's facts and give each its state in the
    course (app.course.deadlines.closing_state): open while its stage lasts, then met, superseded
    or cancelled by ``step``. Returns Swedish lines for what changed."""
    facts = case_facts(case)
    derived = {d.code: d for d in course_deadlines.derive_deadlines(facts.deadline_facts())}
    stored = {d.code: d for d in case.deadlines}
    on = today()
    changes = []
    for code, deadline in derived.items():
        state = course_deadlines.closing_state(code, case.status, step)
        row = stored.get(code)
        if row is None:
            if state == "open":
                case.deadlines.append(CaseDeadline(code=code, label=deadline.label, due_on=deadline.due_on,
                                                   source=deadline.source, state="open"))
                changes.append(f"{deadline.label}: {deadline.due_on}")
            continue
        if row.due_on != deadline.due_on:
            changes.append(f"{deadline.label}: {row.due_on} → {deadline.due_on}")
            row.due_on, row.label, row.source, row.notified_on = deadline.due_on, deadline.label, deadline.source, None
            if state == "open":
                _set_state(row, "open", "", None)
        _close_or_reopen(row, state, step, on, changes)
    for code, row in stored.items():
        if code in derived:
            continue
        if code in course_deadlines.DEADLINE_CODES:  # its fact is gone: no longer applies
            _close_or_reopen(row, "superseded", step, on, changes)
        elif code in course_deadlines.LIVE_IN:  # e.g. the efterbevakning check: closes with its stage
            _close_or_reopen(row, course_deadlines.closing_state(code, case.status, step), step, on, changes)
    if changes and case.id is not None:
        record_event(case, "deadlines", "Frister beräknade: " + "; ".join(changes) + ".", actor)
    return changes


_STATE_WORDS = {"met": "uppfylld", "superseded": "gäller inte längre", "cancelled": "avslutad"}


def _close_or_reopen(row: CaseDeadline, state: str, step: str | None, on, changes: list[str]) -> None:
    if state == row.state:
        return
    if state == "open":
        _set_state(row, "open", "", None)
        changes.append(f"{row.label}: öppen igen ({row.due_on})")
    elif row.state == "open":
        _set_state(row, state, step or "", on)
        changes.append(f"{row.label}: {_STATE_WORDS[state]}")


def _set_state(row: CaseDeadline, state: str, closed_by: str, closed_on) -> None:
    row.state, row.closed_by, row.closed_on = state, closed_by, closed_on


# --- Steps -------------------------------------------------------------------------------

def take_step(case: Case, name: str, facts: dict, actor: User | None) -> None:
    """Take a step in the case's course: check it is allowed from the status, has its facts and
    fits the case (app.course.guards), record the facts where deadlines and filings read them,
    move the status, recompute deadlines. Every status change of a case goes through here."""
    try:
        step = transition(case.status, name)
    except IllegalTransition as exc:
        raise StepRefused([str(exc)]) from exc
    given = {k: v for k, v in facts.items() if v not in (None, "")}
    missing = missing_facts(step, given)
    if missing:
        raise StepRefused([f"{FACT_LABELS[m]} saknas." for m in missing])
    problems = guards.refusals(name, case_facts(case), given)
    if problems:
        raise StepRefused(problems)
    try:
        record_step_facts(case, name, given, actor)
    except LawDataMissing as exc:  # e.g. the year's prisbasbelopp for the track fixed at filing
        raise StepRefused([exc.user_message]) from exc
    case.status = step.target
    details = ", ".join(f"{FACT_LABELS.get(k, k).lower()} {_show(k, v)}" for k, v in given.items()
                        if k in step.requires)
    record_event(case, f"step:{name}", f"{step.label}" + (f" ({details})" if details else "") + ".", actor)
    refresh_deadlines(case, actor, step=name)


def offered_steps(case: Case) -> list:
    """The steps the case page offers: allowed from the status and fitting the case."""
    facts = case_facts(case)
    return [t for t in allowed_transitions(case.status) if guards.inapplicable(t.name, facts) is None]


def _show(name: str, value) -> str:
    if isinstance(value, Decimal):
        return format_sek(value)
    if name == "hearing_kind":
        return HearingKind(value).label.lower()
    if name == "track":
        return Track(value).label
    if name == "enforceable_title":
        return {"judgment": "dom", "utslag": "utslag"}.get(value, value)
    return str(value)


def record_step_facts(case: Case, name: str, f: dict, actor: User | None) -> None:
    """Store what a step records where the facts builder reads it (case columns, outcomes,
    hearings, filing records, limitation interruptions)."""
    for key in INTERRUPTING_FACTS:
        if f.get(key):
            case.limitation_interruptions = sorted({*(case.limitation_interruptions or []), f[key].isoformat()})
    if f.get("court_case_number") and name != "register_utslag":
        case.court_case_number = f["court_case_number"]
    for field in ("kfm_served_on", "kfm_objection_notified_on", "settlement_on", "default_judgment_served_on"):
        if f.get(field):
            setattr(case, field, f[field])
    if name in FILING_KINDS:
        _fix_filing(case, FILING_KINDS[name], f)
    elif name == "register_reclassification":
        _reclassify(case, Track(f["track"]), f["reason"])
    elif name == "register_utslag":
        case.utslag_on = f["utslag_on"]
        case.kfm_case_number = f["court_case_number"]
        order = case_facts(case).filed("payment_order")
        case.outcomes.append(Outcome(kind=OutcomeKind.UTSLAG, decided_on=f["utslag_on"],
                                     authority="Kronofogdemyndigheten", case_number=f["court_case_number"],
                                     awarded_capital=f.get("awarded_capital") or case.total_capital,
                                     interest_from=f.get("interest_from"), awarded_costs=f.get("awarded_costs"),
                                     kfm_costs=f.get("kfm_costs") or (order.kfm_fees if order else None)))
    elif name == "schedule_hearing":
        starts = datetime.combine(f["hearing_on"], f.get("hearing_time") or time(9, 0), tzinfo=STOCKHOLM)
        case.hearings.append(Hearing(kind=HearingKind(f["hearing_kind"]), starts_at=starts.astimezone(timezone.utc),
                                     court=f.get("court") or court_of(case), court_case_number=case.court_case_number,
                                     place=f.get("place") or "", attendees=f.get("attendees") or "",
                                     lawyer_id=case.assigned_jurist_id or (actor.id if actor else None)))
    elif name in JUDGMENT_KINDS:
        kind = JUDGMENT_KINDS[name]
        case.judgment_on, case.appealed = f["judgment_on"], False
        case.default_judgment = kind == OutcomeKind.DEFAULT_JUDGMENT
        case.default_judgment_served_on = None
        transferred = case_facts(case).filed("transfer")
        case.outcomes.append(Outcome(
            kind=kind, decided_on=f["judgment_on"], authority=f.get("court") or court_of(case),
            case_number=case.court_case_number, awarded_capital=f["awarded_capital"],
            interest_from=f.get("interest_from"), awarded_costs=f.get("awarded_costs"),
            kfm_costs=f.get("kfm_costs") or (transferred.kfm_fees if transferred else None)))
    elif name == "register_default_judgment_service" and case.outcomes:
        case.outcomes[-1].served_on = f["default_judgment_served_on"]
    elif name == "register_appeal":
        case.appealed = True
        if case.outcomes:
            case.outcomes[-1].appealed = True
    elif name == "register_final" and case.outcomes:
        case.outcomes[-1].final_on = f["final_on"]
        case.outcomes[-1].waiver_on = f.get("waiver_on")
    elif name in ("register_partial_attachment", "register_full_attachment"):
        record_payment(case, actor, paid_on=f["accounted_on"], amount=f["amount"], source=PaymentSource.KRONOFOGDEN,
                       note="Redovisning från Kronofogden")


# The steps that give in a filing, and the kind of FilingRecord they fix.
FILING_KINDS = {"file_payment_order": "payment_order", "file_summons": "summons", "request_transfer": "transfer"}
JUDGMENT_KINDS = {"register_judgment": OutcomeKind.JUDGMENT, "register_default_judgment": OutcomeKind.DEFAULT_JUDGMENT,
                  "register_confirmed_settlement": OutcomeKind.CONFIRMED_SETTLEMENT}


def _fix_filing(case: Case, kind: str, f: dict) -> None:
    on = f.get("filed_on") or f.get("transfer_requested_on")
    court = "Kronofogdemyndigheten" if kind == "payment_order" else court_of(case)
    fixed = fix_filing(case_facts(case), kind, on, court)
    case.filing_records.append(FilingRecord(**asdict(fixed)))


def _reclassify(case: Case, track: Track, reason: str) -> None:
    current = case_facts(case).court_filing
    if current is None:
        raise StepRefused(["Ärendet har ingen registrerad stämning eller överlämnande att ändra måltyp för."])
    case.filing_records.append(FilingRecord(**asdict(reclassified(current, track, reason))))


def court_of(case: Case) -> str:
    """The tingsrätt handling the case (app.facts.builder)."""
    return case_facts(case).court


# --- Payments and the ledger ---------------------------------------------------------------

def record_payment(case: Case, actor: User | None, *, paid_on: date, amount: Decimal, source: PaymentSource,
                   note: str = "") -> Payment:
    payment = Payment(paid_on=paid_on, amount=amount, source=source, note=note,
                      recorded_by_id=actor.id if actor else None)
    case.payments.append(payment)
    record_event(case, "payment", f"{source.label}: {format_sek(amount)} ({paid_on}).", actor)
    return payment


def ledger(case: Case, on: date) -> LedgerResult:
    """Balance on ``on`` (app.facts: :func:`ledger_of`)."""
    return ledger_of(case_facts(case), on)


def ledger_of(facts: CaseFacts, on: date) -> LedgerResult:
    """Balance on ``on`` from the facts' ledger basis: the claim lines with their interest starts,
    or from its date the exekutionstitel (awarded capital, costs with interest from the decision,
    Kronofogden's costs), and every payment allocated in the configured order. Reskontra, the
    portal and the verkställighet application all read this one computation."""
    basis = facts.ledger_basis()
    payments = [LedgerPayment(paid_on=p.paid_on, amount=p.amount, source=p.source) for p in facts.payments]
    return balance_on(basis.capital, basis.costs, payments, on)


# --- Reminders (the daily job) -----------------------------------------------------------------

SCAN_BATCH = 2000  # deadlines flagged per transaction by the daily job


def scan_deadlines(today: date, within_days: int) -> dict:
    """Flag deadlines due within ``within_days`` and those passed, once per deadline and date,
    for the responsible jurist: an in-app notification, and e-mail when SMTP is configured.

    Written in batches with Core statements (one INSERT of notifications and one UPDATE of the
    deadlines per batch, committed per batch), so a million cases take seconds, not minutes; a
    run that stops half-way is continued by the next (flagged deadlines are not flagged again).
    """
    horizon = date.fromordinal(today.toordinal() + within_days)
    recent = date.fromordinal(today.toordinal() - PASSED_DEADLINE_NEWS_DAYS)
    due = (select(CaseDeadline.id, CaseDeadline.case_id, CaseDeadline.label, CaseDeadline.due_on,
                  Case.reference, Case.assigned_jurist_id)
           .join(Case, Case.id == CaseDeadline.case_id)
           .where(CaseDeadline.due_on <= horizon, CaseDeadline.due_on >= recent, CaseDeadline.notified_on.is_(None),
                  CaseDeadline.state == "open",
                  Case.status.in_(OPEN_STATUSES), Case.assigned_jurist_id.is_not(None))
           .order_by(CaseDeadline.id).limit(SCAN_BATCH))
    mail = bool(current_app.config.get("MAIL_SERVER"))
    flagged, emailed, after = 0, 0, 0
    while rows := db.session.execute(due.where(CaseDeadline.id > after)).all():
        after = rows[-1].id
        now = utcnow()
        notes = [{"user_id": r.assigned_jurist_id, "case_id": r.case_id, "message": _deadline_message(r, today),
                  "created_at": now, "emailed": False} for r in rows]
        insert_notes = insert(Notification)
        if mail:
            note_ids = list(db.session.scalars(insert_notes.returning(Notification.id, sort_by_parameter_order=True),
                                               notes))
        else:
            db.session.execute(insert_notes, notes)
        db.session.execute(update(CaseDeadline).where(CaseDeadline.id.in_([r.id for r in rows]))
                           .values(notified_on=today), execution_options={"synchronize_session": False})
        db.session.commit()  # the in-app notifications stand even if e-mail fails below
        flagged += len(rows)
        if mail:
            emailed += _email([(i, n["user_id"], n["message"]) for i, n in zip(note_ids, notes)])
            db.session.commit()
    if flagged:
        record_system_change(db.session, "CaseDeadline", {"flagged": flagged, "on": today.isoformat()})
        db.session.commit()
    return {"flagged": flagged, "emailed": emailed}


def _deadline_message(row, today: date) -> str:
    overdue = row.due_on < today
    return (f"{row.reference}: {row.label} {'passerades' if overdue else 'infaller'} {row.due_on}"
            f"{'' if overdue else f' (om {(row.due_on - today).days} dagar)'}.")


def _email(notifications: list[tuple[int, int, str]]) -> int:
    """Mail each user their new notifications (id, user id, message); returns mails sent."""
    host = current_app.config.get("MAIL_SERVER")
    if not host or not notifications:
        return 0
    by_user: dict[int, list[tuple[int, str]]] = {}
    for note_id, user_id, message in notifications:
        by_user.setdefault(user_id, []).append((note_id, message))
    sent = 0
    try:
        with smtplib.SMTP(host, current_app.config.get("MAIL_PORT", 25), timeout=20) as smtp:
            for user_id, notes in by_user.items():
                user = db.session.get(User, user_id)
                message = EmailMessage()
                message["Subject"] = f"Tvist: {len(notes)} frister att bevaka"
                message["From"] = current_app.config.get("MAIL_FROM", "tvist@localhost")
                message["To"] = user.email
                message.set_content("\n".join(text for _, text in notes))
                try:
                    smtp.send_message(message)
                except smtplib.SMTPException:
                    current_app.logger.exception("Deadline e-mail to user %s failed", user_id)
                    continue
                db.session.execute(update(Notification).where(Notification.id.in_([i for i, _ in notes]))
                                   .values(emailed=True), execution_options={"synchronize_session": False})
                sent += 1
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("SMTP server %s unreachable; reminders stay in the app", host)
    return sent


# --- Calendar feed --------------------------------------------------------------------------

def new_calendar_token(user: User) -> str:
    """A fresh personal feed token; only its hash is stored, so it is shown once."""
    token = secrets.token_urlsafe(32)
    user.calendar_token_hash = hashlib.sha256(token.encode()).hexdigest()
    return token


def user_for_calendar_token(token: str) -> User | None:
    digest = hashlib.sha256(token.encode()).hexdigest()
    user = db.session.scalar(select(User).where(User.calendar_token_hash == digest))
    return user if user is not None and user.active else None


def calendar_for(user: User, case_url) -> bytes:
    stmt = (select(CaseDeadline).join(CaseDeadline.case).where(Case.status.in_(OPEN_STATUSES),
                                                               CaseDeadline.state == "open")
            .options(selectinload(CaseDeadline.case)).order_by(CaseDeadline.due_on))
    if not user.is_staff:
        return ical.calendar_feed([], calendar_name="Tvist", generated_at=datetime.now(timezone.utc))
    if user.role.value == "jurist":
        stmt = stmt.where(Case.assigned_jurist_id == user.id)
    items = [ical.FeedItem(case_reference=row.case.reference, case_url=case_url(row.case),
                           deadline=course_deadlines.Deadline(code=row.code, label=row.label, due_on=row.due_on,
                                                              source=row.source, depends_on=()))
             for row in db.session.scalars(stmt)]
    return ical.calendar_feed(items, calendar_name=f"Tvist – frister för {user.name}",
                              generated_at=datetime.now(timezone.utc))
