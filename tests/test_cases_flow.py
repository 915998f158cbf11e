"""Working with cases through the web UI, as a jurist does."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.cases.models import Case, ClaimLine
from app.cases.status import CaseStatus
from app.extensions import db
from tests import factories
from tests.conftest import extract_csrf


def post_form(client, url, data):
    token = extract_csrf(client.get(url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def test_jurist_registers_case_claim_and_objection(world, as_user):
    client = as_user(world.jurist)
    debtor = factories.DebtorFactory(name='Bygg & Söner <AB> "Nord"', is_company=True,
                                     identity_number="556036-0793")
    db.session.commit()
    response = post_form(client, "/arenden/nytt", {
        "creditor_id": world.creditor_a.id, "debtor_identity": "5560360793", "creditor_reference": "ALF-1",
        "assigned_jurist_id": world.jurist.id, "description": "Obetald elfaktura.",
    })
    assert response.status_code == 302
    case = db.session.scalar(select(Case).where(Case.creditor_reference == "ALF-1"))
    assert case.reference == f"TV-{case.id:07d}" and case.debtor_id == debtor.id

    response = post_form(client, f"/arenden/{case.id}/fordringar/ny", {
        "invoice_number": "778899", "invoice_date": "2026-01-15", "due_date": "2026-02-14", "capital": "18 400,00"})
    assert response.status_code == 302
    response = post_form(client, f"/arenden/{case.id}/bestridanden/nytt", {
        "received_on": "2026-03-02", "channel": "email", "category": "wrong_amount", "text": "Fel pris."})
    assert response.status_code == 302

    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.total_capital == Decimal("18400.00")
    assert case.status == CaseStatus.DISPUTED
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "18\u00a0400,00\u00a0kr" in html
    assert "Bygg &amp; Söner &lt;AB&gt; &#34;Nord&#34;" in html  # escaped, shown exactly
    assert "Bestridande mottaget 2026-03-02" in html
    actions = db.session.execute(select(AuditEntry.entity_type, AuditEntry.action, AuditEntry.actor_id)
                                 .where(AuditEntry.case_id == case.id)).all()
    assert ("ClaimLine", "create", world.jurist.id) in actions
    assert ("Objection", "create", world.jurist.id) in actions


def test_unknown_debtor_gives_clear_error_and_keeps_input(world, as_user):
    client = as_user(world.jurist)
    response = post_form(client, "/arenden/nytt", {
        "creditor_id": world.creditor_a.id, "debtor_identity": "19121212-1212", "creditor_reference": "KEEP-ME"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Ingen gäldenär med det numret är registrerad" in html
    assert 'value="KEEP-ME"' in html
    assert db.session.scalar(select(Case).where(Case.creditor_reference == "KEEP-ME")) is None


def test_invalid_claim_line_shows_errors_next_to_fields_and_saves_nothing(world, as_user):
    client = as_user(world.jurist)
    response = post_form(client, f"/arenden/{world.case_a.id}/fordringar/ny", {
        "invoice_number": "X1", "invoice_date": "2026-03-10", "due_date": "2026-03-01", "capital": "-5"})
    html = response.get_data(as_text=True)
    assert "Förfallodagen kan inte ligga före fakturadatumet." in html
    assert "Beloppet får inte vara negativt." in html
    assert 'aria-invalid="true"' in html and 'value="X1"' in html
    assert db.session.scalar(select(ClaimLine).where(ClaimLine.invoice_number == "X1")) is None


def test_stale_edit_is_refused_and_nothing_is_overwritten(world, app):
    """Two jurists open the same case; the second to save is told, and loses nothing."""
    first, second = app.test_client(), app.test_client()
    from tests.conftest import login

    login(first, world.jurist)
    other = factories.UserFactory(role="jurist", email="j2@example.se")
    db.session.commit()
    login(second, other)
    url = f"/arenden/{world.case_a.id}/andra"
    form_first = first.get(url).get_data(as_text=True)
    form_second = second.get(url).get_data(as_text=True)
    base = {"creditor_id": world.creditor_a.id, "debtor_identity": world.case_a.debtor.identity_number,
            "assigned_jurist_id": 0}
    version = str(world.case_a.version)
    assert f'name="version" type="hidden" value="{version}"' in form_first

    ok = first.post(url, data={**base, "creditor_reference": "FIRST", "version": version,
                               "csrf_token": extract_csrf(form_first)})
    assert ok.status_code == 302
    stale = second.post(url, data={**base, "creditor_reference": "SECOND", "version": version,
                                   "csrf_token": extract_csrf(form_second)})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 200
    assert "har ändrats av någon annan" in html
    assert 'value="SECOND"' in html  # the second jurist's input is still in the form
    db.session.expire_all()
    assert db.session.get(Case, world.case_a.id).creditor_reference == "FIRST"


def test_search_sort_filter_and_pagination(world, as_user, app):
    client = as_user(world.jurist)
    for i in range(30):
        factories.CaseFactory(creditor=world.creditor_a, reference=f"P-{i:03d}", total_capital=Decimal(i * 100))
    db.session.commit()
    app.config["CASES_PER_PAGE"] = 10
    try:
        html = client.get("/arenden/?q=P-0&sortera=-belopp").get_data(as_text=True)
        assert "Visar 1–10 av 30" in html
        assert html.index("P-029") < html.index("P-028")
        page3 = client.get("/arenden/?q=P-0&sortera=-belopp&sida=3").get_data(as_text=True)
        assert "P-000" in page3 and "sortera=-belopp" in page3  # pager keeps the query
        by_status = client.get("/arenden/?status=paid").get_data(as_text=True)
        assert "Inga ärenden matchar filtret" in by_status
        odd = client.get("/arenden/?sortera=drop+table&status=bogus&sida=-4")
        assert odd.status_code == 200  # unknown sort/filter values fall back, never fail
    finally:
        app.config["CASES_PER_PAGE"] = 25


def test_search_by_orgnr_and_debtor_name(world, as_user):
    debtor = factories.DebtorFactory(name="Öresunds Transport <Syd> AB", is_company=True,
                                     identity_number="556036-0793")
    factories.CaseFactory(creditor=world.creditor_a, debtor=debtor, reference="ORG-1")
    db.session.commit()
    client = as_user(world.jurist)
    # a number is moved out of the URL (302 to a session token) before the list is shown
    assert "ORG-1" in client.get("/arenden/?q=556036-0793", follow_redirects=True).get_data(as_text=True)
    assert "ORG-1" in client.get("/arenden/?q=öresunds").get_data(as_text=True)  # Swedish case folding
    assert "ORG-1" in client.get("/arenden/?q=ÖRESUNDS TRANSPORT").get_data(as_text=True)
    assert "ORG-1" not in client.get("/arenden/?q=' OR 1=1 --").get_data(as_text=True)


def test_my_cases_lists_only_the_jurists_own_cases(world, as_user):
    world.case_a.assigned_jurist = world.jurist
    db.session.commit()
    client = as_user(world.jurist)
    page = client.get("/arenden/").get_data(as_text=True)
    assert f'href="/arenden/?jurist={world.jurist.id}"' in page and "Mina ärenden" in page
    mine = client.get(f"/arenden/?jurist={world.jurist.id}").get_data(as_text=True)
    assert "A-0001" in mine and "B-0001" not in mine
