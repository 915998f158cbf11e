"""The creditor portal: a creditor sees only its own cases and numbers, decides on proposals to
go to court, and exports reports (CSV, XLSX) with masked personnummer."""
from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.cases.models import TimelineEvent
from app.cases.status import CaseStatus
from app.core.clock import today
from app.core.identity import mask_identity_number
from app.enforcement.models import PaymentSource
from app.extensions import db
from app.hearings.models import CaseDeadline, HearingKind, Notification, Outcome, OutcomeKind
from app.hearings.services import record_payment, take_step
from app.portal import services as portal
from app.portal.models import CreditorDecision
from app.triage.kinds import OptionKind
from app.triage.services import decide as triage_decide
from tests import factories
from tests.conftest import extract_csrf, form_tokens, login

NBSP = "\xa0"


def kr(text: str) -> str:
    return text.replace(" ", NBSP)


@pytest.fixture
def money_world(world):
    """A's and B's cases with payments and an outcome each, so every number has a B-part to leak."""
    record_payment(world.case_a, world.jurist, paid_on=today(), amount=Decimal("1000.00"), source=PaymentSource.DEBTOR)
    record_payment(world.case_b, world.jurist, paid_on=today(), amount=Decimal("7000.00"), source=PaymentSource.DEBTOR)
    world.case_a.outcomes.append(Outcome(kind=OutcomeKind.JUDGMENT, decided_on=date(2026, 9, 1),
                                         awarded_costs=Decimal("2800.00")))
    world.case_a.judgment_on = date(2026, 9, 1)
    world.case_b.outcomes.append(Outcome(kind=OutcomeKind.UTSLAG, decided_on=date(2026, 8, 1),
                                         awarded_costs=Decimal("900.00")))
    world.case_b.judgment_on = date(2026, 8, 1)
    closed_b = factories.CaseFactory(creditor=world.creditor_b, status=CaseStatus.PAID)
    factories.ClaimLineFactory(case=closed_b, capital=Decimal("99999.00"))
    db.session.commit()
    return world


# --- Overview -------------------------------------------------------------------------------

def test_overview_numbers_come_from_own_cases_only(money_world, as_user):
    w = money_world
    data = portal.overview(w.user_a)
    db.session.commit()  # as the view does: the stored overview must not hold a lock the request waits on
    assert data.open_count == 1 and data.total_count == 1
    assert data.open_capital == Decimal("1234.50") == data.total_capital
    assert data.recovered == Decimal("1000.00")
    assert data.awarded_costs == Decimal("2800.00")
    assert [(k, n) for k, n in data.outcomes] == [(OutcomeKind.JUDGMENT, 1)]
    assert data.judgment_days == [(date(2026, 9, 1) - w.objection_a.received_on).days]
    assert data.by_status == [(CaseStatus.DISPUTED, 1, Decimal("1234.50"))]

    html = as_user(w.user_a).get("/portal/").get_data(as_text=True)
    assert f'<strong id="recovered">{kr("1 000,00 kr")}</strong>' in html
    assert f'<strong id="awarded-costs">{kr("2 800,00 kr")}</strong>' in html
    assert f'<strong id="open-capital">{kr("1 234,50 kr")}</strong>' in html
    assert kr("7 000,00 kr") not in html and kr("99 999,00 kr") not in html and "Utslag" not in html


def test_overview_of_b_differs(money_world):
    data = portal.overview(money_world.user_b)
    db.session.commit()
    assert data.total_count == 2 and data.open_count == 1
    assert data.recovered == Decimal("7000.00") and data.awarded_costs == Decimal("900.00")


def test_overview_uses_aggregate_queries(money_world, app):
    """The overview's cost does not grow with the number of cases (no query per case)."""
    from sqlalchemy import event

    for _ in range(15):
        case = factories.CaseFactory(creditor=money_world.creditor_a)
        factories.ClaimLineFactory(case=case)
        factories.ObjectionFactory(case=case)
    db.session.commit()
    statements = []

    def count(*args, **kwargs):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        data = portal.compute_overview(money_world.user_a)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert data.total_count == 16
    assert len(statements) <= 8, statements


def _count_statements(fn):
    from sqlalchemy import event

    statements = []

    def count(*args, **kwargs):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        return fn(), statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _aggregates(statements: list[str]) -> list[str]:
    return [s for s in statements if "count(" in s.lower() or "sum(" in s.lower()]


