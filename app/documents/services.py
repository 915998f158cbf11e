"""Generating filings: one at a time or in bulk, never twice for the same input.

A document is identified by (case, kind, input hash). The input hash covers the
template version and every value printed, so generating again from unchanged facts
returns the stored document, and a retried bulk job creates nothing new.
"""
from __future__ import annotations

import hashlib
import os
import socket
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

import filings
from app.auth.models import User
from app.cases import services as case_services
from app.cases.models import Case, ObjectionCategory, ObjectionChannel
from app.cases.status import CaseStatus
from app.core import storage
from app.course.guards import status_refusal
from app.db import utcnow
from app.documents import builders
from app.documents.builders import MissingCaseData
from app.documents.models import BulkJob, BulkJobChunk, ChunkStatus, GeneratedDocument, JobStatus
from app.extensions import db
from app.facts.builder import facts_load_options
from filings.kronofogden import ImportErrors, KfmEvent, KfmEventKind, export_applications, parse_events
from filings.validation import FilingIncomplete


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
    documents, new = [], []
    for case, data, digest in prepared:
        document = existing.get((case.id, digest))
        if document is None:
            try:
                content = filings.render(kind, data, validated=True)  # prepare() validated it
            except Exception:  # noqa: BLE001 - one case's failure must not stop the others
                current_app.logger.exception("Rendering %s for %s failed", kind, case.reference)
                errors.append({"case_id": case.id, "reference": case.reference,
                               "problems": ["Handlingen kunde inte skapas på grund av ett tekniskt fel (loggat)."]})
                continue
            stored = storage.store(content, area="documents", extension="docx", durable=False)
            document = GeneratedDocument(case_id=case.id, kind=kind, template_version=version, input_hash=digest,
                                         sha256=hashlib.sha256(content).hexdigest(), size=len(content),
                                         stored_name=stored, created_by_id=actor.id if actor else None,
                                         bulk_job_id=bulk_job.id if bulk_job else None)
            new.append((case, document))
        documents.append((case, document))
    storage.sync()  # the files are on disk before any row pointing to them is committed
    # The new rows are added only inside the savepoint: begin_nested() flushes whatever is
    # pending before it sets the savepoint, and a conflict in that flush could not be undone.
    _begin_write()
    try:
        with db.session.begin_nested():
            for case, document in new:
                db.session.add(document)
                case_services.record_event(case, "document", f"{document.label} upprättades.", actor)
            db.session.flush()
    except IntegrityError:  # rolled back to the savepoint: the new rows are gone, the session is usable
        for _case, document in new:
            storage.remove(document.stored_name)
        return [generate(case, kind, on, actor, bulk_job)[0] for case, _ in documents], errors
    return [document for _, document in documents], errors


@dataclass
class BulkPreview:
    """What a bulk job would do, shown before it is queued: the cases the filing fits, and per
    status those it does not with the reason (app.course.guards.status_refusal)."""

    kind: str
    allowed_ids: list[int]
    refused: list[dict]  # {"status": label, "count": n, "reason": text, "examples": [(id, reference)]}

    @property
    def refused_count(self) -> int:
        return sum(r["count"] for r in self.refused)


def bulk_preview(kind: str, case_ids: list[int]) -> BulkPreview:
    """Sort the selection by the state machine's word on the filing, one status at a time (the
    facts of each case are checked again when its document is made)."""
    by_status: dict[CaseStatus, list[tuple[int, str]]] = {}
    for batch in _batches(case_ids):
        for case_id, reference, status in db.session.execute(
                select(Case.id, Case.reference, Case.status).where(Case.id.in_(batch))):
            by_status.setdefault(status, []).append((case_id, reference))
    allowed, refused = [], []
    for status, cases in sorted(by_status.items(), key=lambda item: item[0].label):
        reason = status_refusal(kind, status)
        if reason is None:
            allowed.extend(case_id for case_id, _ in cases)
        else:
            refused.append({"status": status.label, "count": len(cases), "reason": reason, "examples": cases[:10]})
    return BulkPreview(kind, sorted(allowed), refused)


