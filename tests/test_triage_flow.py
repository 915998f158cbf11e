"""Triage through the web UI: evidence, investigation, ability to pay, principle, decision, queue."""
from __future__ import annotations

import io
import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from app.cases.models import Case, TimelineEvent
from app.cases.status import CaseStatus
from app.extensions import db
from app.triage.kinds import OptionKind
from app.triage.models import Evidence, IssueGroup, TriageDecision
from app.triage.services import refresh_summary
from tests import factories
from tests.conftest import extract_csrf, form_tokens, login
from tests.test_uploads import docx_bytes


def post(client, url, data, **kw):
    return client.post(url, data={**form_tokens(client.get(url).get_data(as_text=True)), **data}, **kw)


def stored_files(app) -> list[Path]:
    root = Path(app.config["STORAGE_DIR"]) / "evidence"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_triage_page_shows_four_factors_options_and_recommendation(world, as_user):
    client = as_user(world.jurist)
    html = client.get(f"/triage/arende/{world.case_a.id}").get_data(as_text=True)
    for heading in ("Bevisläget", "Fordringsbeloppet", "Principiell betydelse", "Betalningsförmåga",
                    "Rekommendation:", "Förväntat netto"):
        assert heading in html
    for option in OptionKind:
        assert option.label in html
    assert "RB 1 kap. 3 d §" in html  # the track decision explains itself


def test_accepting_the_recommendation_records_decision_timeline_and_audit(world, as_user):
    client = as_user(world.jurist)
    url = f"/triage/arende/{world.case_a.id}"
    page = client.get(url).get_data(as_text=True)
    import re
    recommended = re.search(r'name="recommended" type="hidden" value="([a-z_]+)"', page).group(1)
    response = client.post(url, data={**form_tokens(page), "chosen": recommended,
                                      "recommended": recommended, "reason": ""})
    assert response.status_code == 302
    decision = db.session.scalars(select(TriageDecision)).one()
    assert decision.chosen == decision.recommended == OptionKind(recommended)
    assert decision.snapshot["recommended"] == recommended
    db.session.expire_all()
    case = db.session.get(Case, world.case_a.id)
    assert case.status != CaseStatus.DISPUTED and not case.collection_paused
    assert any("rekommendationen" in e.message for e in case.timeline)


def test_override_needs_a_reason(world, as_user):
    client = as_user(world.jurist)
    url = f"/triage/arende/{world.case_a.id}"
    page = client.get(url).get_data(as_text=True)
    import re
    recommended = re.search(r'name="recommended" type="hidden" value="([a-z_]+)"', page).group(1)
    other = next(o.value for o in OptionKind if o.value != recommended)
    refused = client.post(url, data={**form_tokens(page), "chosen": other,
                                     "recommended": recommended, "reason": " "})
    assert "Ange varför du avviker från rekommendationen." in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(TriageDecision.id))) == 0
    ok = client.post(url, data={**form_tokens(page), "chosen": other, "recommended": recommended,
                                "reason": "Fordringsägaren vill pröva frågan."})
    assert ok.status_code == 302
    decision = db.session.scalars(select(TriageDecision)).one()
    assert decision.overridden and decision.override_reason == "Fordringsägaren vill pröva frågan."


