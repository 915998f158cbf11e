"""Generating filings: one at a time or in bulk, never twice for the same input.

A document is identified by (case, kind, input hash). The input hash covers the
template version and every value printed, so generating again from unchanged facts
returns the stored document, and a retried bulk job creates nothing new.
"""
from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

import filings
from filings.kronofogden import ImportErrors, KfmEvent, KfmEventKind, export_applications, parse_events
from filings.validation import FilingIncomplete
from app.auth.models import User
from app.cases import services as case_services
from app.cases.models import Case, ObjectionCategory, ObjectionChannel
from app.cases.status import CaseStatus
from app.core import storage
from app.db import utcnow
from app.debtors.models import Debtor
from app.documents import builders
from app.documents.builders import MissingCaseData
from app.documents.models import BulkJob, GeneratedDocument, JobStatus
from app.extensions import db
from app.triage.models import Evidence

BULK_CHUNK = 25  # progress is committed per chunk


class CannotGenerate(Exception):
    """What stops a filing, as Swedish sentences (missing facts or legal requirements)."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def signer_for(case: Case, actor: User | None) -> str | None:
    """The ombud who signs: the case's jurist, else whoever generates it."""
    if case.assigned_jurist is not None:
        return case.assigned_jurist.name
    return actor.name if actor is not None else None


def prepare(case: Case, kind: str, on: date, actor: User | None = None):
    """The validated filing input, or CannotGenerate listing everything that is missing."""
    try:
        data = builders.build(case, kind, on, signer_for(case, actor))
    except MissingCaseData as exc:
        raise CannotGenerate(exc.problems) from exc
    problems = filings.validate(kind, data)
    if problems:
        raise CannotGenerate(problems)
    return data


def generate(case: Case, kind: str, on: date, actor: User | None = None,
             bulk_job: BulkJob | None = None) -> tuple[GeneratedDocument, bool]:
    """Render and store the filing; returns (document, created). Same input → same document."""
    data = prepare(case, kind, on, actor)
    version = filings.template_version(kind)
    digest = filings.input_hash(data, version)
    existing = _find(case.id, kind, digest)
    if existing is not None:
        return existing, False
    try:
        content = filings.render(kind, data)
    except FilingIncomplete as exc:  # pragma: no cover - prepare() validated already
        raise CannotGenerate(exc.problems) from exc
    stored = storage.store(content, area="documents", extension="docx")
    document = GeneratedDocument(case_id=case.id, kind=kind, template_version=version, input_hash=digest,
                                 sha256=hashlib.sha256(content).hexdigest(), size=len(content),
                                 stored_name=stored, created_by_id=actor.id if actor else None,
                                 bulk_job_id=bulk_job.id if bulk_job else None)
    try:
        with db.session.begin_nested():
            db.session.add(document)
    except IntegrityError:  # another worker stored the same input a moment ago
        storage.remove(stored)
        return _find(case.id, kind, digest), False
    case_services.record_event(case, "document", f"{document.label} upprättades.", actor)
    return document, True


def _find(case_id: int, kind: str, digest: str) -> GeneratedDocument | None:
    with db.session.no_autoflush:
        return db.session.scalar(select(GeneratedDocument).where(
            GeneratedDocument.case_id == case_id, GeneratedDocument.kind == kind,
            GeneratedDocument.input_hash == digest))


