"""From a case record to its :class:`~app.facts.model.CaseFacts`: the one place that reads the rows.

Every consumer (triage, deadlines, the ledger, the filings, bulk jobs, the portal, the API) asks
:func:`case_facts` and reads the object it returns; no other code derives legal facts from ORM rows.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.cases.models import Case, TimelineEvent
from app.cases.status import CaseStatus
from app.extensions import db
from app.facts.model import (
    ZERO,
    CaseFacts,
    DecisionFacts,
    EvidenceFacts,
    FiledFacts,
    LineFacts,
    ObjectionFacts,
    PartyFacts,
    PaymentFacts,
    line_interest_start,
)
from app.law.errors import LawDataMissing
from app.law.forum import district_court_for
from app.portal.models import CreditorDecision
from app.triage.scoring import AbilityFacts

#: Timeline kinds that open a new proposal to the creditor (a decision before it does not count).
PROPOSAL_EVENT_KINDS = ("triage", "step:propose_litigation")


def facts_load_options() -> tuple:
    """Loader options that fetch everything :func:`case_facts` reads, for lists of cases."""
    from app.debtors.models import Debtor
    from app.triage.models import Evidence

    return (selectinload(Case.claim_lines), selectinload(Case.objections),
            selectinload(Case.evidence).selectinload(Evidence.claim_lines),
            selectinload(Case.outcomes), selectinload(Case.filing_records), selectinload(Case.payments),
            selectinload(Case.hearings), selectinload(Case.creditor), selectinload(Case.assigned_jurist),
            selectinload(Case.debtor).selectinload(Debtor.ability_records))


def case_facts(case: Case) -> CaseFacts:
    """The case's legal facts, read once from its rows."""
    debtor = case.debtor
    served_on = case.kfm_served_on
    lines = tuple(_line(line, case, served_on) for line in case.claim_lines)
    numbers = {line.id: line.position for line in case.claim_lines}
    return CaseFacts(
        case_id=case.id, reference=case.reference, status=case.status,
        creditor_id=case.creditor_id, creditor=_creditor(case), creditor_bankgiro=case.creditor.bankgiro or "",
        approval_not_required_up_to=case.creditor.approval_not_required_up_to,
        creditor_approved=creditor_approved(case),
        debtor=PartyFacts(name=debtor.name, identity_number=debtor.identity_number, is_company=debtor.is_company,
                          street=debtor.street, postal_code=debtor.postal_code, city=debtor.city,
                          phone=debtor.phone, email=debtor.email, municipality=debtor.registered_municipality),
        consumer_claim=case.consumer_claim, lines=lines,
        objections=tuple(ObjectionFacts(o.received_on, o.category.value, o.category.label, o.text or "",
                                        o.setoff_amount or ZERO, o.response or "") for o in case.objections),
        evidence=tuple(EvidenceFacts(n, ev.title, ev.kind.value, ev.dated, ev.proves,
                                     tuple(numbers.get(line.id, 0) for line in ev.claim_lines))
                       for n, ev in enumerate(case.evidence, start=1)),
        ability=_ability(debtor.latest_ability), test_case=case.test_case,
        reminder_fee_agreed=case.reminder_fee_agreed, reminder_sent_on=case.reminder_sent_on,
        inkassokrav_sent_on=case.inkassokrav_sent_on,
        kfm_case_number=case.kfm_case_number or "", kfm_served_on=served_on, kfm_answer_days=case.kfm_answer_days,
        kfm_objection_notified_on=case.kfm_objection_notified_on, utslag_on=case.utslag_on,
        court_case_number=case.court_case_number or "", court=_court(case),
        judgment_on=case.judgment_on, default_judgment=case.default_judgment,
        default_judgment_served_on=case.default_judgment_served_on, appealed=case.appealed,
        settlement_on=case.settlement_on,
        limitation_interruptions=tuple(sorted(date.fromisoformat(d) for d in (case.limitation_interruptions or []))),
        decisions=tuple(_decision(o) for o in case.outcomes),
        filings=tuple(FiledFacts(r.kind, r.filed_on, r.court, r.track, r.claim_value, r.capital, r.interest,
                                 r.setoff, r.collection_charges, r.court_fee, r.kfm_fees, r.reason)
                      for r in case.filing_records),
        payments=tuple(PaymentFacts(p.paid_on, p.amount, p.source.value) for p in case.payments),
        court_grounds=case.court_grounds or "",
        jurist_name=case.assigned_jurist.name if case.assigned_jurist else "",
    )


