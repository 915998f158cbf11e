"""Route × role access matrix: every endpoint, every role, objects of another creditor.

A creditor user gets 404 (not 403) for anything that is not theirs or is staff-only;
anonymous users are sent to the login page.
"""
from __future__ import annotations

import pytest

from tests.conftest import extract_csrf

ROLES = ("admin", "jurist", "creditor_a", "creditor_b", "anonymous")
LOGIN = "login"  # expected: redirect to the login page

STAFF_ONLY = {"admin": 200, "jurist": 200, "creditor_a": 404, "creditor_b": 404, "anonymous": LOGIN}
ADMIN_ONLY = {"admin": 200, "jurist": 404, "creditor_a": 404, "creditor_b": 404, "anonymous": LOGIN}
EVERY_USER = {"admin": 200, "jurist": 200, "creditor_a": 200, "creditor_b": 200, "anonymous": LOGIN}
CASE_A_READERS = {"admin": 200, "jurist": 200, "creditor_a": 200, "creditor_b": 404, "anonymous": LOGIN}
READABLE = "readable"  # 200, or a redirect with a message (e.g. PDF when LibreOffice is absent) — never 404
CASE_A_READERS_ANY = {"admin": READABLE, "jurist": READABLE, "creditor_a": READABLE, "creditor_b": 404,
                      "anonymous": LOGIN}
NOBODY = {"admin": 404, "jurist": 404, "creditor_a": 404, "creditor_b": 404, "anonymous": LOGIN}
CREDITORS_ONLY = {"admin": 404, "jurist": 404, "creditor_a": 200, "creditor_b": 200, "anonymous": LOGIN}
CASE_A_CREDITOR = {"admin": 404, "jurist": 404, "creditor_a": 200, "creditor_b": 404, "anonymous": LOGIN}

