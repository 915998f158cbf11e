"""Retention (gallring): closed cases lose their personal data after a configurable period.

``run_retention`` works in two phases, under one cut-off each:

1. **Anonymise.** Every case closed (``Case.closed_on``) on or before *on minus RETENTION_MONTHS*
   and not yet anonymised loses what may identify the debtor or is not needed any more:
   free text (description, objections, investigation notes, hearing attendees, outcome and
   payment notes, triage reasons, creditors' comments, timeline texts) is replaced by
   ``REMOVED``; evidence and generated documents are deleted with their stored files (a .docx
   carries the name and personnummer; neither is räkenskapsinformation); the zip of every bulk
   job that included the case is removed; the case's notifications are deleted. What bookkeeping
   needs stays: the reference, creditor, claim lines (invoice numbers, dates, capital), payments
   (date, amount, source), outcomes' amounts and dates, status and ``closed_on``.
   The **debtor** is anonymised only when every one of their cases is closed and past the
   cut-off: a debtor with another open or recently closed case keeps their data.
2. **Delete.** An anonymised case whose bookkeeping period has ended
   (``app.law.retention.bookkeeping_retained_until`` of its last bookkeeping event: the latest of
   its payments and its closing day, BFL 7 kap. 2 §) is deleted with everything in it; an
   anonymised debtor left without cases is deleted too.

Accountability: each run stores one ``RetentionRun`` (cut-off, counts, and in ``details`` the
references of the cases touched), every anonymised case gets a timeline event, and every change
goes through the audit log like any other. The audit log never stores the values of personal
fields (``app.audit.services.PERSONAL_FIELDS``), so anonymising does not copy the removed data
into the log's "before" values, and no earlier entry needs to be (or could be, with the hash
chain intact) scrubbed.

A **dry run** computes the very same plan and counts, changes nothing (no record, no file) and
stores its ``RetentionRun`` with ``dry_run=True``, so a preview is visible on the admin page too.

Stored files are removed after the database changes have been flushed and before the caller
commits. If the commit then fails, the rows still point to missing files and the next run finishes
the work (removing a missing file is a no-op); the opposite order could leave files with personal
data behind that no row points to any more. Running twice changes nothing the second time: every
selection excludes what an earlier run already did.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import selectinload

from app.audit.services import acting_as
from app.auth.models import User
from app.cases.models import Case, Objection
from app.cases.services import record_event
from app.core import storage
from app.debtors.models import Debtor
from app.documents.models import BulkJob
from app.enforcement.models import Payment
from app.extensions import db
from app.hearings.models import Notification
from app.law.retention import bookkeeping_retained_until
from app.portal.models import CreditorDecision
from app.retention.models import RetentionRun
from app.triage.models import IssueGroup

REMOVED = "[Raderad enligt gallringsregel]"
ANONYMOUS_DEBTOR = "Anonymiserad gäldenär"


def anonymise_cut_off(on: date, months: int) -> date:
    """The last closing day whose cases are due for anonymisation on ``on``: the latest day d
    for which d + ``months`` months (app.law.deadlines.add_months, lag 1930:173) is on or
    before ``on``. On the last day of a month the whole earlier month counts (29 February
    + 12 months = 28 February)."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = on.year * 12 + (on.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    on_last_day = on.day == calendar.monthrange(on.year, on.month)[1]
    return date(year, month, last_day if on_last_day else min(on.day, last_day))


@dataclass
class RetentionPlan:
    """What a run does, computed before anything is changed (a dry run stops here)."""

    cut_off: date
    cases: list[Case] = field(default_factory=list)  # to anonymise
    debtors: list[Debtor] = field(default_factory=list)  # to anonymise
    zip_jobs: list[BulkJob] = field(default_factory=list)  # whose zip includes one of the cases
    doomed_cases: list[Case] = field(default_factory=list)  # to delete (bookkeeping period over)
    doomed_debtors: list[Debtor] = field(default_factory=list)  # anonymised, left without cases

    @property
    def files(self) -> list[str]:
        """Every stored file the run removes (evidence, documents, bulk zips), each once."""
        names: set[str] = {job.zip_stored_name for job in self.zip_jobs if job.zip_stored_name}
        for case in {*self.cases, *self.doomed_cases}:
            names.update(e.stored_name for e in case.evidence if e.stored_name)
            names.update(d.stored_name for d in case.documents)
        return sorted(names)