def _creditor(case: Case) -> PartyFacts:
    c = case.creditor
    return PartyFacts(name=c.name, identity_number=c.org_number, is_company=True, street=c.street,
                      postal_code=c.postal_code, city=c.city, phone=c.contact_phone, email=c.contact_email)


def _line(line, case: Case, served_on: date | None) -> LineFacts:
    start, rule = line_interest_start(
        due_date=line.due_date, due_date_agreed=line.due_date_agreed is not False, invoice_date=line.invoice_date,
        inkassokrav_sent_on=case.inkassokrav_sent_on, warned_of_interest=bool(case.demand_warned_of_interest),
        business_debtor=case.debtor.is_company and not case.consumer_claim, served_on=served_on)
    kinds = frozenset(ev.kind for ev in case.evidence if line in ev.claim_lines)
    return LineFacts(number=line.position, invoice_number=line.invoice_number, invoice_date=line.invoice_date,
                     due_date=line.due_date, arose_on=line.arose_on or line.invoice_date, capital=line.capital,
                     description=line.description or "", due_date_agreed=line.due_date_agreed is not False,
                     interest_from=start, interest_rule=rule, evidence_kinds=kinds)


def _decision(o) -> DecisionFacts:
    return DecisionFacts(kind=o.kind.value, kind_label=o.kind.label, decided_on=o.decided_on, authority=o.authority,
                         case_number=o.case_number, awarded_capital=o.awarded_capital, interest_from=o.interest_from,
                         awarded_costs=o.awarded_costs, kfm_costs=o.kfm_costs, served_on=o.served_on,
                         appealed=o.appealed, final_on=o.final_on, waiver_on=o.waiver_on, enforceable=o.enforceable)


def _ability(record) -> AbilityFacts | None:
    if record is None:
        return None
    return AbilityFacts(recorded_on=record.recorded_on, source=record.source, monthly_income=record.monthly_income,
                        payment_remarks=record.payment_remarks, kfm_debt_total=record.kfm_debt_total,
                        known_assets=record.known_assets, score=record.score)


def _court(case: Case) -> str:
    """The tingsrätt handling the case: from its hearings, else the forum (RB 10 kap. 1 §)."""
    for hearing in reversed(case.hearings):
        if hearing.court:
            return hearing.court
    for record in reversed(case.filing_records):
        if record.court:
            return record.court
    try:
        return district_court_for(case.debtor.registered_municipality, is_company=case.debtor.is_company).court
    except LawDataMissing:
        return ""


def current_creditor_decision(case: Case) -> CreditorDecision | None:
    """The creditor's decision on the proposal the case is in now (a decision taken on an
    earlier proposal, before the case went back to investigation, does not count)."""
    if case.status != CaseStatus.LITIGATION_PROPOSED or case.id is None:
        return None
    since = (select(func.max(TimelineEvent.at))
             .where(TimelineEvent.case_id == case.id, TimelineEvent.kind.in_(PROPOSAL_EVENT_KINDS))
             .scalar_subquery())
    stmt = (select(CreditorDecision).where(CreditorDecision.case_id == case.id)
            .where((since.is_(None)) | (CreditorDecision.decided_at >= since))
            .order_by(CreditorDecision.decided_at.desc(), CreditorDecision.id.desc()).limit(1))
    return db.session.scalar(stmt)


def creditor_approved(case: Case) -> bool:
    decision = current_creditor_decision(case)
    return decision is not None and decision.approved
