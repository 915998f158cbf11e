"""Triage services: recording the facts, asking the scoring engine, recording decisions.

The scoring itself is pure (app.triage.scoring, beside app.law); this module turns a
case into the engine's plain input, keeps each case's triage summary columns fresh
(so the queue sorts on columns, not on per-request scoring), and records decisions.
"""
from __future__ import annotations

from dataclasses import asdict
from datetime import date

from flask import current_app
from sqlalchemy import select

from app.audit.services import jsonable
from app.auth.models import User
from app.cases.models import Case, Objection
from app.cases.services import record_event
from app.cases.status import OPEN_STATUSES, CaseStatus
from app.core import storage
from app.core.clock import today
from app.core.uploads import CheckedUpload
from app.debtors.models import Debtor
from app.extensions import db
from app.facts.builder import case_facts, facts_load_options
from app.facts.model import ZERO, CaseFacts
from app.hearings.services import StepRefused, take_step
from app.law.formatting import format_sek
from app.triage import scoring
from app.triage.kinds import OptionKind
from app.triage.models import AbilityRecord, Evidence, InvestigationStep, IssueGroup, StepKind, TriageDecision

# The step of the course a decision takes (through the state machine). Going to Kronofogden or
# to court is first proposed to the creditor; the application is filed as its own step.
STEP_AFTER_DECISION = {
    OptionKind.WRITE_OFF: "write_off",
    OptionKind.SETTLEMENT: "agree_settlement",
    OptionKind.PAYMENT_ORDER: "propose_litigation",
    OptionKind.SUMMONS_SIMPLIFIED: "propose_litigation",
    OptionKind.SUMMONS_ORDINARY: "propose_litigation",
    OptionKind.MONITORING: "start_monitoring",
}


# --- Facts -----------------------------------------------------------------------------

def add_evidence(case: Case, actor: User | None, *, kind, title: str, dated: date | None, proves: str,
                 claim_line_ids: list[int], upload: CheckedUpload | None) -> Evidence:
    """Register a piece of evidence. The file is written first and removed again if
    the database write fails, so neither side is left half-written."""
    lines = [line for line in case.claim_lines if line.id in set(claim_line_ids)]
    evidence = Evidence(kind=kind, title=title, dated=dated, proves=proves, claim_lines=lines,
                        uploaded_by_id=actor.id if actor else None)
    stored = None
    if upload is not None:
        stored = storage.store(upload.data, area="evidence", extension=upload.extension)
        evidence.stored_name = stored
        evidence.original_name = upload.original_name
        evidence.content_type = upload.content_type
        evidence.size = upload.size
        evidence.sha256 = upload.sha256
    try:
        case.evidence.append(evidence)
        record_event(case, "evidence", f"Bevis registrerat: {kind.label} – {title}.", actor)
        refresh_summary(case)
        db.session.flush()
    except Exception:
        if stored:
            storage.remove(stored)
        raise
    return evidence


def add_investigation_step(objection: Objection, actor: User | None, *, kind: StepKind, on: date,
                           note: str) -> InvestigationStep:
    step = InvestigationStep(kind=kind, on=on, note=note, actor_id=actor.id if actor else None)
    objection.steps.append(step)
    case = objection.case
    if case.status == CaseStatus.DISPUTED:
        take_step(case, "start_investigation", {}, actor)
    record_event(case, "investigation", f"Utredning av bestridandet: {kind.label} ({on.isoformat()}).", actor)
    return step


def add_ability_record(debtor: Debtor, actor: User | None, *, source, **fields) -> AbilityRecord:
    record = AbilityRecord(source=source, recorded_by_id=actor.id if actor else None, **fields)
    debtor.ability_records.append(record)
    db.session.flush()
    for case in open_cases_of(debtor):
        record_event(case, "ability", f"Betalningsförmåga registrerad ({source.label}, {record.recorded_on}).", actor)
        refresh_summary(case)
    return record


def open_cases_of(debtor: Debtor) -> list[Case]:
    return list(db.session.scalars(select(Case).where(Case.debtor_id == debtor.id,
                                                      Case.status.in_(OPEN_STATUSES))))


def set_principle(case: Case, actor: User | None, *, test_case: bool, group: IssueGroup | None) -> None:
    changed = []
    if case.test_case != test_case:
        case.test_case = test_case
        changed.append("markerat som pilotmål" if test_case else "inte längre pilotmål")
    if case.issue_group_id != (group.id if group else None):
        case.issue_group = group
        changed.append(f"i gruppen '{group.name}'" if group else "borttaget ur grupp")
    if group is not None and test_case and group.test_case_id in (None, case.id):
        group.test_case = case
    if changed:
        record_event(case, "principle", "Ärendet är " + " och ".join(changed) + ".", actor)
        refresh_summary(case)