def test_evidence_upload_stored_and_downloadable_only_by_case_readers(world, app):
    jurist, reader, outsider = app.test_client(), app.test_client(), app.test_client()
    login(jurist, world.jurist)
    login(reader, world.user_a)
    login(outsider, world.user_b)
    uploaded = docx_bytes()  # built once: a zip carries its creation time
    data = {"kind": "contract", "title": "Avtal 2026-01-02", "dated": "2026-01-02",
            "proves": "Att avtal ingicks om elleverans.", "claim_line_ids": str(world.line_a.id),
            "file": (io.BytesIO(uploaded), "avtal.docx")}
    response = post(jurist, f"/triage/arende/{world.case_a.id}/bevis/nytt", data,
                    content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    evidence = db.session.scalars(select(Evidence).where(Evidence.title == "Avtal 2026-01-02")).one()
    assert evidence.original_name == "avtal.docx" and [line.id for line in evidence.claim_lines] == [world.line_a.id]
    url = f"/triage/arende/{world.case_a.id}/bevis/{evidence.id}/fil"
    assert reader.get(url).data == uploaded
    assert outsider.get(url).status_code == 404
    assert outsider.get(f"/triage/arende/{world.case_b.id}/bevis/{evidence.id}/fil").status_code == 404


def test_renamed_executable_refused_clearly_and_nothing_is_stored(world, as_user, app):
    client = as_user(world.jurist)
    before = stored_files(app)
    rows_before = db.session.scalar(select(func.count(Evidence.id)))
    data = {"kind": "invoice", "title": "Faktura", "proves": "Fordran", "claim_line_ids": str(world.line_a.id),
            "file": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200), "faktura.pdf")}
    response = post(client, f"/triage/arende/{world.case_a.id}/bevis/nytt", data, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Filen är ett program (körbar fil) och tas inte emot" in html
    assert 'value="Faktura"' in html  # input kept
    assert db.session.scalar(select(func.count(Evidence.id))) == rows_before
    assert stored_files(app) == before


def test_oversized_request_gets_swedish_413(world, as_user, app):
    client = as_user(world.jurist)
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        data = {"title": "x", "file": (io.BytesIO(b"%PDF-" + b"0" * 4096), "stor.pdf")}
        response = post(client, f"/triage/arende/{world.case_a.id}/bevis/nytt", data,
                        content_type="multipart/form-data")
        assert response.status_code == 413 and "För stor fil" in response.get_data(as_text=True)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 21 * 1024 * 1024


def test_investigation_step_moves_case_to_investigating(world, as_user):
    client = as_user(world.jurist)
    response = post(client, f"/triage/arende/{world.case_a.id}/bestridanden/{world.objection_a.id}/utredning",
                    {"kind": "asked_creditor", "on": "2026-05-06", "note": "Begärt avtal och leveransbevis."})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, world.case_a.id).status == CaseStatus.INVESTIGATING


def test_ability_record_refreshes_the_triage_summary(world, as_user):
    client = as_user(world.jurist)
    debtor_id = world.case_a.debtor_id
    response = post(client, f"/triage/galdenar/{debtor_id}/betalningsformaga/ny?arende={world.case_a.id}",
                    {"recorded_on": "2026-11-01", "source": "credit_report", "monthly_income": "32 000",
                     "payment_remarks": "0", "kfm_debt_total": "0", "known_assets": "150 000", "score": "85"})
    assert response.status_code == 302
    db.session.expire_all()
    case = db.session.get(Case, world.case_a.id)
    assert case.triage_recommendation is not None and case.triage_track == "simplified"
    assert case.debtor.latest_ability.monthly_income == Decimal("32000.00")


def test_bad_ability_input_is_explained(world, as_user):
    client = as_user(world.jurist)
    response = post(client, f"/triage/galdenar/{world.case_a.debtor_id}/betalningsformaga/ny",
                    {"recorded_on": "2026-13-01", "source": "credit_report", "score": "140",
                     "monthly_income": "-5"})
    html = response.get_data(as_text=True)
    assert "Ogiltigt datum" in html and "Kreditbetyget ska vara 0–100." in html and "negativt" in html