def generate_many(cases: list[Case], kind: str, on: date, actor: User | None,
                  bulk_job: BulkJob | None = None) -> tuple[list[GeneratedDocument], list[dict]]:
    """The bulk path of generate(): inputs prepared first, existing documents found in one
    query, only new ones rendered, one flush. If another worker stored one of the same
    inputs meanwhile, the chunk is redone document by document (which reuses theirs)."""
    version = filings.template_version(kind)
    prepared, errors = [], []
    for case in cases:
        try:
            data = prepare(case, kind, on, actor)
        except CannotGenerate as exc:
            errors.append({"case_id": case.id, "reference": case.reference, "problems": exc.problems})
            continue
        prepared.append((case, data, filings.input_hash(data, version)))
    with db.session.no_autoflush:
        existing = {(d.case_id, d.input_hash): d for d in db.session.scalars(select(GeneratedDocument).where(
            GeneratedDocument.kind == kind, GeneratedDocument.case_id.in_([c.id for c, _, _ in prepared])))}
    documents, new_files = [], []
    for case, data, digest in prepared:
        document = existing.get((case.id, digest))
        if document is None:
            try:
                content = filings.render(kind, data)
            except Exception:  # noqa: BLE001 - one case's failure must not stop the others
                current_app.logger.exception("Rendering %s for %s failed", kind, case.reference)
                errors.append({"case_id": case.id, "reference": case.reference,
                               "problems": ["Handlingen kunde inte skapas på grund av ett tekniskt fel (loggat)."]})
                continue
            stored = storage.store(content, area="documents", extension="docx", durable=False)
            new_files.append(stored)
            document = GeneratedDocument(case_id=case.id, kind=kind, template_version=version, input_hash=digest,
                                         sha256=hashlib.sha256(content).hexdigest(), size=len(content),
                                         stored_name=stored, created_by_id=actor.id if actor else None,
                                         bulk_job_id=bulk_job.id if bulk_job else None)
            db.session.add(document)
            case_services.record_event(case, "document", f"{document.label} upprättades.", actor)
        documents.append(document)
    storage.sync()  # the files are on disk before any row pointing to them is committed
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        for stored in new_files:
            storage.remove(stored)
        documents = [generate(case, kind, on, actor, bulk_job)[0] for case, _, _ in prepared]
    return documents, errors


# --- Bulk ------------------------------------------------------------------------------

def create_bulk_job(kind: str, case_ids: list[int], actor: User | None, on: date) -> BulkJob:
    if kind not in builders.BUILDERS:
        raise ValueError(f"Okänd dokumenttyp: {kind}")
    ids = sorted(set(case_ids))
    job = BulkJob(kind=kind, case_ids=ids, total=len(ids), filing_date=on,
                  created_by_id=actor.id if actor else None, status=JobStatus.QUEUED, errors=[])
    db.session.add(job)
    return job


def _load_cases(ids: list[int]) -> list[Case]:
    return list(db.session.scalars(
        select(Case).where(Case.id.in_(ids)).order_by(Case.id).options(
            selectinload(Case.claim_lines), selectinload(Case.objections),
            selectinload(Case.evidence).selectinload(Evidence.claim_lines),
            selectinload(Case.creditor), selectinload(Case.assigned_jurist),
            selectinload(Case.debtor).selectinload(Debtor.ability_records))))


def run_bulk_job(job_id: int) -> BulkJob | None:
    """Render every case of the job, committing progress per chunk. Safe to run again after
    a crash: counters restart, and documents already stored for the same input are reused."""
    job = db.session.get(BulkJob, job_id)
    if job is None or job.status == JobStatus.DONE:
        return job
    actor = job.created_by
    job.status, job.done, job.failed, job.errors = JobStatus.RUNNING, 0, 0, []
    db.session.commit()
    produced: list[int] = []
    errors: list[dict] = []
    for start in range(0, len(job.case_ids), BULK_CHUNK):
        chunk = job.case_ids[start:start + BULK_CHUNK]
        cases = _load_cases(chunk)
        documents, chunk_errors = generate_many(cases, job.kind, job.filing_date, actor, bulk_job=job)
        produced.extend(d.id for d in documents)
        errors.extend(chunk_errors)
        job.done += len(documents)
        job.failed += len(chunk_errors)
        for gone in set(chunk) - {case.id for case in cases}:
            errors.append({"case_id": gone, "reference": "", "problems": ["Ärendet finns inte längre."]})
            job.failed += 1
        job.errors = list(errors)
        db.session.commit()
    job.zip_stored_name = _zip(produced)
    job.status = JobStatus.DONE
    job.finished_at = utcnow()
    db.session.commit()
    return job


def _zip(document_ids: list[int]) -> str | None:
    if not document_ids:
        return None
    buffer = io.BytesIO()
    documents = db.session.scalars(select(GeneratedDocument).where(GeneratedDocument.id.in_(document_ids))
                                   .options(selectinload(GeneratedDocument.case)))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # .docx is compressed already
        for document in documents:
            archive.write(storage.path_of(document.stored_name), document.download_name)
    return storage.store(buffer.getvalue(), area="bulk", extension="zip")


