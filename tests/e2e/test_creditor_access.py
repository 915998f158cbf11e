"""Journey 3: a creditor user (Karin Holm, Fjällkraft Elhandel AB) sees exactly Fjällkraft's cases,
and another creditor's case answers 404. Then the creditor portal (/portal/): approve a proposal
to go to court and download reports; that part skips while /portal/ answers 404.

Works both before and after the portal: the creditor's case list is whatever the main menu's
"Ärenden" points to (/arenden/ before the portal, /portal/arenden/ with it)."""
from __future__ import annotations

import csv
import io
import re

import pytest

from tests.e2e.helpers import CREDITOR_FJALLKRAFT, FJALLKRAFT, JURIST, MALARDALENS, Page, expect, flash, login

pytestmark = pytest.mark.e2e

PAGER = re.compile(r"Visar (\d+)–(\d+) av (\d+)")
STAFF_MENU = ("Triagekö", "Frister", "Massutskick", "Kronofogden", "Gäldenärer", "Fordringsägare", "Användare")
STAFF_ACTIONS = ("Triage", "Handlingar", "Ändra uppgifter", "Registrera betalning", "Lägg till faktura",
                 "Registrera bestridande")
# An unmasked personnummer (the app writes them with the century: 19780225-0188). Organisation
# numbers (556123-4567) are not personal data and are shown as they are.
PERSONNUMMER = re.compile(r"\b(19|20)\d{6}-\d{4}\b")


def main_menu(page: Page):
    return page.get_by_role("navigation", name="Huvudmeny")


def cases_in_list(page: Page) -> list[tuple[str, str]]:
    """(reference, link) of every case on every page of the case list shown (following 'Nästa ›')."""
    cases: list[tuple[str, str]] = []
    while True:
        table = page.get_by_role("table")
        expect(table).to_be_visible()
        for row in table.locator("tbody").get_by_role("row").all():
            link = row.get_by_role("cell").first.get_by_role("link")
            cases.append((link.inner_text().strip(), link.get_attribute("href")))
        next_page = page.get_by_role("navigation", name="Sidnumrering").get_by_role("link", name="Nästa ›")
        if not next_page.count():
            return cases
        next_page.click()


def staff_list_of(new_context, creditor: str) -> list[tuple[int, str]]:
    """As a jurist, in a context of its own: (id, reference) of every case of ``creditor``."""
    jurist = new_context().new_page()
    login(jurist, JURIST)
    jurist.get_by_label("Fordringsägare", exact=True).select_option(label=creditor)
    jurist.get_by_role("button", name="Filtrera").click()
    return [(int(re.search(r"/arenden/(\d+)", href).group(1)), reference)
            for reference, href in cases_in_list(jurist)]


def test_creditor_sees_only_own_cases(page: Page, new_context, shot):
    malardalens = staff_list_of(new_context, MALARDALENS)
    other_id, other_reference = malardalens[0]
    fjallkraft = {reference for _, reference in staff_list_of(new_context, FJALLKRAFT)}
    assert len(fjallkraft) >= 50

    login(page, CREDITOR_FJALLKRAFT)
    expect(page.get_by_role("banner")).to_contain_text(f"Fordringsägare, {FJALLKRAFT}")
    for label in STAFF_MENU:
        expect(main_menu(page).get_by_role("link", name=label, exact=True)).to_have_count(0)
    shot(page, "start-fordringsagare")

    # The case list: exactly Fjällkraft's cases, on every page.
    main_menu(page).get_by_role("link", name="Ärenden", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=re.compile(r"ärenden$", re.I))).to_be_visible()
    list_url = page.url
    expect(page.get_by_label("Fordringsägare", exact=True)).to_have_count(0)  # no creditor filter
    expect(page.get_by_role("link", name="Nytt ärende")).to_have_count(0)
    expect(page.get_by_role("table")).not_to_contain_text("Mälardalens")
    shot(page, "arenden-fordringsagare")
    listed = [reference for reference, _ in cases_in_list(page)]
    assert len(listed) == len(set(listed))
    assert set(listed) == fjallkraft, (
        f"not Fjällkraft's: {sorted(set(listed) - fjallkraft)}; missing: {sorted(fjallkraft - set(listed))}")

    # Searching for the other creditor's case finds nothing.
    page.goto(list_url)
    page.get_by_label("Sök", exact=True).fill(other_reference)
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_text("Inga ärenden matchar filtret.")).to_be_visible()
    shot(page, "sok-annan-fordringsagares-arende")

    # An own case: masked identity number, no staff actions.
    page.get_by_role("link", name="Visa alla ärenden").click()
    page.get_by_role("table").locator("tbody").get_by_role("row").first.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1, name=re.compile(r"^Ärende "))).to_be_visible()
    for label in STAFF_ACTIONS:
        expect(page.get_by_role("main").get_by_role("link", name=label, exact=True)).to_have_count(0)
    expect(page.get_by_text("Nästa steg:")).to_have_count(0)
    for facts in page.locator("dl.facts").all_inner_texts():
        assert not PERSONNUMMER.search(facts), f"unmasked personnummer shown to a creditor: {facts}"
    shot(page, "eget-arende")

    # Another creditor's case, by URL: 404 everywhere.
    urls = [f"/arenden/{other_id}", f"/dokument/arende/{other_id}"]
    if "/portal/" in list_url:
        urls.append(f"/portal/arenden/{other_id}")
    for url in urls:
        response = page.goto(url)
        assert response.status == 404, f"{url} answered {response.status} for a Fjällkraft user"
        expect(page.get_by_role("main")).not_to_contain_text(other_reference)
    shot(page, "annan-fordringsagares-arende-404")


