"""Filings from case records through the app: generate, dedupe, refuse, download, bulk, Kronofogden files."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from sqlalchemy import func, select

from app.cases.models import Case, Objection
from app.cases.status import CaseStatus
from app.core.clock import today
from app.documents import services
from app.documents.models import BulkJob, BulkJobChunk, ChunkStatus, GeneratedDocument, JobStatus
from app.extensions import db
from app.law.fees import court_fee
from app.law.formatting import format_sek
from app.law.track import Track
from tests import factories
from tests.conftest import extract_csrf, login
from tests.course_helpers import approve, walk


def _text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_stamningsansokan_generated_from_case_and_read_back(world, as_user, app):
    client = as_user(world.jurist)
    world.case_a.debtor.name = 'Bygg & Söner <AB> "Nord"'
    walk(world.case_a, ("propose_litigation", {"track": "simplified"}))
    approve(world.case_a, world.user_a)
    url = f"/dokument/arende/{world.case_a.id}/stamningsansokan"
    page = client.get(url).get_data(as_text=True)
    assert "Detta kommer att ges in" in page and "Stockholms tingsrätt" in page
    response = client.post(url, data={"csrf_token": extract_csrf(page)})
    assert response.status_code == 302
    document = db.session.scalars(select(GeneratedDocument).where(GeneratedDocument.kind == "stamningsansokan")).one()
    content = client.get(f"/dokument/{document.id}/ladda-ned").data
    text = _text(content)
    assert 'Bygg & Söner <AB> "Nord"' in text                       # escaped, shown exactly
    assert world.creditor_a.name in text and world.creditor_a.org_number in text
    assert format_sek(world.line_a.capital) in text                 # the claimed capital
    assert "3 och 6 §§ räntelagen (1975:635)" in text               # dröjsmålsränta and its ground
    assert "Att fakturan skickades med förfallodag." in text          # the bevisuppgift row
    assert format_sek(court_fee(Track.SIMPLIFIED, today())) in text  # FT-mål court fee from app.law
    assert "RB 1 kap. 3 d §" in text and "RB 10 kap. 1 §" in text


def test_generating_twice_from_the_same_input_stores_one_document(world):
    first, created = services.generate(world.case_a, "betalningsforelaggande", date(2026, 11, 23), world.jurist)
    second, created_again = services.generate(world.case_a, "betalningsforelaggande", date(2026, 11, 23),
                                              world.jurist)
    db.session.commit()
    assert created and not created_again and first.id == second.id
    assert db.session.scalar(select(func.count(GeneratedDocument.id))
                             .where(GeneratedDocument.kind == "betalningsforelaggande")) == 1
    content = (services.storage.path_of(first.stored_name)).read_bytes()
    text = _text(content)
    assert "Ansökningsavgift" in text and "Ersättning för upprättande av ansökan" in text


def test_missing_evidence_lists_what_is_missing_and_generates_nothing(world, as_user):
    client = as_user(world.jurist)
    case = factories.CaseFactory(creditor=world.creditor_a, status=CaseStatus.INVESTIGATING)
    factories.ClaimLineFactory(case=case)
    walk(case, ("propose_litigation", {"track": "simplified"}))
    approve(case, world.user_a)
    url = f"/dokument/arende/{case.id}/stamningsansokan"
    page = client.get(url).get_data(as_text=True)
    assert "Handlingen kan inte upprättas ännu" in page and "Bevisuppgift" in page
    client.post(url, data={"csrf_token": extract_csrf(page)})
    assert db.session.scalar(select(func.count(GeneratedDocument.id)).where(GeneratedDocument.case_id == case.id)) == 0


def test_verkstallighet_needs_an_enforceable_title(world):
    with pytest.raises(services.CannotGenerate, match="exekutionstitel"):
        services.prepare(world.case_a, "verkstallighet", date(2026, 11, 23), world.jurist)
    walk(world.case_a, ("file_payment_order", {"filed_on": date(2026, 9, 1)}),
         ("register_utslag", {"utslag_on": date(2026, 10, 1), "court_case_number": "12-345678-26"}))
    data = services.prepare(world.case_a, "verkstallighet", date(2026, 11, 23), world.jurist)
    assert data.title.case_number == "12-345678-26"


def test_documents_readable_only_by_case_readers(world, app):
    document, _ = services.generate(world.case_a, "forlikning", date(2026, 11, 23), world.jurist)
    db.session.commit()
    reader, outsider = app.test_client(), app.test_client()
    login(reader, world.user_a)
    login(outsider, world.user_b)
    assert reader.get(f"/dokument/{document.id}/ladda-ned").status_code == 200
    assert outsider.get(f"/dokument/{document.id}/ladda-ned").status_code == 404
    assert outsider.get(f"/dokument/arende/{world.case_a.id}").status_code == 404


def _bulk_cases(world, n: int) -> list[Case]:
    cases = []
    for i in range(n):
        case = factories.CaseFactory(creditor=world.creditor_a, reference=f"BULK-{i:03d}",
                                     assigned_jurist=world.jurist)
        factories.ClaimLineFactory(case=case)
        cases.append(case)
    bad = factories.CaseFactory(creditor=world.creditor_a, reference="BULK-BAD")  # no claim lines
    db.session.commit()
    return cases + [bad]


def test_bulk_job_renders_all_reports_bad_cases_and_a_retry_duplicates_nothing(world):
    cases = _bulk_cases(world, 6)
    job = services.create_bulk_job("betalningsforelaggande", [c.id for c in cases], world.jurist, date(2026, 11, 23))
    db.session.commit()
    services.run_bulk_job(job.id)
    assert (job.status, job.done, job.failed) == (JobStatus.DONE, 6, 1)
    assert job.errors[0]["reference"] == "BULK-BAD" and "inga fordringar" in job.errors[0]["problems"][0]
    with zipfile.ZipFile(services.storage.path_of(job.zip_stored_name)) as archive:
        assert len(archive.namelist()) == 6
    # A worker crashed before acknowledging: the job runs again from the start.
    job.status = JobStatus.RUNNING
    db.session.commit()
    services.run_bulk_job(job.id)
    assert (job.done, job.failed) == (6, 1)
    assert db.session.scalar(select(func.count(GeneratedDocument.id))
                             .where(GeneratedDocument.kind == "betalningsforelaggande")) == 6


def _chunks(job_id: int) -> list[BulkJobChunk]:
    return db.session.scalars(select(BulkJobChunk).where(BulkJobChunk.bulk_job_id == job_id)
                              .order_by(BulkJobChunk.position)).all()


def _bulk_zips() -> set:
    root = Path(services.storage.path_of("bulk/00/" + "0" * 32 + ".zip")).parent.parent
    return {p.name for p in root.rglob("*.zip")} if root.exists() else set()


def test_bulk_job_is_split_into_chunks_and_progress_is_the_sum_of_the_chunks(world, app):
    cases = _bulk_cases(world, 6)  # 7 cases, the last one without claim lines
    job = services.create_bulk_job("betalningsforelaggande", [c.id for c in cases], world.jurist,
                                   date(2026, 11, 23), chunk_size=3)
    db.session.commit()
    assert [c.case_ids for c in job.chunks] == [[c.id for c in cases[i:i + 3]] for i in (0, 3, 6)]
    assert app.config["BULK_CHUNK_SIZE"] == 100 and len(services.create_bulk_job(
        "forlikning", list(range(1, 251)), None, date(2026, 11, 23)).chunks) == 3
    db.session.rollback()

    first, second, last = (c.id for c in job.chunks)
    assert services.run_bulk_chunk(second, worker="w1@test")["done"] == 3
    db.session.expire_all()
    assert (job.status, job.done, job.failed, job.percent) == (JobStatus.QUEUED, 3, 0, 42)
    # a duplicate message for a done chunk does nothing, and counts nothing twice
    assert services.run_bulk_chunk(second, worker="w2@test") == {"chunk": second, "skipped": True}
    assert services.run_bulk_chunk(last)["failed"] == 1
    db.session.expire_all()
    assert (job.done, job.failed, job.zip_stored_name) == (3, 1, None) and job.errors[0]["reference"] == "BULK-BAD"
    assert _chunks(job.id)[1].worker == "w1@test"
    # the chunk that completes the job finalizes it: zip, status done
    assert services.run_bulk_chunk(first)["finalized"] is True
    db.session.expire_all()
    assert (job.status, job.done, job.failed, job.percent) == (JobStatus.DONE, 6, 1, 100)
    with zipfile.ZipFile(services.storage.path_of(job.zip_stored_name)) as archive:
        assert sorted(archive.namelist()) == sorted(f"betalningsforelaggande-{c.reference}.docx" for c in cases[:6])
    assert sorted(d for c in _chunks(job.id) for d in c.document_ids) == sorted(
        db.session.scalars(select(GeneratedDocument.id).where(GeneratedDocument.bulk_job_id == job.id)))


def test_a_chunk_interrupted_mid_way_runs_again_and_reuses_what_exists(world):
    cases = _bulk_cases(world, 4)[:4]
    job = services.create_bulk_job("betalningsforelaggande", [c.id for c in cases], world.jurist,
                                   date(2026, 11, 23), chunk_size=4)
    db.session.commit()
    # Two of the documents exist already (rendered by hand), the chunk is left "running" by a killed worker.
    existing = [services.generate(c, "betalningsforelaggande", date(2026, 11, 23), world.jurist)[0].id
                for c in cases[:2]]
    job.chunks[0].status = ChunkStatus.RUNNING
    db.session.commit()
    services.run_bulk_job(job.id)
    assert (job.status, job.done, job.failed) == (JobStatus.DONE, 4, 0)
    assert set(existing) <= set(job.chunks[0].document_ids)
    assert db.session.scalar(select(func.count(GeneratedDocument.id))
                             .where(GeneratedDocument.kind == "betalningsforelaggande")) == 4


def test_a_chunk_that_dies_before_its_commit_leaves_no_document_behind(world, monkeypatch):
    """Documents and the chunk's status=done commit together (on SQLite too, where a savepoint
    opened outside a transaction would commit on its own)."""
    cases = _bulk_cases(world, 3)[:3]
    job = services.create_bulk_job("betalningsforelaggande", [c.id for c in cases], world.jurist,
                                   date(2026, 11, 23), chunk_size=3)
    db.session.commit()
    chunk_id = job.chunks[0].id

    def worker_killed(job_id: int) -> bool:
        raise RuntimeError("killed after rendering, before the commit")

    monkeypatch.setattr(services, "_complete_if_all_done", worker_killed)
    with pytest.raises(RuntimeError):
        services.run_bulk_chunk(chunk_id)
    db.session.rollback()
    assert db.session.scalar(select(func.count(GeneratedDocument.id))
                             .where(GeneratedDocument.kind == "betalningsforelaggande")) == 0
    assert db.session.get(BulkJobChunk, chunk_id).status == ChunkStatus.RUNNING
    monkeypatch.undo()
    services.run_bulk_job(job.id)
    assert (job.status, job.done) == (JobStatus.DONE, 3)


def test_a_document_stored_by_another_worker_meanwhile_is_reused_not_duplicated(world, app, monkeypatch):
    """Two workers on the same input (a duplicate message, or two jobs over the same cases):
    the one that flushes second hits the unique input and takes the other's document."""
    cases = _bulk_cases(world, 3)[:3]
    rival = {}
    render = services.filings.render

    def render_while_another_worker_stores(kind, data, **options):
        content = render(kind, data, **options)
        if not rival:  # once, in the first render: another worker commits the same filing
            rival["racing"] = True
            with app.app_context():  # its own session and connection
                other = db.session.get(Case, cases[1].id)
                rival["id"] = services.generate(other, "betalningsforelaggande", date(2026, 11, 23), world.jurist)[0].id
                db.session.commit()
        return content

    root = services.storage.path_of("documents/00/" + "0" * 32 + ".docx").parent.parent
    files_before = {f.name for f in root.rglob("*.docx")}
    monkeypatch.setattr(services.filings, "render", render_while_another_worker_stores)
    documents, errors = services.generate_many(cases, "betalningsforelaggande", date(2026, 11, 23), world.jurist)
    db.session.commit()
    assert errors == [] and rival["id"] in [d.id for d in documents]
    per_case = dict(db.session.execute(select(GeneratedDocument.case_id, func.count(GeneratedDocument.id)).where(
        GeneratedDocument.kind == "betalningsforelaggande").group_by(GeneratedDocument.case_id)).all())
    assert per_case == {c.id: 1 for c in cases}
    stored = {d.stored_name.split("/")[-1] for d in db.session.scalars(select(GeneratedDocument).where(
        GeneratedDocument.case_id.in_([c.id for c in cases])))}
    assert {f.name for f in root.rglob("*.docx")} - files_before == stored  # the loser's files are removed


