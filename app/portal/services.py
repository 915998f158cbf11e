"""Portal services: the creditor's overview in aggregate queries, the case page's facts,
the creditor's decision on a proposal to go to court.

Every query takes the user and goes through ``visible_cases``: a creditor user sees its own
creditor's cases and nothing else.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from statistics import median

from sqlalchemy import event, func, inspect, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.auth.models import User
from app.cases.models import Case, Objection
from app.cases.services import record_event
from app.cases.status import OPEN_STATUSES, CaseStatus
from app.core.access import visible_cases
from app.core.clock import STOCKHOLM, today
from app.db import utcnow
from app.enforcement.models import Payment
from app.extensions import db
from app.facts.builder import current_creditor_decision
from app.hearings.models import Notification, Outcome, OutcomeKind
from app.portal.models import CreditorDecision, CreditorOverview
from app.triage.kinds import OptionKind
from app.triage.models import TriageDecision

ZERO = Decimal("0.00")
CLOSED_STATUSES = frozenset(CaseStatus) - OPEN_STATUSES

# The status in plain Swedish, for a reader who is not a lawyer.
STATUS_EXPLAINED = {
    CaseStatus.NEW: "Ärendet är registrerat. Inget bestridande har kommit in ännu.",
    CaseStatus.DISPUTED: "Gäldenären har bestridit fordran. En jurist ska gå igenom invändningen.",
    CaseStatus.INVESTIGATING: "Vi utreder gäldenärens invändning och vilka bevis som finns.",
    CaseStatus.LITIGATION_PROPOSED: "Juristen föreslår att fordran drivs vidare rättsligt. Vi väntar på ert beslut.",
    CaseStatus.SETTLEMENT: "Gäldenären och ni har kommit överens om betalning, eventuellt i delar.",
    CaseStatus.PAYMENT_ORDER: "Vi har ansökt om betalningsföreläggande hos Kronofogden.",
    CaseStatus.UTSLAG: "Kronofogden har meddelat utslag: gäldenären är skyldig att betala.",
    CaseStatus.KFM_DISPUTED: "Gäldenären har bestridit hos Kronofogden. Nästa steg är att begära att målet går till tingsrätten.",
    CaseStatus.TRANSFERRED: "Målet har lämnats över från Kronofogden till tingsrätten.",
    CaseStatus.SUMMONS: "Vi har lämnat in en stämningsansökan till tingsrätten.",
    CaseStatus.PREPARATION: "Tingsrätten förbereder målet; parterna lämnar in skrifter och bevisning.",
    CaseStatus.HEARING: "Tingsrätten har kallat till förhandling.",
    CaseStatus.JUDGMENT: "Tingsrätten har meddelat dom. Domen kan fortfarande överklagas.",
    CaseStatus.FINAL: "Domen har vunnit laga kraft och kan inte längre överklagas.",
    CaseStatus.ENFORCEMENT: "Kronofogden driver in beloppet (verkställighet).",
    CaseStatus.MONITORING: "Gäldenären saknar just nu betalningsförmåga. Vi bevakar fordran och kontrollerar regelbundet.",
    CaseStatus.PAID: "Fordran är betald. Ärendet är avslutat.",
    CaseStatus.WRITTEN_OFF: "Fordran är avskriven. Ärendet är avslutat.",
    CaseStatus.WITHDRAWN: "Ärendet är återkallat. Det är avslutat.",
}

TRACK_LABELS = {"simplified": "Förenklat tvistemål", "ordinary": "Ordinärt tvistemål", None: "Ej bedömt ännu"}

# Buckets for "time from objection to judgment", in days.
JUDGMENT_BUCKETS = ((0, 90, "0–3 mån"), (91, 180, "3–6 mån"), (181, 365, "6–12 mån"), (366, None, "över 12 mån"))


# --- Overview ---------------------------------------------------------------------------

@dataclass
class Overview:
    by_status: list[tuple[CaseStatus, int, Decimal]]  # every status that has cases, in course order
    by_track: list[tuple[str, int, Decimal]]  # open cases only
    open_count: int
    open_capital: Decimal
    total_count: int
    total_capital: Decimal
    recovered: Decimal
    awarded_costs: Decimal
    outcomes: list[tuple[OutcomeKind, int]]
    judgment_days: list[int] = field(default_factory=list)
    awaiting_decision: int = 0

    @property
    def recovery_rate(self) -> Decimal | None:
        if not self.total_capital:
            return None
        return (self.recovered / self.total_capital * 100).quantize(Decimal("0.1"))

    @property
    def judgment_buckets(self) -> list[tuple[str, int]]:
        out = []
        for low, high, label in JUDGMENT_BUCKETS:
            out.append((label, sum(1 for d in self.judgment_days if d >= low and (high is None or d <= high))))
        return out

    @property
    def judgment_median(self) -> int | None:
        return int(median(self.judgment_days)) if self.judgment_days else None

    def to_json(self) -> dict:
        return {
            "by_status": [[s.value, n, str(c)] for s, n, c in self.by_status],
            "by_track": [[label, n, str(c)] for label, n, c in self.by_track],
            "open_count": self.open_count, "open_capital": str(self.open_capital),
            "total_count": self.total_count, "total_capital": str(self.total_capital),
            "recovered": str(self.recovered), "awarded_costs": str(self.awarded_costs),
            "outcomes": [[k.value, n] for k, n in self.outcomes],
            "judgment_days": self.judgment_days, "awaiting_decision": self.awaiting_decision,
        }

    @classmethod
    def from_json(cls, data: dict) -> Overview:
        return cls(
            by_status=[(CaseStatus(s), n, Decimal(c)) for s, n, c in data["by_status"]],
            by_track=[(label, n, Decimal(c)) for label, n, c in data["by_track"]],
            open_count=data["open_count"], open_capital=Decimal(data["open_capital"]),
            total_count=data["total_count"], total_capital=Decimal(data["total_capital"]),
            recovered=Decimal(data["recovered"]), awarded_costs=Decimal(data["awarded_costs"]),
            outcomes=[(OutcomeKind(k), n) for k, n in data["outcomes"]],
            judgment_days=list(data["judgment_days"]), awaiting_decision=data["awaiting_decision"],
        )


OVERVIEW_MAX_AGE = timedelta(minutes=10)  # a safety net for writes that bypass the ORM


def overview(user: User) -> Overview:
    """The creditor's numbers: stored per creditor and recomputed only when something they
    are computed from has changed since (see ``_mark_overviews_stale``). At 100 000 cases the
    aggregates take a few hundred ms for a large creditor; a stored overview takes one read.
    The caller commits (the recomputed numbers are stored in the session's transaction)."""
    if user.creditor_id is None:
        return compute_overview(user)
    stored = db.session.get(CreditorOverview, user.creditor_id)
    if stored is not None and not stored.stale and _aware(stored.computed_at) > utcnow() - OVERVIEW_MAX_AGE:
        return Overview.from_json(stored.data)
    data = compute_overview(user)
    try:
        with db.session.begin_nested():
            if stored is None:
                db.session.add(CreditorOverview(creditor_id=user.creditor_id, data=data.to_json(), stale=False,
                                                computed_at=utcnow()))
            else:
                stored.data, stored.stale, stored.computed_at = data.to_json(), False, utcnow()
    except IntegrityError:  # another request stored it a moment ago; ours is as fresh
        pass
    return data


@event.listens_for(Session, "after_flush")
def _mark_overviews_stale(session: Session, _flush_context) -> None:
    """Any change to a case, or to a payment, outcome or objection of one, makes its creditor's
    stored overview stale (one UPDATE per flush that touches them)."""
    creditor_ids: set[int] = set()
    case_ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Case):
            history = inspect(obj).attrs.creditor_id.history
            creditor_ids.update(c for c in (obj.creditor_id, *history.deleted) if c is not None)
        elif isinstance(obj, (Payment, Outcome, Objection)) and obj.case_id is not None:
            case_ids.add(obj.case_id)
    if not (creditor_ids or case_ids):
        return
    affected = CreditorOverview.creditor_id.in_(creditor_ids)
    if case_ids:
        affected = or_(affected, CreditorOverview.creditor_id.in_(
            select(Case.creditor_id).where(Case.id.in_(case_ids)).scalar_subquery()))
    session.connection().execute(update(CreditorOverview).where(affected, CreditorOverview.stale.is_(False))
                                 .values(stale=True))


