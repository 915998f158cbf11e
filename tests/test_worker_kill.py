"""Kill a worker in the middle of a bulk job, start it again, and every document exists exactly once.

A real `celery worker` (prefork, two processes) on its own SQLite-backed broker renders a bulk
job in chunks of ten. Once some chunks are done and one is running, the whole process group
gets SIGKILL: no clean shutdown, so the SQLite transport never gives the taken messages back.
A fresh worker must still finish the job (its start-up recovery dispatches the unfinished
chunks again), reuse what the killed one committed, and duplicate nothing.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from celery import Celery
from sqlalchemy import func, select

from app.core import storage
from app.documents import services
from app.documents.models import BulkJob, BulkJobChunk, ChunkStatus, GeneratedDocument, JobStatus
from app.extensions import db
from tests import factories
from tests.conftest import ROOT

KIND = "betalningsforelaggande"
N_CASES = 120
CHUNK_SIZE = 10
RENDER_DELAY = 0.04  # seconds per rendered document, so that the kill lands mid-job

# The worker, with each render slowed a little (test-only, patched in this process before
# the pool forks; the application has no such hook).
SLOW_WORKER = f"""
import sys, time
import filings
_render = filings.render
def _slow_render(*args, **kwargs):
    time.sleep({RENDER_DELAY})
    return _render(*args, **kwargs)