def apply_group_decision(group: IssueGroup, actor: User | None, *, decision: str, decided_on: date) -> int:
    """Record the test case's outcome on the group and in every member case's timeline."""
    group.decision = decision
    group.decided_on = decided_on
    for case in group.cases:
        record_event(case, "group_decision",
                     f"Avgörande i pilotmålet för gruppen '{group.name}' ({decided_on}) tillämpas: {decision}", actor)
    return len(group.cases)


# --- Scoring ---------------------------------------------------------------------------

def triage_input(case: Case, valuation_date: date) -> scoring.TriageInput:
    """The scoring engine's input, read from the case's facts (app.facts)."""
    return triage_input_of(case_facts(case), valuation_date)


def triage_input_of(facts: CaseFacts, valuation_date: date) -> scoring.TriageInput:
    return scoring.TriageInput(
        valuation_date=valuation_date,
        claim_lines=tuple(scoring.ClaimLineFacts(capital=line.capital, invoice_date=line.arose_on,
                                                 due_date=max(line.due_date, line.arose_on),
                                                 evidence_kinds=line.evidence_kinds,
                                                 interest_from=line.interest_from)
                          for line in facts.lines),
        objection_categories=tuple(o.category for o in facts.objections),
        setoff_amount=facts.setoff_amount,
        consumer_claim=facts.consumer_claim,
        business_debtor=facts.debtor.is_company,
        test_case=facts.test_case,
        ability=facts.ability,
        limitation_interruptions=facts.limitation_interruptions,
        transfer_request_deadline=facts.transfer_request_deadline,
        contested_at_kfm=facts.contested_at_kfm,
        collection_charges=sum((c.amount for c in facts.collection_charges(valuation_date)), ZERO),
    )


def evaluate(case: Case, valuation_date: date | None = None) -> scoring.TriageResult:
    return scoring.triage(triage_input(case, valuation_date or today()), current_app.config.get("TRIAGE_WEIGHTS"))


def refresh_summary(case: Case, valuation_date: date | None = None) -> scoring.TriageResult | None:
    """Recompute the case's stored triage summary. A case without claim lines has none."""
    if not case.claim_lines:
        case.triage_recommendation = case.triage_track = None
        case.triage_claim_value = case.triage_expected_net = case.triage_urgent_on = None
        return None
    result = evaluate(case, valuation_date)
    best = next(o for o in result.options if o.kind == result.recommended)
    case.triage_recommendation = result.recommended.value
    case.triage_track = result.track.track.value
    case.triage_claim_value = result.claim_value
    case.triage_expected_net = best.expected_net
    case.triage_urgent_on = result.urgent_dates[0].on if result.urgent_dates else None
    return result


def refresh_summaries(case_ids: list[int], valuation_date: date | None = None) -> int:
    cases = db.session.scalars(
        select(Case).where(Case.id.in_(case_ids)).options(*facts_load_options())).all()
    for case in cases:
        refresh_summary(case, valuation_date)
    return len(cases)


def decide(case: Case, actor: User | None, *, chosen: OptionKind, reason: str,
           valuation_date: date | None = None) -> TriageDecision:
    """Accept the recommendation, or override it (a reason is then required)."""
    result = evaluate(case, valuation_date)
    if chosen != result.recommended and not reason.strip():
        raise ValueError("Ange varför du avviker från rekommendationen.")
    option = next(o for o in result.options if o.kind == chosen)
    if not option.available:
        raise ValueError(f"'{chosen.label}' är inte tillämplig i det här ärendet: {option.explanation}")
    decision = TriageDecision(case=case, decided_by_id=actor.id if actor else None,
                              recommended=result.recommended, chosen=chosen, override_reason=reason.strip(),
                              expected_net=option.expected_net, snapshot=snapshot(result))
    db.session.add(decision)
    on = valuation_date or today()
    step_facts = {"decision_date": on, "settlement_on": on, "track": result.track.track.value,
                  "reason": reason.strip() or f"Triage: {chosen.label}."}
    try:
        take_step(case, STEP_AFTER_DECISION[chosen], step_facts, actor)
    except StepRefused as exc:
        raise ValueError(" ".join(exc.problems)) from exc
    case.collection_paused = False
    if chosen == result.recommended:
        message = f"Triage: rekommendationen '{chosen.label}' godtogs (förväntat netto {format_sek(option.expected_net)})."
    else:
        message = (f"Triage: '{chosen.label}' valdes i stället för rekommenderade "
                   f"'{result.recommended.label}'. Motivering: {reason.strip()}")
    record_event(case, "triage", message, actor)
    return decision


def snapshot(result: scoring.TriageResult) -> dict:
    """The result as JSON, kept with the decision so it can be shown as it was."""
    return _json(asdict(result))


def _json(value):
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_json(v) for v in value]
    return jsonable(value)