def compute_overview(user: User) -> Overview:
    """The creditor's numbers, each from one aggregate query (no per-case loading)."""
    status_rows = db.session.execute(visible_cases(
        user, select(Case.status, func.count(Case.id), func.sum(Case.total_capital)).group_by(Case.status))).all()
    counts = {status: (n, capital or ZERO) for status, n, capital in status_rows}
    by_status = [(s, *counts[s]) for s in CaseStatus if s in counts]
    open_rows = [(n, c) for s, (n, c) in counts.items() if s in OPEN_STATUSES]

    track_rows = db.session.execute(visible_cases(
        user, select(Case.triage_track, func.count(Case.id), func.sum(Case.total_capital))
        .where(Case.status.in_(OPEN_STATUSES)).group_by(Case.triage_track))).all()
    by_track = sorted(((TRACK_LABELS.get(t, t), n, c or ZERO) for t, n, c in track_rows), key=lambda r: r[0])

    recovered = db.session.scalar(visible_cases(
        user, select(func.sum(Payment.amount)).join(Case, Payment.case_id == Case.id))) or ZERO
    awarded_costs = db.session.scalar(visible_cases(
        user, select(func.sum(Outcome.awarded_costs)).join(Case, Outcome.case_id == Case.id))) or ZERO
    outcome_rows = db.session.execute(visible_cases(
        user, select(Outcome.kind, func.count(Outcome.id)).join(Case, Outcome.case_id == Case.id)
        .group_by(Outcome.kind))).all()
    outcomes = [(kind, n) for kind, n in sorted(outcome_rows, key=lambda r: list(OutcomeKind).index(r[0]))]

    # Time from the (first) objection to the judgment, per judged case: two dates per row.
    # The first objection is looked up per judged case (an index probe), not grouped over all
    # objections of every creditor; a case without an objection has no such time.
    first_objection = (select(func.min(Objection.received_on)).where(Objection.case_id == Case.id)
                       .correlate(Case).scalar_subquery())
    pairs = db.session.execute(visible_cases(
        user, select(first_objection, Case.judgment_on).where(Case.judgment_on.is_not(None)))).all()
    judgment_days = sorted(max(0, (judged - received).days) for received, judged in pairs if received is not None)

    return Overview(
        by_status=by_status, by_track=by_track,
        open_count=sum(n for n, _ in open_rows), open_capital=sum((c for _, c in open_rows), ZERO),
        total_count=sum(n for n, _ in counts.values()), total_capital=sum((c for _, c in counts.values()), ZERO),
        recovered=recovered, awarded_costs=awarded_costs, outcomes=outcomes, judgment_days=judgment_days,
        awaiting_decision=counts.get(CaseStatus.LITIGATION_PROPOSED, (0, ZERO))[0],
    )