def test_bulk_validates_each_input_once(world, monkeypatch):
    """prepare() validates; the render that follows takes the input as validated."""
    import filings.engine
    import filings.validation

    calls = []
    validate = filings.validation.validate

    def counting_validate(kind, data):
        calls.append(data.case_reference)
        return validate(kind, data)

    for module in (services.filings, filings.engine):
        monkeypatch.setattr(module, "validate", counting_validate)
    cases = _bulk_cases(world, 3)[:3]
    documents, errors = services.generate_many(cases, "betalningsforelaggande", date(2026, 11, 23), world.jurist)
    db.session.commit()
    assert errors == [] and len(documents) == 3
    assert sorted(calls) == sorted(c.reference for c in cases)  # once each, not twice


def test_the_bulk_zip_is_streamed_to_its_file_not_built_in_memory(world):
    """The zip is written into the storage area as it is made: memory stays flat at any job size
    (measured here as the peak of Python's allocations while zipping, against the zip's size)."""
    import tracemalloc

    cases = _bulk_cases(world, 50)[:50]
    documents, errors = services.generate_many(cases, "betalningsforelaggande", date(2026, 11, 23), world.jurist)
    db.session.commit()
    assert errors == []
    zips_before = _bulk_zips()
    tracemalloc.start()
    try:
        name = services._zip([d.id for d in documents])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    path = services.storage.path_of(name)
    size = path.stat().st_size
    assert size > 50 * 10_000
    assert peak < size / 3, (peak, size)  # in memory, the archive alone would be more than the whole
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == [f"betalningsforelaggande-{c.reference}.docx" for c in cases]
    assert _bulk_zips() - zips_before == {path.name}  # no part file left beside it