def _begin_write() -> None:
    """Open the transaction for writing before a SAVEPOINT on SQLite.

    pysqlite begins a transaction only before INSERT/UPDATE/DELETE. A SAVEPOINT as the first
    statement runs outside any transaction, and its RELEASE then commits on its own: the
    documents would be committed apart from whatever the caller writes afterwards (a bulk
    chunk's status). BEGIN IMMEDIATE takes the write lock now, as the first INSERT would have;
    everything before it (reading, rendering) still runs without holding the lock."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


# --- Bulk ------------------------------------------------------------------------------
#
# A bulk job is split into chunks (BulkJobChunk), one Celery task each, so that any number of
# workers share one job. The rules that make a killed worker, a redelivered message or a
# duplicate dispatch harmless:
#
# * A chunk's documents, its counts/errors/document ids and status=done are committed in ONE
#   transaction, and the status is set with a conditional UPDATE (… WHERE status <> 'done'):
#   a chunk is done once, and a second run of it finds it done, or finds its documents already
#   stored for the same input (unique per case, kind and input hash) and reuses them.
# * The job's done/failed/errors are recomputed from the chunks' sums after every chunk (never
#   incremented), so running a chunk twice cannot count it twice.
# * The chunk that completes the job moves it running → finalizing with a conditional UPDATE
#   in that same transaction; only the one whose UPDATE matched builds the zip. Finalizing is
#   itself repeatable (finalizing → done is conditional too; a losing zip is removed).
# * Nothing depends on the broker giving a lost message back: recover_bulk_jobs() (on every
#   worker start and from beat) re-dispatches chunks that are not done and finalizes jobs whose
#   finisher died.

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
DEFAULT_CHUNK_SIZE = 100
_IN_BATCH = 1000  # ids per IN (…) list; SQLite limits the number of bound parameters


def _chunk_size() -> int:
    return max(1, int(current_app.config.get("BULK_CHUNK_SIZE") or DEFAULT_CHUNK_SIZE))


def _split(case_ids: list[int], size: int) -> list[BulkJobChunk]:
    return [BulkJobChunk(position=position, case_ids=case_ids[start:start + size], status=ChunkStatus.QUEUED,
                         done=0, failed=0, errors=[], document_ids=[])
            for position, start in enumerate(range(0, len(case_ids), size))]


def _batches(ids: list[int], size: int = _IN_BATCH) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite returns stored UTC timestamps without their time zone."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def create_bulk_job(kind: str, case_ids: list[int], actor: User | None, on: date,
                    chunk_size: int | None = None) -> BulkJob:
    """A queued job over the cases, already split into chunks (BULK_CHUNK_SIZE cases each)."""
    if kind not in builders.BUILDERS:
        raise ValueError(f"Okänd dokumenttyp: {kind}")
    ids = sorted(set(case_ids))
    job = BulkJob(kind=kind, case_ids=ids, total=len(ids), filing_date=on,
                  created_by_id=actor.id if actor else None, status=JobStatus.QUEUED, errors=[])
    job.chunks = _split(ids, chunk_size or _chunk_size())
    db.session.add(job)
    return job


def _ensure_chunks(job: BulkJob) -> None:
    """A job created before chunking existed (its message queued before the upgrade) is split
    now. Two workers doing so at once: one insert wins the unique (job, position), the other
    rolls back and uses the winner's chunks."""
    if not job.case_ids or db.session.scalar(select(BulkJobChunk.id).where(BulkJobChunk.bulk_job_id == job.id)
                                             .limit(1)) is not None:
        return
    chunks = _split(list(job.case_ids), _chunk_size())
    for chunk in chunks:
        chunk.bulk_job_id = job.id
    db.session.add_all(chunks)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()


def _pending_chunk_ids(job_id: int) -> list[int]:
    return list(db.session.scalars(select(BulkJobChunk.id).where(
        BulkJobChunk.bulk_job_id == job_id, BulkJobChunk.status != ChunkStatus.DONE).order_by(BulkJobChunk.position)))


def start_bulk_job(job_id: int) -> list[int]:
    """Mark the job running and return the ids of its chunks that are not done (to dispatch).
    A job with nothing left to do is finalized here. Safe to call again at any time."""
    job = db.session.get(BulkJob, job_id)
    if job is None or job.status == JobStatus.DONE:
        return []
    _ensure_chunks(job)
    # A failed job is started again only when asked to (the dispatcher, `flask filings bulk`).
    db.session.execute(update(BulkJob).where(BulkJob.id == job_id,
                                             BulkJob.status.in_((JobStatus.QUEUED, JobStatus.FAILED)))
                       .values(status=JobStatus.RUNNING), execution_options={"synchronize_session": False})
    db.session.commit()
    pending = _pending_chunk_ids(job_id)
    if not pending:
        _finish_if_complete(job_id)
    return pending