def recovered_by_case(case_ids: list[int]) -> dict[int, Decimal]:
    """Payments per case for a page or an export: one GROUP BY query."""
    if not case_ids:
        return {}
    rows = db.session.execute(select(Payment.case_id, func.sum(Payment.amount))
                              .where(Payment.case_id.in_(case_ids)).group_by(Payment.case_id))
    return {case_id: amount or ZERO for case_id, amount in rows}


# --- The case page ------------------------------------------------------------------------

@dataclass(frozen=True)
class Upcoming:
    on: date
    what: str
    detail: str = ""


def upcoming(case: Case, on: date | None = None) -> list[Upcoming]:
    """What comes next: deadlines not yet passed and hearings not yet held, by date."""
    on = on or today()
    items = [Upcoming(d.due_on, d.label, d.source) for d in case.open_deadlines if d.due_on >= on]
    for hearing in case.hearings:
        starts = _aware(hearing.starts_at).astimezone(STOCKHOLM)
        if starts.date() >= on:
            where = ", ".join(p for p in (hearing.court, hearing.place) if p)
            items.append(Upcoming(starts.date(), f"{hearing.kind.label} kl. {starts:%H:%M}", where))
    return sorted(items, key=lambda u: u.on)


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class OptionView:
    kind: str
    label: str
    available: bool
    probability: Decimal
    expected_costs: Decimal
    recoverable_costs: Decimal
    expected_recovery: Decimal
    expected_net: Decimal
    explanation: str


@dataclass(frozen=True)
class Recommendation:
    """The jurist's latest triage recommendation with its cost estimate, from the stored
    decision's snapshot (as it was when decided) or, before any decision, computed now."""

    decided: bool
    decided_at: datetime | None
    recommended: str
    chosen: str
    reason: str
    explanation: str
    claim_value: Decimal
    track_reason: str
    options: list[OptionView]

    @property
    def chosen_option(self) -> OptionView | None:
        return next((o for o in self.options if o.kind == self.chosen), None)


def recommendation(case: Case) -> Recommendation | None:
    decision = db.session.scalar(select(TriageDecision).where(TriageDecision.case_id == case.id)
                                 .order_by(TriageDecision.decided_at.desc(), TriageDecision.id.desc()).limit(1))
    if decision is not None:
        snap = decision.snapshot or {}
        return Recommendation(
            decided=True, decided_at=decision.decided_at, recommended=decision.recommended.value,
            chosen=decision.chosen.value, reason=decision.override_reason, explanation=snap.get("explanation", ""),
            claim_value=Decimal(str(snap.get("claim_value", "0"))),
            track_reason=(snap.get("track") or {}).get("reason", ""),
            options=[_option(o) for o in snap.get("options", [])])
    if not case.claim_lines:
        return None
    from app.law.errors import LawDataMissing
    from app.triage.services import evaluate, snapshot

    try:
        result = evaluate(case)
    except LawDataMissing:  # a legal value for the period is not entered yet: no recommendation to show
        return None
    snap = snapshot(result)
    return Recommendation(
        decided=False, decided_at=None, recommended=result.recommended.value, chosen=result.recommended.value,
        reason="", explanation=result.explanation, claim_value=result.claim_value,
        track_reason=result.track.reason, options=[_option(o) for o in snap["options"]])