def run_retention(on: date, months: int, actor: User | None, *, dry_run: bool = False) -> RetentionRun:
    """Anonymise the cases closed ``months`` months before ``on``, delete those whose bookkeeping
    period has ended, and log the run. Flushes; the caller commits."""
    with acting_as(actor.id if actor else None):
        plan = plan_retention(on, months)
        files, details = plan.files, _details(plan, months)  # before the rows are changed or gone
        if not dry_run:
            _apply(plan, on, actor)
        run = RetentionRun(run_on=on, actor_id=actor.id if actor else None, dry_run=dry_run,
                           anonymise_closed_before=plan.cut_off, cases_anonymised=len(plan.cases),
                           debtors_anonymised=len(plan.debtors), files_removed=len(files),
                           cases_deleted=len(plan.doomed_cases), details=details)
        db.session.add(run)
        db.session.flush()
        if not dry_run:
            for name in files:
                storage.remove(name)
    return run


def _details(plan: RetentionPlan, months: int) -> dict:
    return {
        "months": months,
        "anonymised_cases": sorted(c.reference for c in plan.cases),
        "deleted_cases": sorted(c.reference for c in plan.doomed_cases),
        "anonymised_debtor_ids": sorted(d.id for d in plan.debtors),
        "deleted_debtor_ids": sorted(d.id for d in plan.doomed_debtors),
        "bulk_job_zips_removed": sorted(j.id for j in plan.zip_jobs),
    }


# --- Planning ----------------------------------------------------------------------------

def plan_retention(on: date, months: int) -> RetentionPlan:
    """Select everything a run on ``on`` would change, without changing it."""
    plan = RetentionPlan(cut_off=anonymise_cut_off(on, months))
    plan.cases = _cases_to_anonymise(plan.cut_off)
    plan.debtors = _debtors_to_anonymise(plan.cut_off)
    plan.doomed_cases = _cases_to_delete(on, plan.cut_off)
    plan.doomed_debtors = _debtors_to_delete(plan)
    touched = {c.id for c in plan.cases} | {c.id for c in plan.doomed_cases}
    plan.zip_jobs = [job for job in db.session.scalars(select(BulkJob).where(BulkJob.zip_stored_name.is_not(None))
                                                       .order_by(BulkJob.id))
                     if touched.intersection(job.case_ids or [])]
    return plan


def _case_loading():
    return (selectinload(Case.objections).selectinload(Objection.steps), selectinload(Case.evidence),
            selectinload(Case.documents), selectinload(Case.hearings), selectinload(Case.outcomes),
            selectinload(Case.triage_decisions), selectinload(Case.payments), selectinload(Case.timeline))


def _cases_to_anonymise(cut_off: date) -> list[Case]:
    return list(db.session.scalars(
        select(Case).where(Case.closed_on.is_not(None), Case.closed_on <= cut_off, Case.anonymised_on.is_(None))
        .options(*_case_loading()).order_by(Case.id)))


def _debtors_to_anonymise(cut_off: date) -> list[Debtor]:
    """Debtors not yet anonymised who have cases, all of them closed on or before the cut-off."""
    has_case = exists().where(Case.debtor_id == Debtor.id)
    has_live_case = exists().where(Case.debtor_id == Debtor.id,
                                   or_(Case.closed_on.is_(None), Case.closed_on > cut_off))
    return list(db.session.scalars(select(Debtor).where(Debtor.anonymised_on.is_(None), has_case, ~has_live_case)
                                   .options(selectinload(Debtor.ability_records)).order_by(Debtor.id)))


def _cases_to_delete(on: date, cut_off: date) -> list[Case]:
    """Cases anonymised (earlier, or in this run) whose bookkeeping period ended before ``on``."""
    last_payment = (select(Payment.case_id, func.max(Payment.paid_on).label("paid_on"))
                    .group_by(Payment.case_id).subquery())
    rows = db.session.execute(
        select(Case.id, Case.closed_on, last_payment.c.paid_on)
        .outerjoin(last_payment, last_payment.c.case_id == Case.id)
        .where(Case.closed_on.is_not(None), or_(Case.anonymised_on.is_not(None), Case.closed_on <= cut_off))).all()
    ids = [case_id for case_id, closed_on, paid_on in rows
           if bookkeeping_retained_until(max(closed_on, paid_on or closed_on)) < on]
    if not ids:
        return []
    return list(db.session.scalars(select(Case).where(Case.id.in_(ids)).options(*_case_loading())
                                   .order_by(Case.id)))