def mark_failed(job_id: int, message: str) -> None:
    job = db.session.get(BulkJob, job_id)
    if job is not None and job.status != JobStatus.DONE:
        job.status = JobStatus.FAILED
        job.errors = [*(job.errors or []), {"case_id": None, "reference": "", "problems": [message]}]
        db.session.commit()


# --- Kronofogden file flows ---------------------------------------------------------------

def kronofogden_export(cases: list[Case], on: date, fmt: str, actor: User | None) -> tuple[bytes, list[dict]]:
    """Applications for betalningsföreläggande in our documented layout. Cases that cannot be
    filed are left out and reported; the file holds only complete applications."""
    applications, skipped = [], []
    for case in cases:
        try:
            applications.append(prepare(case, "betalningsforelaggande", on, actor))
        except CannotGenerate as exc:
            skipped.append({"reference": case.reference, "problems": exc.problems})
    content = export_applications(applications, fmt) if applications else b""
    return (content if isinstance(content, bytes) else content.encode()), skipped


@dataclass
class ImportSummary:
    applied: int
    disputed: int


def kronofogden_import(data: bytes, actor: User | None, today: date) -> ImportSummary:
    """Apply Kronofogden's events (bestridande, delgivning, utslag …) in one transaction.
    A bad row anywhere means nothing is applied (ImportErrors lists the rows)."""
    events = parse_events(data, today=today)
    references = {e.case_reference for e in events}
    cases = {c.reference: c for c in db.session.scalars(select(Case).where(Case.reference.in_(references)))}
    unknown = [(e.line, f"okänt ärende {e.case_reference}.") for e in events if e.case_reference not in cases]
    if unknown:
        raise ImportErrors(unknown)
    disputed = 0
    for event in events:
        disputed += _apply_event(cases[event.case_reference], event, actor)
    from app.hearings.services import refresh_deadlines  # answer, transfer, utslag deadlines from the new dates

    for case in {cases[e.case_reference] for e in events}:
        refresh_deadlines(case, actor)
    return ImportSummary(applied=len(events), disputed=disputed)


def _apply_event(case: Case, event: KfmEvent, actor: User | None) -> int:
    """Apply one event; returns 1 if it opened a dispute."""
    if event.kfm_case_number:
        case.kfm_case_number = event.kfm_case_number
    on = event.event_date
    if event.kind == KfmEventKind.SERVICE:
        case.kfm_served_on = on
        case_services.record_event(case, "kfm", f"Kronofogden: ansökan delgiven {on}.", actor)
    elif event.kind == KfmEventKind.OBJECTION:
        # The transfer-request deadline runs from this notice (BFL 35 §); it is derived from
        # kfm_objection_notified_on wherever deadlines are shown.
        case.kfm_objection_notified_on = on
        case_services.register_objection(case, actor, received_on=on, channel=ObjectionChannel.KRONOFOGDEN,
                                         category=ObjectionCategory.OTHER,
                                         text=event.details.get("reason") or "Bestridande hos Kronofogden.")
        case.status = CaseStatus.KFM_DISPUTED
        return 1
    elif event.kind == KfmEventKind.DECISION:
        from app.hearings.models import Outcome, OutcomeKind

        case.utslag_on = on
        case.status = CaseStatus.UTSLAG
        case.outcomes.append(Outcome(kind=OutcomeKind.UTSLAG, decided_on=on, authority="Kronofogdemyndigheten",
                                     case_number=case.kfm_case_number, awarded_capital=case.total_capital))
        case_services.record_event(case, "kfm", f"Kronofogden: utslag meddelat {on}.", actor)
    elif event.kind == KfmEventKind.TRANSFERRED:
        case.status = CaseStatus.TRANSFERRED
        court = event.details.get("court", "")
        case_services.record_event(case, "kfm", f"Kronofogden: målet överlämnat till {court or 'tingsrätt'} {on}.",
                                   actor)
    elif event.kind == KfmEventKind.WITHDRAWAL:
        case_services.record_event(case, "kfm", f"Kronofogden: ansökan återkallad {on}.", actor)
    return 0