filings.render = _slow_render
from celery.__main__ import main
sys.exit(main())
"""


def _start_worker(app, name: str, broker: str, backend: str, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "CELERY_BROKER_URL": broker, "CELERY_RESULT_BACKEND": backend,
           "SECRET_KEY": "worker-kill-test", "TVIST_AUDIT_KEY": app.config["AUDIT_KEY"],
           "TVIST_STORAGE_DIR": app.config["STORAGE_DIR"]}
    log = open(log_path, "w")
    # Own session = own process group: the kill reaches the pool's child processes too.
    proc = subprocess.Popen([sys.executable, "-c", SLOW_WORKER, "-A", "app.worker", "worker", "-n", name,
                             "--pool", "prefork", "--concurrency", "2", "--loglevel", "INFO",
                             "--without-heartbeat", "--without-gossip", "--without-mingle"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    log.close()
    return proc


def _wait_until_ready(proc: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if " ready." in log_path.read_text():
            return
        assert proc.poll() is None, log_path.read_text()[-3000:]
        time.sleep(0.1)
    pytest.fail("worker did not start:\n" + log_path.read_text()[-3000:])


def _kill_group(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proc.wait(timeout=30)


def _chunk_states(job_id: int) -> Counter:
    db.session.rollback()  # a fresh snapshot of what the worker committed
    return Counter(db.session.scalars(select(BulkJobChunk.status).where(BulkJobChunk.bulk_job_id == job_id)))


def _job(job_id: int) -> BulkJob:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(BulkJob, job_id)


@pytest.mark.worker
def test_killed_worker_mid_job_then_restart_every_document_exactly_once(app, world, tmp_path):
    cases = []
    for i in range(N_CASES):
        case = factories.CaseFactory(creditor=world.creditor_a, reference=f"KILL-{i:03d}", assigned_jurist=world.jurist)
        factories.ClaimLineFactory(case=case)
        cases.append(case)
    bad = factories.CaseFactory(creditor=world.creditor_a, reference="KILL-BAD")  # no claim lines: one error
    job = services.create_bulk_job(KIND, [c.id for c in cases] + [bad.id], world.jurist, date(2026, 11, 23),
                                   chunk_size=CHUNK_SIZE)
    db.session.commit()
    job_id, n_chunks = job.id, len(job.chunks)
    references = {c.id: c.reference for c in cases}
    assert n_chunks == (N_CASES + 1 + CHUNK_SIZE - 1) // CHUNK_SIZE

    broker = f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"
    backend = f"db+sqlite:///{tmp_path / 'results.sqlite'}"
    first = _start_worker(app, "doomed@%h", broker, backend, tmp_path / "first.log")
    second = None
    sender = Celery("tvist-kill-test", broker=broker, set_as_current=False)
    sender.conf.update(task_serializer="json", accept_content=["json"])
    try:
        # Ready first: its start-up recovery must not already have queued copies of the chunks.
        _wait_until_ready(first, tmp_path / "first.log")
        sender.send_task("documents.run_bulk_job", args=[job_id])

        deadline = time.monotonic() + 60
        states = Counter()
        while time.monotonic() < deadline:
            states = _chunk_states(job_id)
            if states[ChunkStatus.DONE] >= 2 and states[ChunkStatus.RUNNING] >= 1:
                break
            assert states[ChunkStatus.DONE] < n_chunks, "the job finished before the kill; make it larger"
            time.sleep(0.02)
        else:
            pytest.fail(f"no chunk got done in time: {states}\n" + (tmp_path / "first.log").read_text()[-3000:])
        _kill_group(first)

        states = _chunk_states(job_id)
        done_before = {c.id: c.worker for c in db.session.scalars(select(BulkJobChunk).where(
            BulkJobChunk.bulk_job_id == job_id, BulkJobChunk.status == ChunkStatus.DONE))}
        assert _job(job_id).status == JobStatus.RUNNING
        assert 0 < states[ChunkStatus.DONE] < n_chunks and states[ChunkStatus.RUNNING] >= 1, states

        second = _start_worker(app, "fresh@%h", broker, backend, tmp_path / "second.log")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if _job(job_id).status in (JobStatus.DONE, JobStatus.FAILED):
                break
            time.sleep(0.2)
        job = _job(job_id)
        assert job.status == JobStatus.DONE, (
            f"job {job.status} after the restart, chunks {_chunk_states(job_id)}\n"
            + (tmp_path / "second.log").read_text()[-3000:])
    finally:
        sender.close()
        for proc in (first, second):
            if proc is not None:
                _kill_group(proc)

    # no task needed a retry (a deadlock between the two pool processes would show here)
    for log in ("first.log", "second.log"):
        retries = [line for line in (tmp_path / log).read_text().splitlines() if "retry: Retry in" in line]
        assert not retries, retries[:2]
    # every case exactly one document of the kind, nothing else
    per_case = dict(db.session.execute(select(GeneratedDocument.case_id, func.count(GeneratedDocument.id))
                                       .where(GeneratedDocument.kind == KIND)
                                       .group_by(GeneratedDocument.case_id)).all())
    assert per_case == {case_id: 1 for case_id in references}
    documents = db.session.scalars(select(GeneratedDocument).where(GeneratedDocument.kind == KIND)).all()
    assert len(documents) == N_CASES
    # every row's file exists, and no two rows share a file
    names = [d.stored_name for d in documents]
    assert len(set(names)) == len(names)
    assert all(storage.path_of(name).is_file() for name in names)
    # the counters count each case once, retried chunks included
    assert (job.total, job.done, job.failed) == (N_CASES + 1, N_CASES, 1)
    assert [e["reference"] for e in job.errors] == ["KILL-BAD"]
    chunks = db.session.scalars(select(BulkJobChunk).where(BulkJobChunk.bulk_job_id == job_id)).all()
    assert all(c.status == ChunkStatus.DONE for c in chunks)
    assert sorted(d for c in chunks for d in c.document_ids) == sorted(d.id for d in documents)
    # chunks finished before the kill were not run again; the rest was done by the fresh worker
    assert {c.id: c.worker for c in chunks if c.id in done_before} == done_before
    assert all(w.startswith("doomed@") for w in done_before.values())
    assert any(c.worker.startswith("fresh@") for c in chunks)
    # the zip holds each case's filing exactly once
    with zipfile.ZipFile(storage.path_of(job.zip_stored_name)) as archive:
        entries = Counter(archive.namelist())
    assert entries == Counter({f"{KIND}-{reference}.docx": 1 for reference in references.values()})