def test_a_stored_file_written_in_pieces_appears_only_when_complete(app):
    from app.core import storage

    with storage.writing(area="bulk", extension="zip") as (fh, name):
        fh.write(b"first ")
        assert not storage.path_of(name).exists()  # not there while being written
        fh.write(b"second")
    assert storage.path_of(name).read_bytes() == b"first second"
    with pytest.raises(RuntimeError):
        with storage.writing(area="bulk", extension="zip") as (fh, failed):
            fh.write(b"half")
            raise RuntimeError("disk gone")
    assert not storage.path_of(failed).exists()
    assert not list(storage.path_of(failed).parent.glob("*.part"))  # nothing left behind


def test_only_one_finisher_and_finalizing_again_leaves_one_zip(world):
    cases = _bulk_cases(world, 2)[:2]
    job = services.create_bulk_job("forlikning", [c.id for c in cases], world.jurist, date(2026, 11, 23),
                                   chunk_size=1)
    db.session.commit()
    for chunk in job.chunks:
        services.run_bulk_chunk(chunk.id)
    db.session.expire_all()
    assert job.status == JobStatus.DONE
    zips_before = _bulk_zips()
    # Two finishers at once (the last two chunks on two workers): one claim matches.
    job.status = JobStatus.RUNNING
    db.session.commit()
    assert services._complete_if_all_done(job.id) is True
    assert services._complete_if_all_done(job.id) is False
    db.session.commit()
    assert db.session.get(BulkJob, job.id).status == JobStatus.FINALIZING
    # The finisher died mid-zip: finalizing runs again (twice, even) and one zip stands.
    services.finalize_bulk_job(job.id)
    services.finalize_bulk_job(job.id)
    db.session.expire_all()
    assert job.status == JobStatus.DONE and job.done == 2
    assert len(_bulk_zips()) == len(zips_before) and job.zip_stored_name.split("/")[-1] in _bulk_zips()