def dispatch_chunks(chunk_ids: list[int]) -> int:
    """Send one `documents.run_bulk_chunk` message per chunk (after recording when, for the
    staleness check of the recovery). Sending a chunk that is already queued is harmless."""
    if not chunk_ids:
        return 0
    now = utcnow()
    for batch in _batches(chunk_ids):
        db.session.execute(update(BulkJobChunk).where(BulkJobChunk.id.in_(batch),
                                                      BulkJobChunk.status != ChunkStatus.DONE)
                           .values(dispatched_at=now), execution_options={"synchronize_session": False})
    db.session.commit()
    celery = current_app.extensions["celery"]
    task = celery.tasks["documents.run_bulk_chunk"]
    with celery.producer_or_acquire() as producer:  # one connection for all the messages
        for chunk_id in chunk_ids:
            task.apply_async((chunk_id,), producer=producer)
    return len(chunk_ids)


def _local_worker() -> str:
    return f"lokal@{socket.gethostname()}:{os.getpid()}"


def run_bulk_chunk(chunk_id: int, worker: str | None = None) -> dict:
    """Render one chunk and record it done, in one transaction with its documents; if it was
    the job's last chunk, finalize the job. Does nothing for a chunk that is done already or
    whose job is no longer active. Safe to run twice, also at the same time on two workers."""
    worker = (worker or _local_worker())[:200]
    # 1. Show it as running (and start its staleness clock) in a short transaction of its own.
    claimed = db.session.execute(
        update(BulkJobChunk).where(BulkJobChunk.id == chunk_id, BulkJobChunk.status != ChunkStatus.DONE,
                                   BulkJobChunk.bulk_job_id.in_(select(BulkJob.id).where(BulkJob.status.in_(ACTIVE))))
        .values(status=ChunkStatus.RUNNING, started_at=utcnow(), worker=worker),
        execution_options={"synchronize_session": False}).rowcount
    db.session.commit()
    if not claimed:
        return {"chunk": chunk_id, "skipped": True}
    # 2. The work. On PostgreSQL the row lock makes a concurrent second run of this chunk wait
    # here and then see it done; SQLite has no row locks, the conditional UPDATE below decides.
    chunk = db.session.scalar(select(BulkJobChunk).where(BulkJobChunk.id == chunk_id).with_for_update())
    if chunk is None or chunk.status == ChunkStatus.DONE:
        db.session.rollback()
        return {"chunk": chunk_id, "skipped": True}
    job = db.session.get(BulkJob, chunk.bulk_job_id)
    cases = _load_cases(list(chunk.case_ids))
    documents, errors = generate_many(cases, job.kind, job.filing_date, job.created_by, bulk_job=job)
    for gone in sorted(set(chunk.case_ids) - {case.id for case in cases}):
        errors.append({"case_id": gone, "reference": "", "problems": ["Ärendet finns inte längre."]})
    stored = [d.stored_name for d in documents]
    recorded = db.session.execute(
        update(BulkJobChunk).where(BulkJobChunk.id == chunk_id, BulkJobChunk.status != ChunkStatus.DONE)
        .values(status=ChunkStatus.DONE, done=len(documents), failed=len(errors), errors=errors,
                document_ids=[d.id for d in documents], finished_at=utcnow(), worker=worker),
        execution_options={"synchronize_session": False}).rowcount
    if not recorded:  # another run of this chunk finished first: its documents stand, ours go
        db.session.rollback()
        _remove_unreferenced(stored)
        return {"chunk": chunk_id, "skipped": True}
    job_id = job.id
    finisher = _complete_if_all_done(job_id)
    db.session.commit()
    if finisher:
        finalize_bulk_job(job_id)
    return {"chunk": chunk_id, "done": len(documents), "failed": len(errors), "finalized": finisher}