def propose_litigation(new_context, creditor: str) -> str:
    """As a jurist: a triage decision 'Stämning – …' in one of ``creditor``'s cases, which puts it
    in 'Förslag om rättslig åtgärd – väntar på fordringsägaren'. Returns the case reference."""
    jurist = new_context().new_page()
    login(jurist, JURIST)
    jurist.goto("/triage/")
    jurist.get_by_label("Fordringsägare", exact=True).select_option(label=creditor)
    jurist.get_by_role("button", name="Filtrera").click()
    rows = jurist.get_by_role("table").locator("tbody").get_by_role("row")
    summons = rows.filter(has=jurist.get_by_role("cell", name=re.compile(r"^Stämning – ")))
    (summons if summons.count() else rows).first.get_by_role("link").first.click()
    reference = re.search(r"Triage – (\S+)", jurist.get_by_role("heading", level=1).inner_text()).group(1)
    decision = jurist.locator("#beslut")
    choice = decision.get_by_label("Åtgärd", exact=True)
    recommended = choice.locator("option:checked").inner_text().strip()
    if not recommended.startswith("Stämning – "):
        options = [o.strip() for o in choice.locator("option").all_inner_texts()]
        choice.select_option(label=next(o for o in options if o.startswith("Stämning – ")))
        decision.get_by_label(re.compile("^Motivering")).fill("E2E: förslag om rättslig åtgärd.")
    decision.get_by_role("button", name="Registrera beslut").click()
    flash(jurist, "Beslutet är registrerat: Stämning – ")
    expect(jurist.get_by_role("heading", level=1)).to_contain_text("Förslag om rättslig åtgärd")
    return reference


def test_creditor_portal_approve_and_report(page: Page, new_context, shot, artifacts):
    login(page, CREDITOR_FJALLKRAFT)
    response = page.goto("/portal/")
    if response.status == 404:
        pytest.skip("portal not present: /portal/ answers 404")
    assert response.ok, f"/portal/ answered {response.status}"
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    shot(page, "portal-oversikt")

    reference = propose_litigation(new_context, FJALLKRAFT)

    # The creditor finds the proposal and approves it.
    main_menu(page).get_by_role("link", name="Ärenden", exact=True).click()
    page.get_by_label("Sök", exact=True).fill(reference)
    page.get_by_role("button", name="Filtrera").click()
    page.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=re.compile(f"^Ärende {reference}"))).to_contain_text(
        "Förslag om rättslig åtgärd")
    proposal = page.locator("#beslut")
    expect(proposal.get_by_role("heading", name="Ert beslut: ska fordran drivas i domstol?")).to_be_visible()
    proposal.get_by_label("Kommentar till juristen (valfritt)").fill("Kör på. /Karin (e2e)")
    shot(page, "portal-forslag")
    page.once("dialog", lambda dialog: dialog.accept())  # data-confirm: "Skicka ert beslut till juristen?"
    proposal.get_by_role("button", name="Godkänn rättslig åtgärd").click()
    flash(page, "Ni har godkänt att ärendet drivs i domstol")
    expect(page.get_by_role("button", name="Godkänn rättslig åtgärd")).to_have_count(0)
    expect(page.locator("#beslut").get_by_role("status")).to_contain_text("Ni godkände förslaget")
    expect(page.locator("#handelser")).to_contain_text(f"{FJALLKRAFT} godkände förslaget om rättslig åtgärd")
    shot(page, "portal-godkant")

    # Reports: the case list as CSV (only Fjällkraft's cases, identity numbers masked) and Excel.
    main_menu(page).get_by_role("link", name="Rapporter", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Rapporter")).to_be_visible()
    shot(page, "portal-rapporter")
    case_list = page.get_by_role("heading", name="Ärendelista").locator("xpath=..")
    with page.expect_download() as download_info:
        case_list.get_by_role("link", name="Ladda ned (CSV)").click()
    download = download_info.value
    path = artifacts / download.suggested_filename
    download.save_as(path)
    assert path.suffix == ".csv", path.name
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), dialect=csv.Sniffer().sniff(text.splitlines()[0])))
    assert len(rows) > 50, f"only {len(rows)} rows in the report"
    assert any(reference in cell for row in rows for cell in row), f"{reference} not in the report"
    assert MALARDALENS not in text and "Mälardalens" not in text
    assert not PERSONNUMMER.search(text), "an unmasked personnummer in the report"
    assert re.search(r"\b(19|20)\d{6}-XXXX\b", text), "no masked personnummer in the report"

    with page.expect_download() as download_info:
        case_list.get_by_role("link", name="Ladda ned (Excel)").click()
    xlsx = download_info.value
    xlsx_path = artifacts / xlsx.suggested_filename
    xlsx.save_as(xlsx_path)
    assert xlsx_path.suffix == ".xlsx" and xlsx_path.read_bytes()[:2] == b"PK", xlsx_path.name

    month = page.get_by_role("heading", name="Månadsrapport").locator("xpath=..")
    with page.expect_download() as download_info:
        month.get_by_role("link", name="Ladda ned (CSV)").click()
    monthly = download_info.value
    monthly.save_as(artifacts / monthly.suggested_filename)
    assert monthly.suggested_filename.startswith("manadsrapport-"), monthly.suggested_filename
