"""Journey 4: an administrator creates a jurist, who can then log in; and creates an API key for a
creditor, which reaches that creditor's cases only until it is revoked (skipped while the admin
page for API keys is missing)."""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import uuid

import pytest

from tests.e2e.helpers import ADMIN, FJALLKRAFT, MALARDALENS, Page, expect, flash, login, logout, squash

pytestmark = pytest.mark.e2e

API_KEYS = re.compile(r"^API")
PERSONNUMMER = re.compile(r"^(19|20)\d{6}-\d{4}$")  # unmasked; organisation numbers are shown as they are


def test_admin_creates_jurist_who_can_log_in(page: Page, shot):
    suffix = uuid.uuid4().hex[:6]
    name = f"Linnéa Öberg-Åkesson {suffix}"
    # Not @tvist.test like the demo users: WTForms' Email() (email_validator) refuses the
    # special-use .test domain, so the admin form cannot create such a user.
    email = f"linnea.oberg.{suffix}@exempel.se"
    password = "Ny-jurist-lösen-2026"

    login(page, ADMIN)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Användare", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Användare")).to_be_visible()
    shot(page, "anvandare")
    page.get_by_role("link", name="Ny användare").click()
    expect(page.get_by_role("heading", level=1, name="Ny användare")).to_be_visible()
    page.get_by_label("Namn", exact=True).fill(name)
    page.get_by_label("E-post", exact=True).fill(email)
    page.get_by_label("Roll", exact=True).select_option(label="Jurist")
    expect(page.get_by_label("Fordringsägare (för rollen fordringsägare)")).to_have_value("0")
    expect(page.get_by_label("Aktiv", exact=True)).to_be_checked()
    page.get_by_label("Nytt lösenord", exact=True).fill(password)
    shot(page, "ny-anvandare")
    page.get_by_role("button", name="Spara").click()
    flash(page, f"Användaren {name} är skapad.")
    expect(page.get_by_role("heading", level=1, name="Användare")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=email)
    expect(row).to_have_count(1)
    cells = [squash(t) for t in row.get_by_role("cell").all_inner_texts()]
    assert cells[:5] == [name, email, "Jurist", "–", "Ja"], cells
    shot(page, "anvandare-med-ny-jurist")

    logout(page)
    login(page, email, password)
    expect(page.get_by_role("banner")).to_contain_text(f"{name} (Jurist)")
    nav = page.get_by_role("navigation", name="Huvudmeny")
    expect(nav.get_by_role("link", name="Triagekö")).to_be_visible()
    expect(nav.get_by_role("link", name="Användare")).to_have_count(0)
    expect(page.get_by_role("heading", level=1, name="Ärenden")).to_be_visible()
    shot(page, "ny-jurist-inloggad")
    response = page.goto("/admin/anvandare")
    assert response.status in (403, 404), f"a jurist reached the user admin ({response.status})"


def api_get(base_url: str, path: str, token: str) -> tuple[int, dict]:
    """A GET with the bearer token only (no browser session)."""
    request = urllib.request.Request(base_url + path, headers={"Authorization": f"Bearer {token}",
                                                               "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        body = exc.read()
        return exc.code, json.loads(body) if body.startswith(b"{") else {}


def test_admin_api_key_for_a_creditor(page: Page, live_server, shot):
    login(page, ADMIN)
    link = page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name=API_KEYS)
    if not link.count():
        pytest.skip("no admin page for API keys yet (no 'API…' link in the admin's main menu)")
    # One of the other creditor's cases, from the staff case list.
    page.goto("/arenden/")
    page.get_by_label("Fordringsägare", exact=True).select_option(label=MALARDALENS)
    page.get_by_role("button", name="Filtrera").click()
    other_reference = page.get_by_role("table").locator("tbody").get_by_role("row").first.get_by_role(
        "link").first.inner_text().strip()

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name=API_KEYS).first.click()
    expect(page.get_by_role("heading", level=1, name="API-nycklar")).to_be_visible()
    shot(page, "api-nycklar")

    key_name = f"Ekonomisystemet e2e {uuid.uuid4().hex[:4]}"
    page.get_by_label("Fordringsägare", exact=True).select_option(label=FJALLKRAFT)
    page.get_by_label("Namn på nyckeln", exact=True).fill(key_name)
    page.get_by_role("button", name="Skapa nyckel").click()
    flash(page, f"API-nyckeln för {FJALLKRAFT} är skapad.")
    token = page.get_by_label(re.compile("^Kopiera nyckeln nu")).input_value()
    assert len(token) >= 20, "the new key is not shown"
    shot(page, "api-nyckel-skapad")

    # The key reads Fjällkraft's cases, and nothing of Mälardalens.
    status, body = api_get(live_server.url, "/api/cases?per_page=100", token)
    assert status == 200, (status, body)
    assert body["total"] >= 50 and len(body["cases"]) == body["total"], body.get("total")
    references = {case["reference"] for case in body["cases"]}
    assert other_reference not in references
    assert not [c for c in body["cases"] if PERSONNUMMER.match(c["debtor"]["identity_number"])], "unmasked"
    status, _ = api_get(live_server.url, f"/api/cases/{other_reference}", token)
    assert status == 404, f"{MALARDALENS}'s case {other_reference} answered {status} to Fjällkraft's key"

    # Shown once: after a reload only its prefix is listed, under Fjällkraft, as Aktiv.
    page.goto(page.url)
    expect(page.get_by_label(re.compile("^Kopiera nyckeln nu"))).to_have_count(0)
    section = page.get_by_role("heading", level=2, name=re.compile(f"^{re.escape(FJALLKRAFT)}")).locator("xpath=..")
    row = section.get_by_role("row").filter(has_text=key_name)
    expect(row).to_contain_text("Aktiv")
    assert token not in page.content(), "the full key is still in the page"

    # Revoke: the key stops working.
    page.once("dialog", lambda dialog: dialog.accept())  # data-confirm
    row.get_by_role("button", name="Återkalla").click()
    flash(page, "är återkallad och fungerar inte längre")
    expect(section.get_by_role("row").filter(has_text=key_name)).to_contain_text("Återkallad")
    shot(page, "api-nyckel-aterkallad")
    status, _ = api_get(live_server.url, "/api/cases", token)
    assert status == 401, f"a revoked key answered {status}"