def test_recovery_dispatches_stale_chunks_and_finishes_stuck_jobs(world, monkeypatch):
    from datetime import timedelta

    from app.db import utcnow

    sent: list[int] = []
    monkeypatch.setattr(services, "dispatch_chunks", lambda ids: sent.extend(ids) or len(ids))
    cases = _bulk_cases(world, 4)[:4]
    job = services.create_bulk_job("forlikning", [c.id for c in cases], world.jurist, date(2026, 11, 23),
                                   chunk_size=1)
    db.session.commit()
    done, dead, alive, queued = (c.id for c in job.chunks)
    # world.job: queued, never started (its dispatch message was lost with a killed worker)
    assert services.recover_bulk_jobs(timedelta(minutes=5)) == {"jobs": 2, "chunks_dispatched": 0, "finalized": 0}
    assert services.start_bulk_job(job.id) == [done, dead, alive, queued]
    services.run_bulk_chunk(done)
    now = utcnow()
    for chunk in job.chunks:
        if chunk.id in (dead, alive):
            chunk.status = ChunkStatus.RUNNING
        chunk.dispatched_at = now - timedelta(minutes=30)
    job.chunks[1].started_at = now - timedelta(minutes=20)  # its worker was killed
    job.chunks[2].started_at = now - timedelta(seconds=10)  # still at work
    db.session.commit()

    # Periodic: only what shows no sign of life. The job itself made progress a moment ago.
    assert services.recover_bulk_jobs(timedelta(minutes=5))["chunks_dispatched"] == 1
    assert sent == [dead]
    # Later, with nothing started or finished for a while, the queued chunk (and the stuck world.job) too.
    sent.clear()
    for chunk in job.chunks:
        chunk.dispatched_at = chunk.started_at = chunk.finished_at = now - timedelta(minutes=30)
    job.created_at = world.job.created_at = now - timedelta(minutes=30)
    db.session.commit()
    services.recover_bulk_jobs(timedelta(minutes=5))
    assert set(sent) == {dead, alive, queued, world.job.chunks[0].id}
    assert db.session.get(BulkJob, world.job.id).status == JobStatus.RUNNING
    # A worker start: every chunk not done, of every unfinished job.
    sent.clear()
    services.recover_bulk_jobs(None)
    assert set(sent) == {dead, alive, queued, world.job.chunks[0].id}
    # The chunks run (duplicates included): the job completes once.
    for chunk_id in sent + sent:
        services.run_bulk_chunk(chunk_id)
    db.session.expire_all()
    assert (job.status, job.done) == (JobStatus.DONE, 4)
    # A job whose finisher died in the zip is finished by the recovery.
    job.status = JobStatus.FINALIZING
    db.session.commit()
    assert services.recover_bulk_jobs(None)["finalized"] == 1
    db.session.expire_all()
    assert job.status == JobStatus.DONE
    assert db.session.scalar(select(func.count(GeneratedDocument.id))
                             .where(GeneratedDocument.kind == "forlikning",
                                    GeneratedDocument.case_id.in_([c.id for c in cases]))) == 4


