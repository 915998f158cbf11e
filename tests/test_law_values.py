"""Legal values maintained in the app: past 31 December without a release.

With the clock at 2027-01-05 and no 2027 values every page answers with a Swedish message (no 500);
after one admin proposes and another approves the 2027 values, the same computations use them.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.api.auth import create_token
from app.audit.models import AuditEntry
from app.core.clock import set_today
from app.documents import services as documents
from app.documents.models import KIND_LABELS, JobStatus
from app.extensions import db
from app.hearings.models import Notification
from app.hearings.services import ledger
from app.lawvalues import services
from app.lawvalues.models import LawValue, LawValueState
from tests import factories
from tests.conftest import extract_csrf, login

JANUARY = date(2027, 1, 5)
NOTICE = "ränta beräknad t.o.m. 2026-12-31; referensräntan från 2027-01-01 saknas"
# Test values only (what the tests propose); nothing here is shipped.
VALUES_2027 = [("prisbasbelopp.prisbasbelopp", "60000", "verified"),
               ("referensranta.referensranta", "1,50", "verified"),
               ("timkostnadsnorm.timkostnadsnorm", "1650", "to_verify")]


@pytest.fixture
def january(world):
    """The world on 2027-01-05, with a case at the stage of the course where each filing kind fits
    (``world.at_stage[kind]``; given the law values, every one can be made)."""
    world.admin2 = factories.UserFactory(role="admin", email="admin2@example.se")
    world.creditor_a.approval_not_required_up_to = Decimal("100000.00")  # no portal round trip here
    world.at_stage = {kind: _case_at_stage(world, kind) for kind in KIND_LABELS}
    db.session.commit()
    set_today(JANUARY)
    return world


# The steps (taken in 2026, while the 2026 values cover everything) that bring a case to where each kind fits.
_STAGES = {
    "stamningsansokan": [("propose_litigation", {"track": "simplified"})],
    "betalningsforelaggande": [],
    "overlamnande": [("file_payment_order", {"filed_on": date(2026, 11, 2)}),
                     ("register_kfm_objection", {"kfm_objection_notified_on": date(2026, 12, 20)})],
    "verkstallighet": [("file_payment_order", {"filed_on": date(2026, 11, 2)}),
                       ("register_utslag", {"utslag_on": date(2026, 12, 10), "court_case_number": "KFM-1"})],
    "kostnadsrakning": [("file_payment_order", {"filed_on": date(2026, 11, 2)}),
                        ("register_kfm_objection", {"kfm_objection_notified_on": date(2026, 12, 1)}),
                        ("request_transfer", {"transfer_requested_on": date(2026, 12, 15)}),
                        ("start_preparation", {"court_case_number": "T 1-27"})],
    "forlikning": [],
}


def _case_at_stage(world, kind: str):
    from app.triage.kinds import EvidenceKind
    from app.triage.services import add_evidence
    from tests.course_helpers import walk

    case = factories.CaseFactory(creditor=world.creditor_a, reference=f"STAGE-{kind[:12]}", kfm_case_number="KFM-1")
    line = factories.ClaimLineFactory(case=case, capital=Decimal("9000.00"))
    add_evidence(case, world.jurist, kind=EvidenceKind.INVOICE, title="Faktura", dated=date(2026, 3, 1),
                 proves="Att tjänsten fakturerades.", claim_line_ids=[line.id], upload=None)
    return walk(case, *_STAGES[kind])


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _propose(client, code: str, value: str, valid_from: str = "2027-01-01", verification: str = "to_verify"):
    page = client.get("/admin/rattsregler/nytt-varde").get_data(as_text=True)
    return client.post("/admin/rattsregler/nytt-varde", data={
        "csrf_token": extract_csrf(page), "series_code": code, "valid_from": valid_from, "value": value,
        "source": "Testkälla (inte verklig)", "source_url": "https://example.test/kalla",
        "verification": verification, "note": ""})


def _decide(client, row_id: int, action: str = "godkann"):
    token = extract_csrf(client.get("/admin/rattsregler").get_data(as_text=True))
    return client.post(f"/admin/rattsregler/varden/{row_id}/{action}", data={"csrf_token": token},
                       follow_redirects=True)


def _row(code: str) -> LawValue:
    table, key = code.split(".")
    return db.session.scalars(select(LawValue).where(LawValue.table_name == table, LawValue.series_key == key)
                              .order_by(LawValue.id.desc())).first()


def _approve_2027(app, world) -> None:
    proposer, approver = _client(app, world.admin), _client(app, world.admin2)
    for code, value, verification in VALUES_2027:
        assert _propose(proposer, code, value, verification=verification).status_code == 302
        assert "är godkänt och gäller nu" in _decide(approver, _row(code).id).get_data(as_text=True)


def test_without_2027_values_every_page_answers_in_swedish(app, january, as_user):
    world = january
    client = as_user(world.jurist)
    case_page = client.get(f"/arenden/{world.case_a.id}")
    html = case_page.get_data(as_text=True)
    assert case_page.status_code == 200 and NOTICE in html and "rattsligt-varde-saknas" in html  # banner + Reskontra
    balance = ledger(world.case_a, JANUARY)
    assert balance.interest_missing == NOTICE and balance.interest_rate is None

    triage = client.get(f"/triage/arende/{world.case_a.id}", follow_redirects=True)
    assert triage.status_code == 200 and "Triage kan inte beräknas: Rättsligt värde saknas" in triage.get_data(as_text=True)
    assert client.get("/triage/").status_code == 200

    refused = {}
    for kind in KIND_LABELS:
        response = client.get(f"/dokument/arende/{world.at_stage[kind].id}/{kind}")
        assert response.status_code == 200, kind
        page = response.get_data(as_text=True)
        refused[kind] = "Handlingen kan inte upprättas ännu" in page
        if refused[kind]:
            assert "Rättsligt värde saknas" in page and "under Rättsregler" in page, kind
    # verkställighet needs only the (open-coverage) Kronofogden fee; every other kind a 2027 value
    assert refused == {kind: kind != "verkstallighet" for kind in KIND_LABELS}

    job = documents.create_bulk_job("forlikning", [world.case_a.id], world.jurist, JANUARY)
    db.session.commit()
    documents.run_bulk_job(job.id)
    assert (job.status, job.done, job.failed) == (JobStatus.DONE, 0, 1)
    assert job.errors[0]["problems"][0].startswith("Rättsligt värde saknas: Referensränta (procent), halvåret 2027")

    _, token = create_token(world.creditor_a, "System", world.admin)
    db.session.commit()
    from tests.test_api import auth, claim

    answer = app.test_client().post("/api/cases", json={"cases": [claim("EXT-27")]}, headers=auth(token))
    assert answer.status_code == 422
    detail = answer.json["error"]["detail"]
    assert "Rättsligt värde saknas" in detail and "Rättsregler" in detail and "Inget har sparats" in detail
    assert "Traceback" not in detail and ".toml" not in detail

    creditor = _client(app, world.user_a)  # the creditor's portal shows the case, without a recommendation yet
    assert creditor.get(f"/portal/arenden/{world.case_a.id}").status_code == 200
    assert creditor.get(f"/arenden/{world.case_a.id}").status_code == 200


def test_after_two_admins_add_the_2027_values_the_same_computations_use_them(app, january, as_user):
    world = january
    _approve_2027(app, world)
    client = as_user(world.jurist)
    html = client.get(f"/arenden/{world.case_a.id}").get_data(as_text=True)
    assert NOTICE not in html and "rattsligt-varde-saknas" not in html
    balance = ledger(world.case_a, JANUARY)
    assert balance.interest_missing is None and balance.interest_rate == Decimal("9.50")
    assert client.get(f"/triage/arende/{world.case_a.id}").status_code == 200
    for kind in KIND_LABELS:
        page = client.get(f"/dokument/arende/{world.at_stage[kind].id}/{kind}").get_data(as_text=True)
        assert "Detta kommer att ges in" in page, (kind, page[page.find("flash-error"):][:600])
        if kind == "kostnadsrakning":  # the timkostnadsnorm 2027 was proposed as to_verify: flagged
            assert "att-verifiera" in page and "Timkostnadsnorm" in page and "tillagt i appen" in page
        else:
            assert "tillagt i appen" not in page
    job = documents.create_bulk_job("forlikning", [world.case_a.id], world.jurist, JANUARY)
    db.session.commit()
    documents.run_bulk_job(job.id)
    assert (job.done, job.failed) == (1, 0)
    tables_page = _client(app, world.admin).get("/admin/rattsregler").get_data(as_text=True)
    assert "Tillagd i appen" in tables_page and "https://example.test/kalla" in tables_page


def test_an_admin_cannot_approve_their_own_value(app, january):
    world = january
    proposer = _client(app, world.admin)
    _propose(proposer, "referensranta.referensranta", "1,50")
    row = _row("referensranta.referensranta")
    page = _decide(proposer, row.id).get_data(as_text=True)
    assert "Du kan inte godkänna ett värde som du själv har föreslagit" in page
    db.session.refresh(row)
    assert row.state == LawValueState.PROPOSED and ledger(world.case_a, JANUARY).interest_missing == NOTICE
    with pytest.raises(services.LawValueRefused):
        services.approve(row, world.admin)
    with pytest.raises(services.LawValueRefused):  # nor can a jurist
        services.approve(row, world.jurist)
    assert "godkänt och gäller nu" in _decide(_client(app, world.admin2), row.id).get_data(as_text=True)


def test_propose_approve_withdraw_are_audited(app, january):
    world = january
    _propose(_client(app, world.admin), "prisbasbelopp.prisbasbelopp", "60 000", verification="verified")
    row = _row("prisbasbelopp.prisbasbelopp")
    second = _client(app, world.admin2)
    _decide(second, row.id)
    _decide(second, row.id, "aterkalla")
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "LawValue",
                                                          AuditEntry.entity_id == row.id).order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor_id) for e in entries] == [("create", world.admin.id), ("update", world.admin2.id),
                                                         ("update", world.admin2.id)]
    assert entries[0].after["value_text"] == "60000" and entries[0].after["state"] == "proposed"
    assert entries[1].after["state"] == "approved" and entries[2].after["state"] == "withdrawn"
    services.ensure_current()
    from app.law.errors import LawDataMissing
    from app.law.tables import prisbasbelopp

    with pytest.raises(LawDataMissing):  # withdrawn: no longer in effect
        prisbasbelopp(2027)


def test_proposals_are_checked_like_the_files(app, january):
    world = january
    client = _client(app, world.admin)
    for code, value, valid_from, message in [
        ("referensranta.referensranta", "1,50", "2027-03-01", "ange 1 januari eller 1 juli"),
        ("prisbasbelopp.prisbasbelopp", "60000", "2026-01-01", "måste gälla från en senare dag"),
        ("time_limits.appeal_judgment", "2,5", "2027-01-01", "positivt heltal"),
        ("prisbasbelopp.prisbasbelopp", "sextio", "2027-01-01", "inte ett tal"),
    ]:
        page = _propose(client, code, value, valid_from).get_data(as_text=True)
        assert message in page, (code, valid_from)
    assert db.session.scalar(select(LawValue.id)) is None
    # a half-year after a gap may be proposed but not approved before the gap is filled
    _propose(client, "referensranta.referensranta", "1,50", "2027-07-01")
    later = _row("referensranta.referensranta")
    page = _decide(_client(app, world.admin2), later.id).get_data(as_text=True)
    assert "halvåret 2027-01-01–2027-06-30 måste godkännas först" in page


def test_a_value_added_in_the_app_crosses_the_half_year_boundary_in_the_ledger(app, january):
    world = january
    line = world.line_a
    line.capital, line.due_date = Decimal("10000.00"), date(2026, 12, 1)
    db.session.commit()
    before = ledger(world.case_a, date(2027, 2, 1))
    assert before.interest == Decimal("84.93") and before.interest_missing == NOTICE  # stops 2026-12-31
    _propose(_client(app, world.admin), "referensranta.referensranta", "1,50")
    _decide(_client(app, world.admin2), _row("referensranta.referensranta").id)
    services.ensure_current()
    after = ledger(world.case_a, date(2027, 2, 1))
    # December at 2.00 + 8 = 10 %, January at the added 1.50 + 8 = 9.5 %
    assert after.interest == Decimal("84.93") + Decimal("80.68") and after.interest_missing is None


def test_warning_window_on_the_admin_start_page_and_the_nightly_job(app, world, as_user):
    # this app's own Celery instance (another test may have made a newer one the default)
    warn_missing_law_values = app.extensions["celery"].tasks["lawvalues.warn_missing"]
    admin = as_user(world.admin)
    set_today(date(2026, 11, 1))
    assert "Rättsliga värden saknas" not in admin.get("/arenden/").get_data(as_text=True)
    assert warn_missing_law_values()["notified"] == 0
    set_today(date(2026, 11, 2))  # 60 days before 1 January
    page = admin.get("/arenden/").get_data(as_text=True)
    assert "Rättsliga värden saknas" in page and "Prisbasbelopp, år 2027" in page
    assert "halvåret 2027-01-01–2027-06-30" in page and "Timkostnadsnorm" in page
    result = warn_missing_law_values()
    assert len(result["missing"]) == 3 and result["notified"] == 3  # one admin, three values
    assert warn_missing_law_values()["notified"] == 0  # idempotent
    notes = db.session.scalars(select(Notification.message).where(Notification.user_id == world.admin.id)).all()
    assert any("Referensränta (procent), halvåret 2027-01-01" in n for n in notes)
    assert "Rättsliga värden saknas" not in _client(app, world.jurist).get("/arenden/").get_data(as_text=True)


def test_cli_add_pending_approve(app, january):
    world = january
    runner = app.test_cli_runner()
    added = runner.invoke(args=["law", "add", "referensranta.referensranta", "2027-01-01", "1.50",
                                "--source", "Sveriges riksbank (test)", "--by", world.admin.email])
    assert added.exit_code == 0, added.output
    row = _row("referensranta.referensranta")
    assert f"#{row.id}" in runner.invoke(args=["law", "pending"]).output
    own = runner.invoke(args=["law", "approve", str(row.id), "--by", world.admin.email])
    assert own.exit_code != 0 and "fyra ögon" in own.output
    ok = runner.invoke(args=["law", "approve", str(row.id), "--by", world.admin2.email])
    assert ok.exit_code == 0 and "approved" in ok.output
    listing = runner.invoke(args=["law", "tables"]).output
    assert "2027-01-01" in listing and "[tillagd i appen]" in listing and "Avräkningsordning" in listing
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "LawValue")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.actor_id == world.admin2.id


@pytest.mark.worker
def test_an_approval_reaches_a_celery_worker_that_already_memoised_the_old_tables(app, january, worker):
    world = january
    run_chunk = worker.tasks["documents.run_bulk_chunk"]

    def bulk_in_worker() -> tuple[int, int]:
        job = documents.create_bulk_job("betalningsforelaggande", [world.case_a.id], world.jurist, JANUARY)
        db.session.commit()
        run_chunk.delay(job.chunks[0].id).get(timeout=90)
        db.session.expire_all()
        return job.done, job.failed

    assert bulk_in_worker() == (0, 1), worker.log_path.read_text()[-2000:]  # the worker has no 2027 rate
    row = services.propose(world.admin, series_code="referensranta.referensranta", valid_from=date(2027, 1, 1),
                           value=Decimal("1.50"), source="Testkälla", verification="verified")
    services.approve(row, world.admin2)
    db.session.commit()
    assert bulk_in_worker() == (1, 0), worker.log_path.read_text()[-2000:]  # another process: reloaded
