"""The case's course in the app: steps, hearings, outcomes, deadlines, payments, reminders.

The rules are pure (app.course: the state machine, deadline derivation, the ledger, the
iCalendar writer); this module applies them to case records.
"""
from __future__ import annotations

import hashlib
import secrets
import smtplib
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
from app.core.clock import STOCKHOLM
from app.course import deadlines as course_deadlines
from app.course import ical
from app.course.ledger import LedgerResult, balance_on
from app.course.ledger import Payment as LedgerPayment
from app.course.machine import FACT_LABELS, IllegalTransition, missing_facts, transition
from app.enforcement.models import Payment, PaymentSource
from app.db import utcnow
from app.extensions import db
from app.hearings.models import CaseDeadline, Hearing, HearingKind, Notification, Outcome, OutcomeKind
from app.law.errors import LawDataMissing
from app.law.formatting import format_sek
from app.law.forum import district_court_for
from app.law.interest import interest_start

# A deadline that passed more than this many days ago is history, not a reminder.
PASSED_DEADLINE_NEWS_DAYS = 14

# Steps that interrupt limitation (preskriptionslag 1981:130 5 § 3: suit, KFM application, enforcement).
INTERRUPTING_FACTS = ("filed_on", "enforcement_applied_on")


class StepRefused(ValueError):
    """The step cannot be taken; ``problems`` are Swedish sentences."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


# --- Facts and deadlines -------------------------------------------------------------------

def case_facts(case: Case) -> course_deadlines.CaseFacts:
    arose = min((line.invoice_date for line in case.claim_lines), default=None)
    return course_deadlines.CaseFacts(
        kfm_served_on=case.kfm_served_on, answer_days=case.kfm_answer_days,
        kfm_objection_notified_on=case.kfm_objection_notified_on, utslag_on=case.utslag_on,
        judgment_on=case.judgment_on, default_judgment=case.default_judgment,
        default_judgment_served_on=case.default_judgment_served_on, settlement_on=case.settlement_on,
        claim_arose_on=arose, consumer_claim=case.consumer_claim,
        limitation_interruptions=tuple(sorted(date.fromisoformat(d) for d in (case.limitation_interruptions or []))),
        appealed=case.appealed)


def refresh_deadlines(case: Case, actor: User | None = None) -> list[str]:
    """Recompute the stored deadlines from the facts; returns Swedish lines for what changed."""
    derived = {d.code: d for d in course_deadlines.derive_deadlines(case_facts(case))}
    stored = {d.code: d for d in case.deadlines}
    changes = []
    for code, deadline in derived.items():
        row = stored.get(code)
        if row is None:
            case.deadlines.append(CaseDeadline(code=code, label=deadline.label, due_on=deadline.due_on,
                                               source=deadline.source))
            changes.append(f"{deadline.label}: {deadline.due_on}")
        elif row.due_on != deadline.due_on:
            changes.append(f"{deadline.label}: {row.due_on} → {deadline.due_on}")
            row.due_on, row.label, row.source, row.notified_on = deadline.due_on, deadline.label, deadline.source, None
    for code, row in stored.items():
        # Only the codes this function derives; others (e.g. the efterbevakning check) are not its own.
        if code in course_deadlines.DEADLINE_CODES and code not in derived:
            case.deadlines.remove(row)
            changes.append(f"{row.label}: gäller inte längre")
    if changes and case.id is not None:
        record_event(case, "deadlines", "Frister beräknade: " + "; ".join(changes) + ".", actor)
    return changes


# --- Steps -------------------------------------------------------------------------------

def take_step(case: Case, name: str, facts: dict, actor: User | None) -> None:
    """Take a step in the case's course: check it is allowed and has its facts, record the
    facts where deadlines and filings read them, move the status, recompute deadlines."""
    try:
        step = transition(case.status, name)
    except IllegalTransition as exc:
        raise StepRefused([str(exc)]) from exc
    missing = missing_facts(step, {k: v for k, v in facts.items() if v not in (None, "")})
    if missing:
        raise StepRefused([f"{FACT_LABELS[m]} saknas." for m in missing])
    _record_facts(case, name, facts, actor)
    case.status = step.target
    details = ", ".join(f"{FACT_LABELS.get(k, k).lower()} {_show(k, v)}" for k, v in facts.items()
                        if k in step.requires and v not in (None, ""))
    record_event(case, f"step:{name}", f"{step.label}" + (f" ({details})" if details else "") + ".", actor)
    refresh_deadlines(case, actor)


def _show(name: str, value) -> str:
    if isinstance(value, Decimal):
        return format_sek(value)
    if name == "hearing_kind":
        return HearingKind(value).label.lower()
    if name == "track":
        return {"simplified": "förenklat tvistemål", "ordinary": "ordinärt tvistemål"}.get(value, value)
    if name == "enforceable_title":
        return {"judgment": "dom", "utslag": "utslag"}.get(value, value)
    return str(value)


def _record_facts(case: Case, name: str, f: dict, actor: User | None) -> None:
    for key in INTERRUPTING_FACTS:
        if f.get(key):
            case.limitation_interruptions = sorted({*(case.limitation_interruptions or []), f[key].isoformat()})
    if name == "register_utslag":
        case.utslag_on = f["utslag_on"]
        case.kfm_case_number = f["court_case_number"]
        case.outcomes.append(Outcome(kind=OutcomeKind.UTSLAG, decided_on=f["utslag_on"],
                                     authority="Kronofogdemyndigheten", case_number=f["court_case_number"],
                                     awarded_capital=f.get("awarded_capital") or case.total_capital,
                                     interest_from=f.get("interest_from"), awarded_costs=f.get("awarded_costs")))
        return
    if f.get("court_case_number"):
        case.court_case_number = f["court_case_number"]
    for field in ("kfm_served_on", "kfm_objection_notified_on", "settlement_on", "default_judgment_served_on"):
        if f.get(field):
            setattr(case, field, f[field])
    if name == "schedule_hearing":
        starts = datetime.combine(f["hearing_on"], f.get("hearing_time") or time(9, 0), tzinfo=STOCKHOLM)
        case.hearings.append(Hearing(kind=HearingKind(f["hearing_kind"]), starts_at=starts.astimezone(timezone.utc),
                                     court=f.get("court") or court_of(case), court_case_number=case.court_case_number,
                                     place=f.get("place") or "", attendees=f.get("attendees") or "",
                                     lawyer_id=case.assigned_jurist_id or (actor.id if actor else None)))
    if name in ("register_judgment", "register_default_judgment"):
        default = name == "register_default_judgment"
        case.judgment_on, case.default_judgment, case.appealed = f["judgment_on"], default, False
        case.outcomes.append(Outcome(
            kind=OutcomeKind.DEFAULT_JUDGMENT if default else OutcomeKind.JUDGMENT, decided_on=f["judgment_on"],
            authority=f.get("court") or court_of(case), case_number=case.court_case_number,
            awarded_capital=f.get("awarded_capital"), interest_from=f.get("interest_from"),
            awarded_costs=f.get("awarded_costs")))
    if name == "register_default_judgment_service" and case.outcomes:
        case.outcomes[-1].served_on = f["default_judgment_served_on"]
    if name == "register_appeal":
        case.appealed = True
        if case.outcomes:
            case.outcomes[-1].appealed = True
    if name == "register_final" and case.outcomes:
        case.outcomes[-1].final_on = f["final_on"]
    if name in ("register_partial_attachment", "register_full_attachment"):
        record_payment(case, actor, paid_on=f["accounted_on"], amount=f["amount"], source=PaymentSource.KRONOFOGDEN,
                       note="Redovisning från Kronofogden")


def court_of(case: Case) -> str:
    """The tingsrätt handling the case: from its hearings, else the forum (RB 10 kap. 1 §)."""
    for hearing in reversed(case.hearings):
        if hearing.court:
            return hearing.court
    try:
        return district_court_for(case.debtor.registered_municipality, is_company=case.debtor.is_company).court
    except LawDataMissing:
        return ""


# --- Payments and the ledger ---------------------------------------------------------------

def record_payment(case: Case, actor: User | None, *, paid_on: date, amount: Decimal, source: PaymentSource,
                   note: str = "") -> Payment:
    payment = Payment(paid_on=paid_on, amount=amount, source=source, note=note,
                      recorded_by_id=actor.id if actor else None)
    case.payments.append(payment)
    record_event(case, "payment", f"{source.label}: {format_sek(amount)} ({paid_on}).", actor)
    return payment


def ledger(case: Case, on: date) -> LedgerResult:
    """Balance on ``on``: capital per claim line with dröjsmålsränta from its start, the costs
    awarded in the latest outcome, and every payment allocated in the configured order."""
    lines = [(line.capital, interest_start(due_date=line.due_date)) for line in case.claim_lines]
    title = case.enforceable_outcome
    costs = (title.awarded_costs or Decimal("0.00")) if title else Decimal("0.00")
    payments = [LedgerPayment(paid_on=p.paid_on, amount=p.amount, source=p.source.value) for p in case.payments]
    return balance_on(lines, costs, payments, on)


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
    stmt = (select(CaseDeadline).join(CaseDeadline.case).where(Case.status.in_(OPEN_STATUSES))
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