# (endpoint, method, url template, expectations). Templates are filled from the World fixture.
MATRIX = [
    ("cases.list_cases", "GET", "/arenden/", EVERY_USER),
    ("cases.show_case", "GET", "/arenden/{case_a}", CASE_A_READERS),
    ("cases.show_case", "GET", "/arenden/{case_b}", {**CASE_A_READERS, "creditor_a": 404, "creditor_b": 200}),
    ("cases.show_case", "GET", "/arenden/999999", NOBODY),
    ("cases.new_case", "GET", "/arenden/nytt", STAFF_ONLY),
    ("cases.edit_case", "GET", "/arenden/{case_a}/andra", STAFF_ONLY),
    ("cases.new_claim_line", "GET", "/arenden/{case_a}/fordringar/ny", STAFF_ONLY),
    ("cases.edit_claim_line", "GET", "/arenden/{case_a}/fordringar/{line_a}", STAFF_ONLY),
    ("cases.edit_claim_line", "GET", "/arenden/{case_b}/fordringar/{line_a}", NOBODY),
    ("cases.delete_claim_line", "POST", "/arenden/{case_a}/fordringar/{line_a}/ta-bort",
     {**STAFF_ONLY, "admin": 302, "jurist": 302}),
    ("cases.delete_claim_line", "POST", "/arenden/{case_b}/fordringar/{line_a}/ta-bort", NOBODY),
    ("cases.new_objection", "GET", "/arenden/{case_a}/bestridanden/nytt", STAFF_ONLY),
    ("cases.edit_objection", "GET", "/arenden/{case_a}/bestridanden/{objection_a}", STAFF_ONLY),
    ("cases.edit_objection", "GET", "/arenden/{case_b}/bestridanden/{objection_a}", NOBODY),
    ("debtors.list_debtors", "GET", "/galdenarer/", STAFF_ONLY),
    ("debtors.show_debtor", "GET", "/galdenarer/{debtor_a}", STAFF_ONLY),
    ("debtors.new_debtor", "GET", "/galdenarer/ny", STAFF_ONLY),
    ("debtors.edit_debtor", "GET", "/galdenarer/{debtor_a}/andra", STAFF_ONLY),
    ("creditors.list_creditors", "GET", "/fordringsagare/", STAFF_ONLY),
    ("creditors.new_creditor", "GET", "/fordringsagare/ny", STAFF_ONLY),
    ("creditors.edit_creditor", "GET", "/fordringsagare/{creditor_a}/andra", STAFF_ONLY),
    ("triage.queue", "GET", "/triage/", STAFF_ONLY),
    ("triage.assign_cases", "POST", "/triage/tilldela", {**STAFF_ONLY, "admin": 302, "jurist": 302}),
    ("triage.triage_case", "GET", "/triage/arende/{case_a}", STAFF_ONLY),
    ("triage.triage_case", "GET", "/triage/arende/999999", NOBODY),
    ("triage.new_evidence", "GET", "/triage/arende/{case_a}/bevis/nytt", STAFF_ONLY),
    ("triage.download_evidence", "GET", "/triage/arende/{case_a}/bevis/{evidence_a}/fil", CASE_A_READERS),
    ("triage.download_evidence", "GET", "/triage/arende/{case_b}/bevis/{evidence_a}/fil", NOBODY),
    ("triage.new_step", "GET", "/triage/arende/{case_a}/bestridanden/{objection_a}/utredning", STAFF_ONLY),
    ("triage.new_step", "GET", "/triage/arende/{case_b}/bestridanden/{objection_a}/utredning", NOBODY),
    ("triage.new_ability", "GET", "/triage/galdenar/{debtor_a}/betalningsformaga/ny", STAFF_ONLY),
    ("triage.principle", "GET", "/triage/arende/{case_a}/princip", STAFF_ONLY),
    ("triage.groups", "GET", "/triage/fragor/", STAFF_ONLY),
    ("triage.new_group", "GET", "/triage/fragor/ny", STAFF_ONLY),
    ("triage.show_group", "GET", "/triage/fragor/{group}", STAFF_ONLY),
    ("documents.case_documents", "GET", "/dokument/arende/{case_a}", CASE_A_READERS),
    ("documents.preview", "GET", "/dokument/arende/{case_a}/stamningsansokan", STAFF_ONLY),
    ("documents.preview", "GET", "/dokument/arende/{case_a}/okand", NOBODY),
    ("documents.download", "GET", "/dokument/{document_a}/ladda-ned", CASE_A_READERS),
    ("documents.download_pdf", "GET", "/dokument/{document_a}/pdf", CASE_A_READERS_ANY),
    ("documents.bulk", "GET", "/dokument/massutskick", STAFF_ONLY),
    ("documents.job", "GET", "/dokument/jobb/{job}", STAFF_ONLY),
    ("documents.job_status", "GET", "/dokument/jobb/{job}.json", STAFF_ONLY),
    ("documents.job_zip", "GET", "/dokument/jobb/{job}/zip", NOBODY),  # the job has no zip yet
    ("documents.kronofogden", "GET", "/dokument/kronofogden", STAFF_ONLY),
    ("course.step", "GET", "/arenden/{case_a}/steg/start_investigation", STAFF_ONLY),
    ("course.step", "GET", "/arenden/{case_b}/steg/start_investigation", {**STAFF_ONLY, "creditor_a": 404}),
    ("course.new_payment", "GET", "/arenden/{case_a}/betalningar/ny", STAFF_ONLY),
    ("course.deadlines", "GET", "/frister/", STAFF_ONLY),
    ("course.agenda", "GET", "/forhandlingar/", STAFF_ONLY),
    ("course.notifications", "GET", "/notiser/", STAFF_ONLY),
    ("course.calendar_settings", "GET", "/kalender/", STAFF_ONLY),
    ("auth.list_users", "GET", "/admin/anvandare", ADMIN_ONLY),
    ("auth.law_tables", "GET", "/admin/rattsregler", ADMIN_ONLY),
    # Legal values added in the app (proposing, four-eyes approval: tests/test_law_values.py)
    ("lawvalues.propose", "GET", "/admin/rattsregler/nytt-varde", ADMIN_ONLY),
    ("lawvalues.approve", "POST", "/admin/rattsregler/varden/999999/godkann", NOBODY),
    ("lawvalues.withdraw", "POST", "/admin/rattsregler/varden/999999/aterkalla", NOBODY),
    ("auth.new_user", "GET", "/admin/anvandare/ny", ADMIN_ONLY),
    ("auth.edit_user", "GET", "/admin/anvandare/{jurist_id}", ADMIN_ONLY),
    # Every user's own account (password, 2FA); changing them is tested in tests/test_account_security.py
    ("auth.account", "GET", "/konto", EVERY_USER),
    ("auth.reauthenticate", "GET", "/konto/bekrafta", EVERY_USER),
    ("auth.change_password", "GET", "/konto/losenord", EVERY_USER),
    ("auth.totp_setup", "GET", "/konto/tvastegs", EVERY_USER),
    ("auth.totp_disable", "POST", "/konto/tvastegs/stang",
     {"admin": READABLE, "jurist": READABLE, "creditor_a": READABLE, "creditor_b": READABLE, "anonymous": LOGIN}),
    # The creditor portal: creditor users only, each to its own creditor's cases.
    ("portal.overview", "GET", "/portal/", CREDITORS_ONLY),
    ("portal.list_cases", "GET", "/portal/arenden/", CREDITORS_ONLY),
    ("portal.show_case", "GET", "/portal/arenden/{case_a}", CASE_A_CREDITOR),
    ("portal.show_case", "GET", "/portal/arenden/{case_b}", {**CASE_A_CREDITOR, "creditor_a": 404, "creditor_b": 200}),
    ("portal.show_case", "GET", "/portal/arenden/999999", {**CASE_A_CREDITOR, "creditor_a": 404}),
    # case_a awaits triage, so there is no proposal to decide: back to the case page with a message
    ("portal.decide", "POST", "/portal/arenden/{case_a}/beslut", {**CASE_A_CREDITOR, "creditor_a": 302}),
    ("portal.decide", "POST", "/portal/arenden/{case_b}/beslut", {**CASE_A_CREDITOR, "creditor_a": 404, "creditor_b": 302}),
    ("portal.reports_page", "GET", "/portal/rapporter/", CREDITORS_ONLY),
    ("portal.export_cases", "GET", "/portal/rapporter/arenden.csv", CREDITORS_ONLY),
    ("portal.export_cases", "GET", "/portal/rapporter/arenden.xlsx", CREDITORS_ONLY),
    ("portal.export_cases", "GET", "/portal/rapporter/arenden.pdf", {**CREDITORS_ONLY, "creditor_a": 404, "creditor_b": 404}),
    ("portal.monthly_report", "GET", "/portal/rapporter/manad.csv?manad=2026-11", CREDITORS_ONLY),
    ("portal.monthly_report", "GET", "/portal/rapporter/manad.xlsx?manad=2026-11", CREDITORS_ONLY),
    # API keys: admins only (creating and revoking a real key: tests/test_api.py)
    ("api_admin.tokens", "GET", "/admin/api-nycklar/", ADMIN_ONLY),
    ("api_admin.revoke_token", "POST", "/admin/api-nycklar/999999/aterkalla", NOBODY),
    # The log of retention runs (gallring): admins only; the runs themselves in tests/test_retention.py
    ("retention.runs", "GET", "/admin/gallring/", ADMIN_ONLY),
]
# The calendar feed is reached with its personal token alone (tested in test_course_flow).
# The JSON API under /api/ authenticates with a creditor's API key, not the login session: its
# access (401 without a valid key, 404 for another creditor's case or document) is tested per
# endpoint in tests/test_api.py. api.openapi is the API's public description and holds no data.
PUBLIC_ENDPOINTS = {"static", "auth.login", "auth.login_code", "auth.index", "auth.logout", "course.calendar_feed",
                    "api.openapi", "api.list_cases", "api.submit_cases", "api.show_case", "api.case_timeline",
                    "api.case_deadlines", "api.case_documents", "api.download_document"}