def test_a_stored_overview_is_reused_until_a_change_makes_it_stale(money_world):
    first = portal.overview(money_world.user_a)
    db.session.commit()
    again, statements = _count_statements(lambda: portal.overview(money_world.user_a))
    assert again == first and _aggregates(statements) == []  # one read of the stored numbers
    # a payment on one of A's cases: the stored numbers are stale, the next view recomputes
    record_payment(money_world.case_a, money_world.jurist, paid_on=today(), amount=Decimal("250.00"),
                   source=PaymentSource.DEBTOR)
    db.session.commit()
    assert portal.overview(money_world.user_a).recovered == first.recovered + Decimal("250.00")
    # a change to B's case leaves A's stored overview alone
    db.session.commit()
    before_b = portal.overview(money_world.user_a)
    db.session.commit()
    money_world.case_b.description = "ändrad"
    db.session.commit()
    _, statements = _count_statements(lambda: portal.overview(money_world.user_a))
    assert _aggregates(statements) == [] and portal.overview(money_world.user_a) == before_b


def test_a_new_case_or_a_status_change_refreshes_the_overview(money_world):
    first = portal.overview(money_world.user_a)
    db.session.commit()
    case = factories.CaseFactory(creditor=money_world.creditor_a)
    factories.ClaimLineFactory(case=case, capital=Decimal("500.00"))
    db.session.commit()
    second = portal.overview(money_world.user_a)
    db.session.commit()
    assert second.total_count == first.total_count + 1
    case.status = CaseStatus.WITHDRAWN
    db.session.commit()
    assert portal.overview(money_world.user_a).open_count == second.open_count - 1