def _option(raw: dict) -> OptionView:
    kind = raw.get("kind", "")
    try:
        label = OptionKind(kind).label
    except ValueError:
        label = kind
    return OptionView(kind=kind, label=label, available=bool(raw.get("available")),
                      probability=Decimal(str(raw.get("probability", "0"))),
                      expected_costs=Decimal(str(raw.get("expected_costs", "0"))),
                      recoverable_costs=Decimal(str(raw.get("recoverable_costs", "0"))),
                      expected_recovery=Decimal(str(raw.get("expected_recovery", "0"))),
                      expected_net=Decimal(str(raw.get("expected_net", "0"))),
                      explanation=str(raw.get("explanation", "")))


# --- The creditor's decision ----------------------------------------------------------------

class DecisionRefused(ValueError):
    """The decision cannot be taken now; the message is Swedish."""


def current_decision(case: Case) -> CreditorDecision | None:
    """The creditor's decision on the proposal the case is in now (see app.facts.builder)."""
    return current_creditor_decision(case)


def decide(case: Case, user: User, *, approved: bool, comment: str) -> CreditorDecision:
    """Record the creditor's answer to the proposal to go to court.

    Approved: the case stays in LITIGATION_PROPOSED, marked approved, and the responsible jurist
    is notified to file (the step ``file_summons`` is the jurist's, when the filing is made).
    Declined: the step ``creditor_declines_litigation`` takes the case back to investigation."""
    from app.hearings.services import StepRefused, take_step

    if case.status != CaseStatus.LITIGATION_PROPOSED:
        raise DecisionRefused(f"Ärendet har status '{case.status.label}'; det finns inget förslag att ta ställning till.")
    previous = current_decision(case)
    if approved and previous is not None and previous.approved:
        raise DecisionRefused("Ni har redan godkänt förslaget.")
    decision = CreditorDecision(case=case, user_id=user.id, approved=approved, comment=comment)
    db.session.add(decision)
    creditor = case.creditor.name
    said = f" Kommentar: {comment}" if comment else ""
    if approved:
        record_event(case, "creditor_decision",
                     f"{creditor} godkände förslaget om rättslig åtgärd ({user.name}).{said}", user)
        _notify_jurist(case, f"{case.reference}: {creditor} har godkänt att ärendet drivs i domstol. "
                             f"Ge in stämningsansökan.{said}")
    else:
        try:
            take_step(case, "creditor_declines_litigation", {"decision_date": today()}, user)
        except StepRefused as exc:  # pragma: no cover - the status was checked above
            raise DecisionRefused(" ".join(exc.problems)) from exc
        record_event(case, "creditor_decision",
                     f"{creditor} avböjde förslaget om rättslig åtgärd ({user.name}).{said}", user)
        _notify_jurist(case, f"{case.reference}: {creditor} har avböjt rättslig åtgärd; ärendet är åter under "
                             f"utredning.{said}")
    return decision


def _notify_jurist(case: Case, message: str) -> Notification | None:
    """To the responsible jurist; without one, to the jurist who made the latest triage decision."""
    user_id = case.assigned_jurist_id
    if user_id is None:
        user_id = db.session.scalar(select(TriageDecision.decided_by_id).where(TriageDecision.case_id == case.id)
                                    .order_by(TriageDecision.decided_at.desc()).limit(1))
    if user_id is None:
        return None
    note = Notification(user_id=user_id, case_id=case.id, message=message[:500])
    db.session.add(note)
    return note


# --- Months --------------------------------------------------------------------------------

def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month as UTC instants, from midnight on the 1st in Stockholm to the next 1st."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return (datetime.combine(first, time(0), tzinfo=STOCKHOLM).astimezone(timezone.utc),
            datetime.combine(following, time(0), tzinfo=STOCKHOLM).astimezone(timezone.utc))


def parse_month(raw: str | None, default: date | None = None) -> date:
    default = (default or today()).replace(day=1)
    try:
        year, month = (int(part) for part in (raw or "").split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    except ValueError:
        pass
    return default