def test_a_job_queued_before_chunking_is_split_when_it_starts(world, app):
    cases = _bulk_cases(world, 3)
    job = services.create_bulk_job("betalningsforelaggande", [c.id for c in cases], world.jurist, date(2026, 11, 23))
    job.chunks = []  # as a job created by the previous version
    db.session.commit()
    app.config["BULK_CHUNK_SIZE"] = 2
    try:
        services.run_bulk_job(job.id)
    finally:
        app.config["BULK_CHUNK_SIZE"] = 100
    assert (job.status, job.done, job.failed, len(job.chunks)) == (JobStatus.DONE, 3, 1, 2)


def test_bulk_settings_recovery_schedule_and_redis_visibility_timeout(tmp_path, monkeypatch):
    from app import create_app

    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6399/0")
    celery = create_app({"INSTANCE_PATH": str(tmp_path)}).config["CELERY"]
    assert celery["broker_transport_options"]["visibility_timeout"] == 600
    assert celery["beat_schedule"]["bulk-job-recovery"]["task"] == "documents.recover_bulk_jobs"
    monkeypatch.delenv("CELERY_BROKER_URL")
    assert "broker_transport_options" not in create_app({"INSTANCE_PATH": str(tmp_path)}).config["CELERY"]


@pytest.mark.worker
def test_bulk_job_through_the_web_and_a_real_worker(world, worker, as_user):
    import time

    cases = _bulk_cases(world, 4)
    client = as_user(world.jurist)
    page = client.get("/dokument/massutskick").get_data(as_text=True)
    response = client.post("/dokument/massutskick", data={
        "csrf_token": extract_csrf(page), "kind": "forlikning", "case_ids": [str(c.id) for c in cases],
        "action": "start"})
    assert response.status_code == 302
    job_url = response.location
    status = {}
    for _ in range(120):
        status = client.get(job_url + ".json").get_json()
        if status["finished"]:
            break
        time.sleep(0.5)
    assert status["status"] == "done" and status["done"] == 4 and status["failed"] == 1, status
    assert client.get(status["zip_url"]).status_code == 200
    assert "Ladda ned alla handlingar" in client.get(job_url).get_data(as_text=True)


