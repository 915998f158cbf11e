"""Filings from case records through the app: generate, dedupe, refuse, download, bulk, Kronofogden files."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import docx
import pytest
from sqlalchemy import func, select

from app.cases.models import Case, Objection
from app.cases.status import CaseStatus
from app.core.clock import today
from app.documents import services
from app.documents.models import BulkJob, GeneratedDocument, JobStatus
from app.extensions import db
from app.law.fees import court_fee
from app.law.formatting import format_sek
from app.law.track import Track
from tests import factories
from tests.conftest import extract_csrf, login


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
    db.session.commit()
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
    assert "6 § räntelagen (1975:635)" in text                      # dröjsmålsränta and its ground
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
    case = factories.CaseFactory(creditor=world.creditor_a)
    factories.ClaimLineFactory(case=case)
    db.session.commit()
    url = f"/dokument/arende/{case.id}/stamningsansokan"
    page = client.get(url).get_data(as_text=True)
    assert "Handlingen kan inte upprättas ännu" in page and "Bevisuppgift" in page
    client.post(url, data={"csrf_token": extract_csrf(page)})
    assert db.session.scalar(select(func.count(GeneratedDocument.id)).where(GeneratedDocument.case_id == case.id)) == 0


def test_verkstallighet_needs_an_enforceable_title(world):
    with pytest.raises(services.CannotGenerate, match="exekutionstitel"):
        services.prepare(world.case_a, "verkstallighet", date(2026, 11, 23), world.jurist)
    world.case_a.kfm_case_number, world.case_a.utslag_on = "12-345678-26", date(2026, 10, 1)
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


@pytest.mark.worker
def test_bulk_job_through_the_web_and_a_real_worker(world, worker, as_user):
    import time

    cases = _bulk_cases(world, 4)
    client = as_user(world.jurist)
    page = client.get("/dokument/massutskick").get_data(as_text=True)
    response = client.post("/dokument/massutskick", data={
        "csrf_token": extract_csrf(page), "kind": "forlikning", "case_ids": [str(c.id) for c in cases]})
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
    db.session.commit()
    row = json.dumps({"kind": "utslag", "case_reference": world.case_a.reference, "kfm_case_number": "12-4-26",
                      "event_date": "2026-10-01"}).encode()
    services.kronofogden_import(row, world.jurist, date(2026, 11, 23))
    db.session.commit()
    case = db.session.get(Case, world.case_a.id)
    assert case.status == CaseStatus.UTSLAG and case.enforceable_outcome.case_number == "12-4-26"
    from app.law.deadlines import utslag_reopening_deadline
    assert {d.code: d.due_on for d in case.deadlines}["utslag_reopening"] == utslag_reopening_deadline(date(2026, 10, 1))
    assert services.prepare(case, "verkstallighet", date(2026, 11, 23), world.jurist).title.case_number == "12-4-26"