def _remove_unreferenced(stored_names: list[str]) -> None:
    """Delete the files of a rolled-back run that no committed document points to."""
    referenced: set[str] = set()
    for batch in _batches(stored_names):
        referenced.update(db.session.scalars(select(GeneratedDocument.stored_name)
                                             .where(GeneratedDocument.stored_name.in_(batch))))
    db.session.rollback()
    for name in set(stored_names) - referenced:
        storage.remove(name)


def _refresh_progress(job_id: int) -> None:
    """The job's done/failed/errors as sums over its chunks (the views and the API read them).

    The job row is locked first (PostgreSQL; SQLite writers are serialised anyway), so these
    reads happen after any other chunk of the job has committed: two chunks finishing at once
    cannot both write sums that miss the other. FOR NO KEY UPDATE, not FOR UPDATE: every other
    running chunk holds a KEY SHARE lock on this row (its new documents reference the job)
    while it waits for the audit chain's lock, which this transaction holds; FOR UPDATE would
    wait for them, a deadlock. NO KEY UPDATE still excludes the other finishers."""
    db.session.execute(select(BulkJob.id).where(BulkJob.id == job_id).with_for_update(key_share=True))
    done, failed = db.session.execute(
        select(func.coalesce(func.sum(BulkJobChunk.done), 0), func.coalesce(func.sum(BulkJobChunk.failed), 0))
        .where(BulkJobChunk.bulk_job_id == job_id)).one()
    errors = [error for chunk_errors in db.session.scalars(
        select(BulkJobChunk.errors).where(BulkJobChunk.bulk_job_id == job_id, BulkJobChunk.failed > 0)
        .order_by(BulkJobChunk.position)) for error in chunk_errors]
    db.session.execute(update(BulkJob).where(BulkJob.id == job_id, BulkJob.status.in_(ACTIVE))
                       .values(done=done, failed=failed, errors=errors),
                       execution_options={"synchronize_session": False})


def _complete_if_all_done(job_id: int) -> bool:
    """Refresh the job's progress; if no chunk is left, claim the job for finalizing. True only
    for the one caller whose conditional UPDATE (queued/running → finalizing) matched. Runs in
    the caller's transaction, which must be committed before finalize_bulk_job()."""
    _refresh_progress(job_id)
    remaining = db.session.scalar(select(func.count(BulkJobChunk.id)).where(
        BulkJobChunk.bulk_job_id == job_id, BulkJobChunk.status != ChunkStatus.DONE))
    if remaining:
        return False
    return db.session.execute(update(BulkJob).where(BulkJob.id == job_id, BulkJob.status.in_(ACTIVE))
                              .values(status=JobStatus.FINALIZING),
                              execution_options={"synchronize_session": False}).rowcount == 1


def _finish_if_complete(job_id: int) -> None:
    finisher = _complete_if_all_done(job_id)
    db.session.commit()
    if finisher:
        finalize_bulk_job(job_id)


def finalize_bulk_job(job_id: int) -> BulkJob | None:
    """Zip the job's documents and mark it done. Only a job in `finalizing` is touched. Running
    it again after a crash builds the zip again; if two runs race, the conditional UPDATE lets
    one zip stand and the other run removes its own."""
    job = db.session.get(BulkJob, job_id)
    if job is None or job.status != JobStatus.FINALIZING:
        return job
    previous_zip = job.zip_stored_name
    document_ids = list(dict.fromkeys(  # chunk order; a document is zipped once
        document_id for ids in db.session.scalars(select(BulkJobChunk.document_ids).where(
            BulkJobChunk.bulk_job_id == job_id).order_by(BulkJobChunk.position)) for document_id in ids))
    db.session.rollback()  # end the read transaction before the (long) zip
    zip_name = _zip(document_ids)
    done, failed = db.session.execute(
        select(func.coalesce(func.sum(BulkJobChunk.done), 0), func.coalesce(func.sum(BulkJobChunk.failed), 0))
        .where(BulkJobChunk.bulk_job_id == job_id)).one()
    won = db.session.execute(
        update(BulkJob).where(BulkJob.id == job_id, BulkJob.status == JobStatus.FINALIZING)
        .values(status=JobStatus.DONE, zip_stored_name=zip_name, finished_at=utcnow(), done=done, failed=failed),
        execution_options={"synchronize_session": False}).rowcount == 1
    db.session.commit()
    if not won:
        if zip_name:
            storage.remove(zip_name)
    elif previous_zip and previous_zip != zip_name:  # the zip of an earlier run of a restarted job
        storage.remove(previous_zip)
    return db.session.get(BulkJob, job_id)