def test_test_case_group_decision_applies_to_members(world, as_user):
    client = as_user(world.jurist)
    assert post(client, "/triage/fragor/ny", {"name": "Villkor 7.2 elavtal",
                                               "question": "Är uppsägningsavgiften skälig?"}).status_code == 302
    group = db.session.scalars(select(IssueGroup).where(IssueGroup.name == "Villkor 7.2 elavtal")).one()
    other = factories.CaseFactory(creditor=world.creditor_a)
    db.session.commit()
    for case, test_case in ((world.case_a, "y"), (other, "")):
        data = {"issue_group_id": group.id, **({"test_case": test_case} if test_case else {})}
        assert post(client, f"/triage/arende/{case.id}/princip", data).status_code == 302
    db.session.expire_all()
    group = db.session.get(IssueGroup, group.id)
    assert group.test_case_id == world.case_a.id and len(group.cases) == 2
    html = client.get(f"/triage/arende/{world.case_a.id}").get_data(as_text=True)
    assert "Pilotmål (synnerlig betydelse)." in html
    response = post(client, f"/triage/fragor/{group.id}", {"decided_on": "2026-11-20",
                                                           "decision": "Avgiften skälig; driv vidare."})
    assert response.status_code == 302
    messages = db.session.scalars(select(TimelineEvent.message).where(TimelineEvent.kind == "group_decision")).all()
    assert len(messages) == 2 and all("Avgiften skälig" in m for m in messages)


def test_queue_orders_by_urgency_filters_and_bulk_assigns(world, as_user):
    client = as_user(world.jurist)
    soon = factories.CaseFactory(creditor=world.creditor_a, reference="Q-SOON", triage_urgent_on=date.today())
    later = factories.CaseFactory(creditor=world.creditor_b, reference="Q-LATER",
                                  triage_urgent_on=date.today() + timedelta(days=90))
    done = factories.CaseFactory(creditor=world.creditor_a, reference="Q-DONE", status=CaseStatus.PAID)
    db.session.commit()
    html = client.get("/triage/").get_data(as_text=True)
    assert html.index("Q-SOON") < html.index("Q-LATER") and "Q-DONE" not in html
    only_b = client.get(f"/triage/?fordringsagare={world.creditor_b.id}").get_data(as_text=True)
    assert "Q-LATER" in only_b and "Q-SOON" not in only_b
    token = extract_csrf(html)
    response = client.post("/triage/tilldela", data={"csrf_token": token, "jurist_id": world.jurist.id,
                                                     "case_ids": [str(soon.id), str(later.id), str(done.id)]})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Case, soon.id).assigned_jurist_id == world.jurist.id
    assert db.session.get(Case, later.id).assigned_jurist_id == world.jurist.id
    assert db.session.get(Case, done.id).assigned_jurist_id is None  # not awaiting triage


def test_queue_pages_run_from_the_dated_cases_into_the_undated(world, as_user, app, monkeypatch):
    """The undated cases come after every dated one, across the page boundary."""
    monkeypatch.setitem(app.config, "CASES_PER_PAGE", 2)
    for case in (world.case_a, world.case_b):  # the world's cases: dated far ahead
        case.triage_urgent_on = date.today() + timedelta(days=400)
    for n in range(3):
        factories.CaseFactory(creditor=world.creditor_a, reference=f"Q-D{n}",
                              triage_urgent_on=date.today() + timedelta(days=n))
    for n, net in enumerate(("900.00", "100.00")):
        factories.CaseFactory(creditor=world.creditor_a, reference=f"Q-U{n}", triage_urgent_on=None,
                              triage_expected_net=Decimal(net))
    db.session.commit()
    client = as_user(world.jurist)
    order = []
    for page in (1, 2, 3, 4):
        html = client.get(f"/triage/?sida={page}").get_data(as_text=True)
        order += re.findall(r">((?:Q-[DU]\d)|A-0001|B-0001)<", html)
    assert order == ["Q-D0", "Q-D1", "Q-D2", "A-0001", "B-0001", "Q-U0", "Q-U1"] or \
        order == ["Q-D0", "Q-D1", "Q-D2", "B-0001", "A-0001", "Q-U0", "Q-U1"], order


def test_summary_is_refreshed_when_claim_lines_change(world):
    case = world.case_a
    refresh_summary(case)
    small = case.triage_claim_value
    factories.ClaimLineFactory(case=case, capital=Decimal("60000.00"))
    from app.cases.services import facts_changed
    facts_changed(case)
    assert case.triage_claim_value > small and case.triage_track == "ordinary"