def _debtors_to_delete(plan: RetentionPlan) -> list[Debtor]:
    """Debtors anonymised (earlier, or in this run) all of whose cases are deleted in this run."""
    doomed = {c.id for c in plan.doomed_cases}
    candidates = {d.id: d for d in plan.debtors}
    candidates.update((d.id, d) for d in db.session.scalars(select(Debtor).where(Debtor.anonymised_on.is_not(None))))
    if not candidates:
        return []
    remaining = {debtor_id for debtor_id, case_id in db.session.execute(
        select(Case.debtor_id, Case.id).where(Case.debtor_id.in_(list(candidates)))) if case_id not in doomed}
    return [d for debtor_id, d in sorted(candidates.items()) if debtor_id not in remaining]


# --- Applying ----------------------------------------------------------------------------

def _apply(plan: RetentionPlan, on: date, actor: User | None) -> None:
    for case in plan.cases:
        anonymise_case(case, on, actor)
    for debtor in plan.debtors:
        anonymise_debtor(debtor, on)
    for job in plan.zip_jobs:
        job.zip_stored_name = None
    db.session.flush()
    for case in plan.doomed_cases:
        _release(case)
    db.session.flush()
    for case in plan.doomed_cases:
        db.session.delete(case)  # ORM cascades, so the audit log records every row deleted
    db.session.flush()
    for debtor in plan.doomed_debtors:
        db.session.delete(debtor)
    db.session.flush()


def _removed(text: str | None) -> str:
    """Free text is replaced by the marker; an empty field stays empty."""
    return REMOVED if text else ""


def anonymise_case(case: Case, on: date, actor: User | None) -> None:
    """Remove the case's personal data and free text, keep its bookkeeping side. The stored
    files are removed by the caller (``RetentionPlan.files``) once the rows are gone."""
    case.description = _removed(case.description)
    for objection in case.objections:
        objection.text = _removed(objection.text)
        for step in objection.steps:
            step.note = _removed(step.note)
    case.evidence.clear()  # delete-orphan: the rows go, with their links to claim lines
    case.documents.clear()
    for hearing in case.hearings:
        hearing.attendees = _removed(hearing.attendees)
    for outcome in case.outcomes:
        outcome.note = _removed(outcome.note)
    for decision in case.triage_decisions:
        decision.override_reason = _removed(decision.override_reason)
    for payment in case.payments:
        payment.note = _removed(payment.note)
    for event in case.timeline:
        event.message = REMOVED
    for decision in db.session.scalars(select(CreditorDecision).where(CreditorDecision.case_id == case.id)):
        decision.comment = _removed(decision.comment)
    for note in db.session.scalars(select(Notification).where(Notification.case_id == case.id)):
        db.session.delete(note)
    case.anonymised_on = on
    closed = case.closed_on.isoformat() if case.closed_on else "okänt datum"
    record_event(case, "retention", f"Personuppgifter gallrade enligt gallringsregeln (ärendet avslutades {closed}).",
                 actor)


def anonymise_debtor(debtor: Debtor, on: date) -> None:
    debtor.name = ANONYMOUS_DEBTOR
    debtor.identity_number = f"anon-{debtor.id}"  # unique, and says nothing about the person
    for attr in ("street", "postal_code", "city", "phone", "email", "registered_municipality"):
        setattr(debtor, attr, "")
    debtor.ability_records.clear()  # delete-orphan
    debtor.anonymised_on = on


def _release(case: Case) -> None:
    """What points at a case without being deleted with it by the ORM: a group's test case
    reference (the group and its question stay), creditors' decisions and notifications."""
    for group in db.session.scalars(select(IssueGroup).where(IssueGroup.test_case_id == case.id)):
        group.test_case = None
    for decision in db.session.scalars(select(CreditorDecision).where(CreditorDecision.case_id == case.id)):
        db.session.delete(decision)
    for note in db.session.scalars(select(Notification).where(Notification.case_id == case.id)):
        db.session.delete(note)


__all__ = ["ANONYMOUS_DEBTOR", "REMOVED", "RetentionPlan", "anonymise_case", "anonymise_debtor",
           "anonymise_cut_off", "plan_retention", "run_retention"]