def test_kronofogden_export_and_event_import_round_trip(world, as_user):
    case = world.case_a
    case.status = CaseStatus.PAYMENT_ORDER
    case.assigned_jurist = world.jurist
    db.session.commit()
    client = as_user(world.jurist)
    page = client.get("/dokument/kronofogden").get_data(as_text=True)
    export = client.post("/dokument/kronofogden", data={"csrf_token": extract_csrf(page), "action": "export",
                                                         "creditor_id": world.creditor_a.id, "format": "jsonl"})
    assert export.status_code == 200
    record = json.loads(export.data.decode().splitlines()[0])
    assert case.reference in json.dumps(record, ensure_ascii=False)

    events = "\n".join(json.dumps(e, ensure_ascii=False) for e in [
        {"kind": "delgivning", "case_reference": case.reference, "kfm_case_number": "12-480001-26",
         "event_date": "2026-11-02"},
        {"kind": "bestridande", "case_reference": case.reference, "kfm_case_number": "12-480001-26",
         "event_date": "2026-11-09", "details": {"reason": "Fakturan är redan betald."}},
    ]).encode()
    response = client.post("/dokument/kronofogden", data={
        "csrf_token": extract_csrf(page), "action": "import", "file": (io.BytesIO(events), "handelser.jsonl")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.status == CaseStatus.KFM_DISPUTED and case.kfm_case_number == "12-480001-26"
    assert case.kfm_served_on == date(2026, 11, 2) and case.kfm_objection_notified_on == date(2026, 11, 9)
    assert any(o.text == "Fakturan är redan betald." for o in case.objections)
    from app.law.deadlines import answer_deadline
    deadlines = {d.code: d.due_on for d in case.deadlines}
    assert deadlines["answer"] == answer_deadline(date(2026, 11, 2))  # from the imported service date
    overlamnande = services.prepare(case, "overlamnande", date(2026, 11, 23), world.jurist)
    from app.law.deadlines import transfer_request_deadline
    assert overlamnande.deadline == transfer_request_deadline(date(2026, 11, 9))


def test_bad_kronofogden_file_is_refused_by_line_and_nothing_changes(world, as_user):
    client = as_user(world.jurist)
    before = db.session.scalar(select(func.count(Objection.id)))
    rows = "\n".join([
        json.dumps({"kind": "bestridande", "case_reference": world.case_a.reference, "kfm_case_number": "1",
                    "event_date": "2026-11-09"}),
        json.dumps({"kind": "bestridande", "case_reference": "FINNS-INTE", "kfm_case_number": "2",
                    "event_date": "2026-11-09"}),
        json.dumps({"kind": "utslag", "case_reference": world.case_a.reference, "kfm_case_number": "1",
                    "event_date": "01/11/2026"}),
    ]).encode()
    page = client.get("/dokument/kronofogden").get_data(as_text=True)
    response = client.post("/dokument/kronofogden", data={
        "csrf_token": extract_csrf(page), "action": "import", "file": (io.BytesIO(rows), "fel.jsonl")},
        content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert "Filen lästes inte in" in html and "Rad 3:" in html
    assert db.session.scalar(select(func.count(Objection.id))) == before
    db.session.expire_all()
    assert db.session.get(Case, world.case_a.id).status == CaseStatus.DISPUTED


def test_cli_render_writes_a_docx(world, app, tmp_path):
    world.case_a.assigned_jurist = world.jurist
    db.session.commit()
    out = tmp_path / "ansokan.docx"
    result = app.test_cli_runner().invoke(args=["filings", "render", "A-0001", "forlikning", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Förlikning" in _text(out.read_bytes()) or "FÖRLIKNING" in _text(out.read_bytes())
    missing = app.test_cli_runner().invoke(args=["filings", "render", "NOPE", "forlikning", "-o", str(out)])
    assert missing.exit_code != 0 and "Inget ärende" in missing.output


def test_imported_utslag_is_an_enforceable_title_with_deadlines(world):
    world.case_a.assigned_jurist = world.jurist
    walk(world.case_a, ("file_payment_order", {"filed_on": date(2026, 9, 1)}))
    db.session.commit()
    row = json.dumps({"kind": "utslag", "case_reference": world.case_a.reference, "kfm_case_number": "12-4-26",
                      "event_date": "2026-10-01"}).encode()
    services.kronofogden_import(row, world.jurist, date(2026, 11, 23))
    db.session.commit()
    case = db.session.get(Case, world.case_a.id)
    from app.facts.builder import case_facts
    assert case.status == CaseStatus.UTSLAG and case_facts(case).title.case_number == "12-4-26"
    from app.law.deadlines import utslag_reopening_deadline
    assert {d.code: d.due_on for d in case.deadlines}["utslag_reopening"] == utslag_reopening_deadline(date(2026, 10, 1))
    assert services.prepare(case, "verkstallighet", date(2026, 11, 23), world.jurist).title.case_number == "12-4-26"
