"""One case, one truth (step 10): each observed disagreement between triage, deadlines, the ledger and
the filings, reproduced through the database (and the real forms where a jurist meets it)."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import docx
import pytest

from app.cases.models import Case
from app.cases.services import facts_changed
from app.cases.status import CaseStatus
from app.course.guards import filing_refusal
from app.documents import services as documents
from app.extensions import db
from app.facts.builder import case_facts
from app.facts.filing import court_track
from app.hearings.services import StepRefused, ledger, scan_deadlines
from app.law.deadlines import final_on
from app.law.fees import court_fee
from app.law.track import Track
from app.triage.kinds import EvidenceKind, OptionKind
from app.triage.services import add_evidence, evaluate
from tests import factories
from tests.conftest import login
from tests.course_helpers import approve, post_step, walk


def fresh(case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


def new_case(world, *lines, status=CaseStatus.INVESTIGATING, **fields) -> Case:
    case = factories.CaseFactory(creditor=world.creditor_a, status=status, assigned_jurist=world.jurist, **fields)
    for invoice_date, due_date, capital, extra in lines:
        factories.ClaimLineFactory(case=case, invoice_date=invoice_date, due_date=due_date, capital=capital, **extra)
    facts_changed(case)  # as the claim-line form does: total, triage summary, deadlines
    db.session.commit()
    return case


def text_of(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [" | ".join(c.text for c in row.cells) for t in document.tables for row in t.rows]
    return "\n".join(parts)


def filing_text(case, kind, on, actor) -> str:
    document, _ = documents.generate(case, kind, on, actor)
    db.session.commit()
    return text_of(documents.storage.path_of(document.stored_name).read_bytes())


def to_court(case, world, filed_on=date(2026, 9, 1), *, prepared=True):
    walk(case, ("propose_litigation", {"track": "simplified"}))
    approve(case, world.user_a)
    walk(case, ("file_summons", {"filed_on": filed_on}))
    if prepared:
        walk(case, ("start_preparation", {"court_case_number": "T 77-26"}))
    return case


# --- 1. Triage reads the recorded interruptions, the Kronofogden stage and the set-off -------------------

def test_triage_honours_a_recorded_interruption_and_the_kfm_stage_and_setoff(world, as_user):
    case = new_case(world, (date(2023, 6, 1), date(2023, 7, 1), Decimal("8000.00"), {}), consumer_claim=True,
                    limitation_interruptions=["2024-12-01"])
    result = evaluate(case, date(2026, 12, 2))
    assert result.limitation_date == date(2027, 12, 1)  # the date the Frister page shows
    assert "preskriberad" not in result.explanation
    assert next(o for o in result.options if o.kind is OptionKind.SUMMONS_SIMPLIFIED).available
    assert "preskriberad" not in as_user(world.jurist).get(f"/triage/arende/{case.id}").get_data(as_text=True)
    assert {d.code: d.due_on for d in fresh(case).open_deadlines}["limitation"] == date(2027, 12, 1)

    walk(case, ("file_payment_order", {"filed_on": date(2026, 11, 1)}),
         ("register_kfm_objection", {"kfm_objection_notified_on": date(2026, 11, 20)}))
    payment_order = next(o for o in evaluate(case, date(2026, 12, 2)).options if o.kind is OptionKind.PAYMENT_ORDER)
    assert not payment_order.available and "Kronofogden" in payment_order.explanation

    without = evaluate(case, date(2026, 12, 2)).claim_value
    factories.ObjectionFactory(case=case, setoff_amount=Decimal("1500.00"))
    db.session.flush()
    assert evaluate(case, date(2026, 12, 2)).claim_value - without == Decimal("1500.00")  # NJA 1990 s. 770


# --- 2. The dom is the ledger's basis, and the verkställighet says the same ---------------------------

def test_a_dom_replaces_the_invoices_in_the_ledger_and_the_verkstallighet(world):
    case = new_case(world, (date(2026, 1, 10), date(2026, 2, 9), Decimal("21650.50"), {}))
    to_court(case, world)
    walk(case, ("register_judgment", {"judgment_on": date(2026, 11, 2), "court_case_number": "T 77-26",
                                      "awarded_capital": Decimal("20000.00"), "interest_from": date(2026, 3, 1),
                                      "awarded_costs": Decimal("1500.00")}),
         ("register_final", {"final_on": final_on(date(2026, 11, 2))}))
    balance = ledger(case, date(2026, 12, 2))
    assert balance.capital == Decimal("20000.00") and balance.costs == Decimal("1500.00")
    # Interest on the awarded 20 000 from 2026-03-01 and on the costs from the dom, not on 21 650,50.
    expected = (Decimal("20000.00") * Decimal("0.10") * 276 / 365
                + Decimal("1500.00") * Decimal("0.10") * 30 / 365).quantize(Decimal("0.01"))
    assert abs(balance.interest - expected) <= Decimal("0.02")
    data = documents.prepare(case, "verkstallighet", date(2026, 12, 2), world.jurist)
    awarded = {line.label: (line.amount, line.interest_from) for line in data.awarded}
    assert awarded["Kapitalbelopp"] == (Decimal("20000.00"), date(2026, 3, 1))
    assert awarded["Rättegångskostnader"] == (Decimal("1500.00"), date(2026, 11, 2))
    assert Decimal("21650.50") not in [line.amount for line in data.awarded]


# --- 3. Deadlines close when their stage is over ---------------------------------------------------

def test_deadlines_are_met_or_superseded_and_leave_the_page_feed_and_job(world, as_user):
    case = new_case(world, (date(2026, 1, 10), date(2026, 2, 9), Decimal("9000.00"), {}))
    walk(case, ("file_payment_order", {"filed_on": date(2026, 9, 1)}),
         ("register_kfm_service", {"kfm_served_on": date(2026, 9, 10)}),
         ("register_kfm_objection", {"kfm_objection_notified_on": date(2026, 9, 20)}),
         ("request_transfer", {"transfer_requested_on": date(2026, 10, 1)}),
         ("start_preparation", {"court_case_number": "T 9-26"}),
         ("register_judgment", {"judgment_on": date(2026, 11, 2), "court_case_number": "T 9-26",
                                "awarded_capital": Decimal("9000.00")}))
    assert {d.code for d in fresh(case).open_deadlines} == {"appeal", "final", "limitation"}
    walk(fresh(case), ("register_final", {"final_on": final_on(date(2026, 11, 2))}))
    db.session.commit()
    case = fresh(case)
    states = {d.code: (d.state, d.closed_by) for d in case.deadlines}
    assert states["answer"] == ("met", "register_kfm_objection")
    assert states["transfer_request"] == ("met", "request_transfer")
    assert states["appeal"] == ("met", "register_final") and states["final"][0] == "met"
    assert [d.code for d in case.open_deadlines] == ["limitation"]
    client = as_user(world.jurist)
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True).split('id="forlopp"')[1].split("</section>")[0]
    for gone in ("Förklaringstid hos Kronofogden", "Begäran om överlämnande", "Överklagandefrist"):
        assert gone not in html
    frister = client.get("/frister/?alla=1&dagar=365").get_data(as_text=True)
    assert "Förklaringstid hos Kronofogden" not in frister and "Överklagandefrist" not in frister
    flagged = scan_deadlines(date(2026, 9, 25), within_days=30)
    assert flagged["flagged"] == 0  # the closed förklaringstid and transfer deadline are not reminded of


# --- 4. Laga kraft not before the appeal time, unless a nöjdförklaring is recorded ----------------------

def test_laga_kraft_before_the_appeal_time_is_refused_unless_waived(world, as_user):
    case = new_case(world, (date(2026, 1, 10), date(2026, 2, 9), Decimal("9000.00"), {}))
    to_court(case, world)
    walk(case, ("register_judgment", {"judgment_on": date(2026, 11, 25), "court_case_number": "T 77-26",
                                      "awarded_capital": Decimal("9000.00")}))
    db.session.commit()
    client = as_user(world.jurist)
    refused = post_step(client, case, "register_final", {"final_on": "2026-12-02"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "tidigast 2026-12-17" in page
    assert fresh(case).status == CaseStatus.JUDGMENT
    accepted = post_step(client, fresh(case), "register_final", {"final_on": "2026-12-02", "waiver_on": "2026-12-01"})
    assert accepted.status_code == 302 and fresh(case).status == CaseStatus.FINAL
    assert fresh(case).outcomes[-1].waiver_on == date(2026, 12, 1)


# --- 5. Steps that fit the kind of judgment ----------------------------------------------------------

def test_after_an_ordinary_dom_no_tredskodom_steps_and_after_enforcement_on_a_dom_no_utslag_steps(world, as_user):
    case = new_case(world, (date(2026, 1, 10), date(2026, 2, 9), Decimal("9000.00"), {}))
    to_court(case, world)
    walk(case, ("register_judgment", {"judgment_on": date(2026, 10, 1), "court_case_number": "T 77-26",
                                      "awarded_capital": Decimal("9000.00")}))
    db.session.commit()
    client = as_user(world.jurist)
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "tredskodomen" not in html.split('id="forlopp"')[1].split("</section>")[0]
    response = post_step(client, case, "register_default_judgment_service", {"default_judgment_served_on": "2026-10-05"})
    assert response.status_code == 422 and "bara en tredskodom" in response.get_data(as_text=True)
    walk(fresh(case), ("register_final", {"final_on": final_on(date(2026, 10, 1))}),
         ("apply_enforcement", {"enforceable_title": "judgment", "enforcement_applied_on": date(2026, 11, 1)}))
    db.session.commit()
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    steps = html.split('id="forlopp"')[1].split("</section>")[0]
    assert "återvinning av utslaget" not in steps and "tredskodomen" not in steps
    with pytest.raises(StepRefused, match="bara ett utslag"):
        walk(fresh(case), ("register_utslag_reopening", {"utslag_on": date(2026, 10, 1),
                                                          "reopening_applied_on": date(2026, 11, 5)}))


# --- 6. No award above the claim (RB 17:3) --------------------------------------------------------------

def test_a_dom_above_the_claim_is_refused(world, as_user):
    case = new_case(world, (date(2026, 1, 10), date(2026, 2, 9), Decimal("9999.50"), {}))
    to_court(case, world)
    db.session.commit()
    response = post_step(as_user(world.jurist), case, "register_judgment", {
        "judgment_on": "2026-11-02", "court_case_number": "T 77-26", "awarded_capital": "50 000"})
    assert response.status_code == 422 and "17 kap. 3 §" in response.get_data(as_text=True)
    assert not fresh(case).outcomes and fresh(case).status == CaseStatus.PREPARATION


# --- 7. Court only with the creditor's approval; bulk only where the filing fits -----------------------

def test_summons_waits_for_the_creditor_and_bulk_refuses_cases_the_filing_does_not_fit(world, as_user):
    case = new_case(world, (date(2026, 1, 10), date(2026, 2, 9), Decimal("9000.00"), {}))
    walk(case, ("propose_litigation", {"track": "simplified"}))
    db.session.commit()
    client = as_user(world.jurist)
    refused = post_step(client, case, "file_summons", {"filed_on": "2026-12-01"})
    assert refused.status_code == 422 and "inte godkänt" in refused.get_data(as_text=True)
    assert filing_refusal("stamningsansokan", case_facts(fresh(case)))
    world.creditor_a.approval_not_required_up_to = Decimal("10000.00")  # an admin's standing approval
    db.session.commit()
    assert post_step(client, fresh(case), "file_summons", {"filed_on": "2026-12-01"}).status_code == 302
    assert fresh(case).filing_records[0].kind == "summons"

    paid = new_case(world, (date(2026, 1, 10), date(2026, 2, 9), Decimal("500.00"), {}), status=CaseStatus.PAID)
    waiting = new_case(world, (date(2026, 1, 10), date(2026, 2, 9), Decimal("500.00"), {}))
    preview = documents.bulk_preview("stamningsansokan", [paid.id, waiting.id, case.id])
    assert preview.allowed_ids == [case.id] and preview.refused_count == 2
    _, errors = documents.generate_many([paid], "stamningsansokan", date(2026, 12, 2), world.jurist)
    assert errors and "Betald" in errors[0]["problems"][0]
    db.session.commit()
    page = client.post("/dokument/massutskick", data={
        "csrf_token": _csrf(client), "kind": "stamningsansokan", "case_ids": [str(paid.id), str(waiting.id)],
        "action": "start"}).get_data(as_text=True)
    assert "inget jobb startades" in page and f"/arenden/{paid.id}" in page
    creditor = client.application.test_client()
    login(creditor, world.user_a)
    assert "Ingivet" not in creditor.get(f"/portal/arenden/{paid.id}").get_data(as_text=True)
    assert "Ingivet" in creditor.get(f"/portal/arenden/{case.id}").get_data(as_text=True)


def _csrf(client) -> str:
    from tests.conftest import extract_csrf

    return extract_csrf(client.get("/dokument/massutskick").get_data(as_text=True))


# --- 8. Internal notes never reach a filing; the objections are answered -------------------------------

def test_the_stamningsansokan_states_the_court_grounds_and_answers_the_objection_never_the_notes(world):
    case = new_case(world, (date(2026, 1, 10), date(2026, 2, 9), Decimal("9000.00"), {}),
                    description="INTERN: gäldenären verkar pressad, pröva förlikning först.")
    factories.ObjectionFactory(case=case, text="Jag har redan betalat.",
                               response="Betalningen avsåg en annan faktura (bilaga 2).")
    add_evidence(case, world.jurist, kind=EvidenceKind.INVOICE, title="Faktura", dated=date(2026, 1, 10),
                 proves="Att tjänsten fakturerades.", claim_line_ids=[case.claim_lines[0].id], upload=None)
    to_court(case, world, prepared=False)
    text = filing_text(case, "stamningsansokan", date(2026, 12, 2), world.jurist)
    assert "INTERN" not in text and "pressad" not in text
    assert "Jag har redan betalat" in text and "Betalningen avsåg en annan faktura" in text
    case.court_grounds = "Svaranden beställde tjänsten den 2 januari 2026 per telefon."
    db.session.commit()
    assert "beställde tjänsten den 2 januari 2026" in filing_text(case, "stamningsansokan", date(2026, 12, 2),
                                                                 world.jurist)


# --- 9. The kostnadsräkning uses what the filing fixed ---------------------------------------------------

def test_kostnadsrakning_keeps_the_filed_track_the_paid_fee_and_the_cap(world):
    case = new_case(world, (date(2025, 10, 1), date(2025, 10, 31), Decimal("28000.00"), {}))
    to_court(case, world, filed_on=date(2026, 1, 15))
    assert court_track(case_facts(case), date(2026, 9, 15)).track is Track.SIMPLIFIED  # interest since: > 29 600
    data = documents.prepare(case, "kostnadsrakning", date(2026, 9, 15), world.jurist)
    lines = {line.label: line for line in data.lines}
    assert data.capped and lines["Ansökningsavgift"].claimed == court_fee(Track.SIMPLIFIED, date(2026, 1, 15))
    assert lines["Rådgivning/ombudsarvode"].claimed == Decimal("1626.00")  # one hour at the 2026 norm

    transferred = new_case(world, (date(2026, 1, 10), date(2026, 2, 9), Decimal("9000.00"), {}))
    walk(transferred, ("file_payment_order", {"filed_on": date(2026, 9, 1)}),
         ("register_kfm_objection", {"kfm_objection_notified_on": date(2026, 9, 20)}),
         ("request_transfer", {"transfer_requested_on": date(2026, 10, 1)}),
         ("start_preparation", {"court_case_number": "T 88-26"}))
    costs = documents.prepare(transferred, "kostnadsrakning", date(2026, 12, 2), world.jurist)
    kfm = {line.label: line.claimed for line in costs.lines}["Kostnader hos Kronofogden"]
    assert kfm == Decimal("680.00")  # 300 + 380 of the betalningsföreläggande stage


# --- 10. Fees only on their recorded basis; räntelagen 3 § or 4 § per line ---------------------------------

def test_collection_charges_need_their_basis_and_interest_follows_4_paragraph(world):
    case = new_case(world, (date(2026, 1, 10), date(2026, 2, 9), Decimal("9000.00"), {"due_date_agreed": False}),
                    reminder_fee_agreed=True, consumer_claim=True)
    data = documents.prepare(case, "betalningsforelaggande", date(2026, 12, 2), world.jurist)
    labels = [line.label for line in data.fee_lines]
    assert "Påminnelseavgift" not in labels and "Inkassokostnad" not in labels
    assert data.claim_lines[0].interest_from is None  # no demand that warned of interest: none yet
    case.reminder_sent_on, case.inkassokrav_sent_on = date(2026, 2, 20), date(2026, 3, 1)
    case.demand_warned_of_interest = True
    db.session.commit()
    data = documents.prepare(fresh(case), "betalningsforelaggande", date(2026, 12, 2), world.jurist)
    notes = {line.label: line.note for line in data.fee_lines}
    assert "2026-03-01" in notes["Inkassokostnad"] and "2026-02-20" in notes["Påminnelseavgift"]
    assert data.claim_lines[0].interest_from == date(2026, 3, 31)  # 30 days after the demand (4 §)
    assert "4 och 6 §§" in data.claim_lines[0].interest_basis


# --- 11. A new ten-year period after the dom, counted from delivery -----------------------------------------

def test_limitation_runs_from_delivery_and_ten_years_from_the_dom(world):
    case = new_case(world, (date(2023, 3, 1), date(2023, 3, 31), Decimal("9000.00"), {"arose_on": date(2023, 1, 10)}),
                    consumer_claim=True, limitation_interruptions=["2025-12-01"])
    assert {d.code: d.due_on for d in fresh(case).open_deadlines}["limitation"] == date(2028, 12, 1)
    bare = new_case(world, (date(2023, 3, 1), date(2023, 3, 31), Decimal("9000.00"), {"arose_on": date(2023, 1, 10)}))
    walk(bare, ("start_monitoring", {"decision_date": date(2026, 1, 5)}))
    assert {d.code: d.due_on for d in fresh(bare).open_deadlines}["limitation"] == date(2026, 1, 10)
    to_court(case, world)
    walk(case, ("register_judgment", {"judgment_on": date(2026, 11, 2), "court_case_number": "T 77-26",
                                      "awarded_capital": Decimal("9000.00")}))
    db.session.commit()
    assert {d.code: d.due_on for d in fresh(case).open_deadlines}["limitation"] == date(2036, 11, 2)


# --- 12. A private settlement is no exekutionstitel; the tingsrätt charges the tilläggsavgift ----------------

def test_forlikning_and_overlamnande_state_the_law_rightly(world):
    case = new_case(world, (date(2026, 1, 10), date(2026, 2, 9), Decimal("9000.00"), {}))
    text = filing_text(case, "forlikning", date(2026, 12, 2), world.jurist)
    assert "verkställighet för den" not in text and "inte en exekutionstitel" in text
    walk(case, ("file_payment_order", {"filed_on": date(2026, 9, 1)}),
         ("register_kfm_objection", {"kfm_objection_notified_on": date(2026, 11, 20)}))
    case.kfm_case_number = "12-345-26"
    db.session.commit()
    text = filing_text(case, "overlamnande", date(2026, 12, 2), world.jurist)
    assert "Kronofogdemyndighetens anvisning" not in text and "tas ut av tingsrätten" in text


# --- 13. Collection charges count in the RB 1:3 d value --------------------------------------------------

def test_collection_charges_in_the_same_yrkande_count_toward_the_track_value(world):
    case = new_case(world, (date(2026, 11, 1), date(2026, 12, 1), Decimal("29500.00"), {}),
                    inkassokrav_sent_on=date(2026, 11, 20))
    facts = case_facts(case)
    assert facts.claim_value(facts.total_capital, Decimal("0.00"), date(2026, 12, 2)) == Decimal("29680.00")
    assert court_track(facts, date(2026, 12, 2)).track is Track.ORDINARY  # 29 680 > 29 600
    assert "inkassoersättningar" in evaluate(case, date(2026, 12, 2)).amount.explanation