def _load_cases(ids: list[int]) -> list[Case]:
    return list(db.session.scalars(
        select(Case).where(Case.id.in_(ids)).order_by(Case.id).options(*facts_load_options())))


def run_bulk_job(job_id: int) -> BulkJob | None:
    """The whole job in this process (`flask filings bulk`, tests): every chunk not done yet,
    then the zip. Shares every rule with the workers, so it may also run beside them."""
    job = db.session.get(BulkJob, job_id)
    if job is None or job.status == JobStatus.DONE:
        return job
    for chunk_id in start_bulk_job(job_id):
        run_bulk_chunk(chunk_id)
    job = db.session.get(BulkJob, job_id)
    if job is not None and job.status in ACTIVE:  # every chunk done, but no run claimed the finish
        _finish_if_complete(job_id)
    elif job is not None and job.status == JobStatus.FINALIZING:  # a finisher died mid-zip
        finalize_bulk_job(job_id)
    db.session.expire_all()
    return db.session.get(BulkJob, job_id)


def _zip(document_ids: list[int]) -> str | None:
    """The job's zip, written straight into the storage area (memory stays flat at any size)."""
    if not document_ids:
        return None
    with storage.writing(area="bulk", extension="zip") as (fh, name):
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as archive:  # .docx is compressed already
            for batch in _batches(document_ids):
                # Plain rows, not ORM objects: a 100 000-document job must not fill the session.
                rows = {row.id: row for row in db.session.execute(
                    select(GeneratedDocument.id, GeneratedDocument.stored_name, GeneratedDocument.kind, Case.reference)
                    .join(Case, Case.id == GeneratedDocument.case_id).where(GeneratedDocument.id.in_(batch)))}
                for document_id in batch:
                    row = rows.get(document_id)
                    if row is not None:  # a case deleted meanwhile takes its documents along
                        # the same name as GeneratedDocument.download_name
                        archive.write(storage.path_of(row.stored_name), f"{row.kind}-{row.reference}.docx")
        db.session.rollback()
    return name


def mark_failed(job_id: int, message: str) -> None:
    """The job could not be completed (a chunk failed beyond its retries). A Core UPDATE: it
    must not take the audit chain's lock while holding the job row (lock order of the chunks)."""
    job = db.session.get(BulkJob, job_id)
    if job is not None and job.status != JobStatus.DONE:
        errors = [*(job.errors or []), {"case_id": None, "reference": "", "problems": [message]}]
        db.session.execute(update(BulkJob).where(BulkJob.id == job_id, BulkJob.status != JobStatus.DONE)
                           .values(status=JobStatus.FAILED, errors=errors),
                           execution_options={"synchronize_session": False})
        db.session.commit()