def test_overview_charts_are_inline_svg_without_style_or_script(money_world, as_user):
    response = as_user(money_world.user_a).get("/portal/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.count("<svg") >= 4 and 'id="chart-status"' in html and 'id="chart-judgment"' in html
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    # the status chart has one bar per status the creditor has, labelled
    assert re.search(r'<title>Bestridd: 1 st</title>', html)


def test_staff_and_anonymous_have_no_portal(world, as_user, app):
    assert "/logga-in" in app.test_client().get("/portal/").location
    assert as_user(world.jurist).get("/portal/").status_code == 404


def test_creditor_lands_on_the_portal(world, client):
    page = client.get("/logga-in")
    response = client.post("/logga-in", data={"email": world.user_a.email, "password": factories.PASSWORD,
                                              "csrf_token": extract_csrf(page.get_data(as_text=True))})
    assert response.location.endswith("/portal/")


# --- Lists and the case page ----------------------------------------------------------------

def test_case_list_shows_own_cases_with_masked_personnummer(world, as_user):
    client = as_user(world.user_a)
    html = client.get("/portal/arenden/").get_data(as_text=True)
    number = world.case_a.debtor.identity_number
    assert "A-0001" in html and "B-0001" not in html
    assert mask_identity_number(number) in html and number not in html
    assert client.get("/portal/arenden/?status=paid").get_data(as_text=True).count("A-0001") == 0


def test_other_creditors_case_is_404(world, as_user):
    client = as_user(world.user_a)
    assert client.get(f"/portal/arenden/{world.case_b.id}").status_code == 404
    assert client.get(f"/portal/arenden/{world.case_a.id}").status_code == 200


def test_case_page_shows_what_happened_and_what_comes_next(world, as_user):
    case = world.case_a
    due = today() + timedelta(days=12)
    case.deadlines.append(CaseDeadline(code="test", label="Sista dag att svara tingsrätten", due_on=due))
    case.deadlines.append(CaseDeadline(code="old", label="Passerad frist", due_on=today() - timedelta(days=3)))
    from app.hearings.models import Hearing

    starts = datetime.combine(today() + timedelta(days=30), datetime.min.time(), tzinfo=timezone.utc).replace(hour=8)
    case.hearings.append(Hearing(kind=HearingKind.MAIN, starts_at=starts, court="Stockholms tingsrätt"))
    record_payment(case, world.jurist, paid_on=today(), amount=Decimal("321.00"), source=PaymentSource.KRONOFOGDEN)
    db.session.commit()

    client = as_user(world.user_a)
    html = client.get(f"/portal/arenden/{case.id}").get_data(as_text=True)
    next_part = html.split('id="harnast"')[1].split("</section>")[0]
    assert "Sista dag att svara tingsrätten" in next_part and due.isoformat() in next_part
    assert "Huvudförhandling" in next_part and "Stockholms tingsrätt" in next_part
    assert "Passerad frist" not in next_part
    assert "Bevis registrerat" in html  # the timeline
    assert f"/dokument/{world.document_a.id}/ladda-ned" in html
    assert kr("321,00 kr") in html and "Redovisning från Kronofogden" in html
    assert "Juristens bedömning" in html and "Preliminär bedömning" in html  # no triage decision yet: computed
    assert "Gäldenären har bestridit fordran" in html  # the status in plain Swedish
    assert case.debtor.identity_number not in html
    # the document link is the existing download route, which checks access itself
    assert client.get(f"/dokument/{world.document_a.id}/ladda-ned").status_code == 200


# --- Decisions on a proposal to go to court ------------------------------------------------------

def _propose(world, *, via_triage: bool = False):
    case = world.case_a
    case.assigned_jurist_id = world.jurist.id
    if via_triage:
        triage_decide(case, world.jurist, chosen=OptionKind.SUMMONS_SIMPLIFIED, reason="Gäldenären har medel.")
    else:
        take_step(case, "propose_litigation", {"track": "simplified"}, world.jurist)
    db.session.commit()
    assert case.status == CaseStatus.LITIGATION_PROPOSED
    return case


def _decide(client, case, decision: str, comment: str = ""):
    page = client.get(f"/portal/arenden/{case.id}").get_data(as_text=True)
    return client.post(f"/portal/arenden/{case.id}/beslut",
                       data={**form_tokens(page), "decision": decision, "comment": comment})


def _notes(user_id):
    return db.session.scalars(select(Notification).where(Notification.user_id == user_id)).all()


def test_creditor_approves_litigation(world, as_user):
    case = _propose(world, via_triage=True)
    client = as_user(world.user_a)
    page = client.get(f"/portal/arenden/{case.id}").get_data(as_text=True)
    assert "Ert beslut" in page and "Förväntat netto" in page and "Beräknade kostnader" in page
    assert "Stämning – förenklat tvistemål".lower() in page

    response = _decide(client, case, "approve", "Kör!")
    assert response.status_code == 302
    db.session.expire_all()
    assert case.status == CaseStatus.LITIGATION_PROPOSED  # the jurist files; approval does not file
    decision = db.session.scalar(select(CreditorDecision).where(CreditorDecision.case_id == case.id))
    assert decision.approved and decision.comment == "Kör!" and decision.user_id == world.user_a.id
    assert portal.current_decision(case).id == decision.id
    events = [e for e in case.timeline if e.kind == "creditor_decision"]
    assert len(events) == 1 and "godkände" in events[0].message and "Kör!" in events[0].message
    notes = _notes(world.jurist.id)
    assert len(notes) == 1 and case.reference in notes[0].message and "godkänt" in notes[0].message

    page = client.get(f"/portal/arenden/{case.id}").get_data(as_text=True)
    assert "Ni godkände förslaget" in page and 'value="approve"' not in page
    # a second approval is refused, nothing more is recorded
    _decide(client, case, "approve")
    assert db.session.scalar(select(CreditorDecision.id).where(CreditorDecision.id != decision.id)) is None


def test_creditor_declines_litigation(world, as_user):
    case = _propose(world)
    response = _decide(as_user(world.user_a), case, "decline", "För dyrt.")
    assert response.status_code == 302
    db.session.expire_all()
    assert case.status == CaseStatus.INVESTIGATING
    decision = db.session.scalar(select(CreditorDecision).where(CreditorDecision.case_id == case.id))
    assert decision.approved is False
    kinds = [e.kind for e in db.session.scalars(select(TimelineEvent).where(TimelineEvent.case_id == case.id))]
    assert "step:creditor_declines_litigation" in kinds and "creditor_decision" in kinds
    assert any("avböjt" in n.message for n in _notes(world.jurist.id))


def test_decision_only_when_proposed_and_only_on_own_case(world, as_user, app):
    # case_a awaits triage: nothing to decide
    response = _decide(as_user(world.user_a), world.case_a, "approve")
    assert response.status_code == 302
    assert db.session.scalar(select(CreditorDecision)) is None
    case = _propose(world)
    # creditor B cannot decide on A's case
    client_b = app.test_client()
    login(client_b, world.user_b)
    page = client_b.get("/portal/").get_data(as_text=True)
    response = client_b.post(f"/portal/arenden/{case.id}/beslut",
                             data={"csrf_token": extract_csrf(page), "decision": "decline"})
    assert response.status_code == 404
    db.session.expire_all()
    assert case.status == CaseStatus.LITIGATION_PROPOSED and db.session.scalar(select(CreditorDecision)) is None


def test_decision_on_an_earlier_proposal_does_not_count(world, as_user):
    case = _propose(world)
    client = as_user(world.user_a)
    _decide(client, case, "approve")
    _decide(client, case, "decline")
    db.session.expire_all()
    assert case.status == CaseStatus.INVESTIGATING
    take_step(case, "propose_litigation", {"track": "ordinary"}, world.jurist)
    db.session.commit()
    assert portal.current_decision(case) is None
    assert 'value="approve"' in client.get(f"/portal/arenden/{case.id}").get_data(as_text=True)


# --- Reports --------------------------------------------------------------------------------

def _csv_rows(response):
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def _xlsx_rows(response, sheet=None):
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.data))
    ws = book[sheet] if sheet else book.worksheets[-1]
    return [[c.value for c in row] for row in ws.iter_rows()], book