def _ids(world) -> dict:
    return {"case_a": world.case_a.id, "case_b": world.case_b.id, "line_a": world.line_a.id,
            "objection_a": world.objection_a.id, "debtor_a": world.case_a.debtor_id,
            "creditor_a": world.creditor_a.id, "jurist_id": world.jurist.id,
            "evidence_a": world.evidence_a.id, "group": world.group.id,
            "document_a": world.document_a.id, "job": world.job.id}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint,method,template,expected", MATRIX,
                         ids=[f"{m} {t}" for _, m, t, _ in MATRIX])
def test_access(world, as_user, role, endpoint, method, template, expected):
    client = as_user(world.user(role))
    url = template.format(**_ids(world))
    if method == "GET":
        response = client.get(url)
    else:
        # every page carries a token (the logout form, or the login form when anonymous)
        page = "/logga-in" if role == "anonymous" else "/arenden/"
        token = extract_csrf(client.get(page).get_data(as_text=True))
        response = client.post(url, data={"csrf_token": token})
    want = expected[role]
    if want == READABLE:
        assert response.status_code in (200, 302) and "/logga-in" not in (response.location or "")
    elif want == LOGIN:
        assert response.status_code == 302 and "/logga-in" in response.location
    else:
        assert response.status_code == want, f"{role} {method} {url}"


def test_matrix_covers_every_endpoint(app):
    """A new route must be added to the matrix before it can land."""
    covered = {endpoint for endpoint, *_ in MATRIX} | PUBLIC_ENDPOINTS
    routed = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert routed - covered == set()


def test_creditor_list_shows_only_own_cases(world, as_user):
    html = as_user(world.user_a).get("/arenden/").get_data(as_text=True)
    assert "A-0001" in html and "B-0001" not in html


def test_creditor_cannot_filter_into_other_creditor(world, as_user):
    html = as_user(world.user_a).get(f"/arenden/?fordringsagare={world.creditor_b.id}").get_data(as_text=True)
    assert "B-0001" not in html and "A-0001" in html