def recover_bulk_jobs(stale_after: timedelta | None = None) -> dict:
    """Make every unfinished job finish, whatever the broker lost.

    With ``stale_after=None`` (a worker has just started, so a killed one may have held
    messages the broker will not give back): every chunk not done of every queued or running
    job is dispatched again, and every job stuck in finalizing is finalized. From beat, only
    what has shown no sign of life for ``stale_after``: a running chunk started (or last
    dispatched) before that, a queued chunk of a job with no chunk started, finished or
    dispatched since, a queued job never started, a finalizing job whose last chunk finished
    before that. Duplicates are harmless (see the rules above); this only costs a message."""
    now = utcnow()
    cutoff = now - stale_after if stale_after is not None else None

    def stale(*moments: datetime | None) -> bool:
        latest = max((_aware(m) for m in moments if m is not None), default=None)
        return cutoff is None or latest is None or latest < cutoff

    redispatch: list[int] = []
    to_finalize: list[int] = []
    jobs = db.session.execute(select(BulkJob.id, BulkJob.status, BulkJob.created_at).where(
        BulkJob.status.in_((*ACTIVE, JobStatus.FINALIZING))).order_by(BulkJob.id)).all()
    for job_id, status, created_at in jobs:
        chunks = db.session.execute(select(BulkJobChunk.id, BulkJobChunk.status, BulkJobChunk.dispatched_at,
                                           BulkJobChunk.started_at, BulkJobChunk.finished_at)
                                    .where(BulkJobChunk.bulk_job_id == job_id)
                                    .order_by(BulkJobChunk.position)).all()
        if status == JobStatus.FINALIZING:
            if stale(created_at, *(c.finished_at for c in chunks)):
                to_finalize.append(job_id)
            continue
        if status == JobStatus.QUEUED and all(c.dispatched_at is None and c.started_at is None for c in chunks):
            if stale(created_at):  # its dispatch message never ran
                redispatch += start_bulk_job(job_id)
            continue
        activity = [created_at, *(m for c in chunks for m in (c.dispatched_at, c.started_at, c.finished_at))]
        pending = [c for c in chunks if c.status != ChunkStatus.DONE]
        if not pending:
            _finish_if_complete(job_id)
            continue
        for chunk in pending:
            if chunk.status == ChunkStatus.RUNNING and stale(chunk.started_at, chunk.dispatched_at):
                redispatch.append(chunk.id)
            elif chunk.status == ChunkStatus.QUEUED and stale(*activity):
                redispatch.append(chunk.id)
    db.session.rollback()
    dispatch_chunks(redispatch)
    for job_id in to_finalize:
        finalize_bulk_job(job_id)
    result = {"jobs": len(jobs), "chunks_dispatched": len(redispatch), "finalized": len(to_finalize)}
    if redispatch or to_finalize:
        current_app.logger.warning("Bulk job recovery: %s", result)
    return result


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
    """Apply Kronofogden's events (bestridande, delgivning, utslag …) in one transaction, each
    as a step of the case's course. A bad row anywhere, or an event the case's course does not
    allow, means nothing is applied (ImportErrors lists the rows)."""
    from app.hearings.services import StepRefused

    events = parse_events(data, today=today)
    references = {e.case_reference for e in events}
    cases = {c.reference: c for c in db.session.scalars(select(Case).where(Case.reference.in_(references)))}
    unknown = [(e.line, f"okänt ärende {e.case_reference}.") for e in events if e.case_reference not in cases]
    if unknown:
        raise ImportErrors(unknown)
    disputed, refused = 0, []
    for event in events:
        try:
            disputed += _apply_event(cases[event.case_reference], event, actor)
        except StepRefused as exc:
            refused.append((event.line, f"{event.case_reference}: {' '.join(exc.problems)}"))
    if refused:
        raise ImportErrors(refused)
    return ImportSummary(applied=len(events), disputed=disputed)


def _apply_event(case: Case, event: KfmEvent, actor: User | None) -> int:
    """Apply one event as the step of the course it is; returns 1 if it opened a dispute."""
    from app.hearings.services import take_step

    if event.kfm_case_number:
        case.kfm_case_number = event.kfm_case_number
    on = event.event_date
    if event.kind == KfmEventKind.SERVICE:
        take_step(case, "register_kfm_service", {"kfm_served_on": on}, actor)
        case_services.record_event(case, "kfm", f"Kronofogden: ansökan delgiven {on}.", actor)
    elif event.kind == KfmEventKind.OBJECTION:
        # The transfer-request deadline runs from this notice (BFL 35 §).
        case_services.register_objection(case, actor, received_on=on, channel=ObjectionChannel.KRONOFOGDEN,
                                         category=ObjectionCategory.OTHER,
                                         text=event.details.get("reason") or "Bestridande hos Kronofogden.")
        take_step(case, "register_kfm_objection", {"kfm_objection_notified_on": on}, actor)
        return 1
    elif event.kind == KfmEventKind.DECISION:
        take_step(case, "register_utslag", {"utslag_on": on, "court_case_number": case.kfm_case_number}, actor)
        case_services.record_event(case, "kfm", f"Kronofogden: utslag meddelat {on}.", actor)
    elif event.kind == KfmEventKind.TRANSFERRED:
        take_step(case, "request_transfer", {"transfer_requested_on": on}, actor)
        court = event.details.get("court", "")
        case_services.record_event(case, "kfm", f"Kronofogden: målet överlämnat till {court or 'tingsrätt'} {on}.",
                                   actor)
    elif event.kind == KfmEventKind.WITHDRAWAL:
        case_services.record_event(case, "kfm", f"Kronofogden: ansökan återkallad {on}.", actor)
    return 0