def test_case_export_has_own_cases_only_with_masked_personnummer(money_world, as_user):
    w = money_world
    client = as_user(w.user_a)
    number = w.case_a.debtor.identity_number
    rows = _csv_rows(client.get("/portal/rapporter/arenden.csv"))
    assert rows[0][0] == "Referens" and len(rows) == 2
    assert rows[1][0] == "A-0001" and rows[1][3] == mask_identity_number(number) and rows[1][7] == "1234,50"
    assert rows[1][8] == "1000,00"  # paid
    assert number not in str(rows) and "B-0001" not in str(rows)

    xrows, _ = _xlsx_rows(client.get("/portal/rapporter/arenden.xlsx"))
    assert xrows[0][0] == "Referens" and len(xrows) == 2
    assert xrows[1][0] == "A-0001" and xrows[1][3] == mask_identity_number(number)
    assert Decimal(str(xrows[1][7])) == Decimal("1234.50")
    assert number not in str(xrows) and "B-0001" not in str(xrows)


def test_export_follows_the_list_filter(world, as_user):
    client = as_user(world.user_a)
    assert len(_csv_rows(client.get("/portal/rapporter/arenden.csv?status=paid"))) == 1  # header only
    assert len(_csv_rows(client.get("/portal/rapporter/arenden.csv?status=disputed"))) == 2
    assert "status=disputed" in client.get("/portal/arenden/?status=disputed").get_data(as_text=True)


def test_monthly_report(money_world, as_user):
    w = money_world
    take_step(w.case_a, "pay_in_full", {"paid_on": today()}, w.jurist)
    db.session.commit()
    month = today().strftime("%Y-%m")
    client = as_user(w.user_a)
    rows = _csv_rows(client.get(f"/portal/rapporter/manad.csv?manad={month}"))
    events = sorted(r[0] for r in rows[1:])
    assert events == ["Avslutat: Betald", "Inbetalning: Betalning från gäldenären", "Nytt ärende"], rows
    assert all(r[2] == "A-0001" for r in rows[1:])
    assert w.case_a.debtor.identity_number not in str(rows)

    summary, book = _xlsx_rows(client.get(f"/portal/rapporter/manad.xlsx?manad={month}"), "Sammanfattning")
    facts = {row[0]: row[1] for row in summary}
    assert facts["Nya ärenden"] == 1 and facts["Avslutade ärenden"] == 1 and facts["Inbetalningar"] == 1
    assert Decimal(str(facts["Inbetalt (kr)"])) == Decimal("1000.00")
    detail = [[c.value for c in row] for row in book.worksheets[1].iter_rows()]
    assert len(detail) == 4 and "B-0001" not in str(detail)

    # the month before has nothing of A's; the page says so
    html = client.get("/portal/rapporter/?manad=2001-01").get_data(as_text=True)
    assert "Inget hände" in html


def test_report_cells_are_never_formulas(world, as_user):
    world.case_a.debtor.name = "=HYPERLINK(\"http://evil\")"
    world.case_a.creditor_reference = "+46-123"
    db.session.commit()
    client = as_user(world.user_a)
    rows = _csv_rows(client.get("/portal/rapporter/arenden.csv"))
    assert rows[1][2].startswith("'=") and rows[1][1] == "'+46-123"
    xrows, book = _xlsx_rows(client.get("/portal/rapporter/arenden.xlsx"))
    cell = book.worksheets[-1].cell(row=2, column=3)
    assert cell.data_type == "s" and cell.value.startswith("=")
