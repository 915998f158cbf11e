"""Journey 1: a jurist triages a disputed case, accepts the recommendation to sue, drafts the
stämningsansökan, and follows the case through court to judgment, laga kraft, enforcement and
a payment in the ledger."""
from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest

from app.law.deadlines import appeal_deadline, final_on
from tests.e2e.helpers import (
    CREDITOR_FJALLKRAFT,
    CREDITOR_MALARDALENS,
    FJALLKRAFT,
    JURIST,
    MALARDALENS,
    Page,
    docx_text,
    expect,
    fact,
    flash,
    form_date,
    login,
    logout,
    no_error_flash,
    parse_sek,
    sek,
    squash,
)

pytestmark = pytest.mark.e2e

FACTORS = ("Bevisläget", "Fordringsbeloppet", "Principiell betydelse", "Betalningsförmåga")
SUMMONS = re.compile(r"^Stämning – ")
QUEUE_PAGES_TO_SCAN = 4


def open_case_recommended_for_summons(page: Page) -> bool:
    """Open, from the Triagekö, a case whose recommendation is a stämning (so accepting it puts
    the case in 'Förslag om rättslig åtgärd' and the court steps open up). Returns False (and
    opens the first case) when no such case is on the first pages."""
    for _ in range(QUEUE_PAGES_TO_SCAN):
        rows = page.get_by_role("row").filter(has=page.get_by_role("cell", name=SUMMONS))
        if rows.count():
            rows.first.get_by_role("link").first.click()
            return True
        next_page = page.get_by_role("link", name="Nästa ›")
        if not next_page.count():
            break
        next_page.click()
    page.goto("/triage/")
    page.get_by_role("table").get_by_role("row").nth(1).get_by_role("link").first.click()
    return False


def take_step(page: Page, shot, button: str, fill: dict[str, str] | None = None,
              select: dict[str, str] | None = None, new_status: str | None = None) -> None:
    """Click the 'Nästa steg' button ``button`` on the case page, fill the step's form, submit."""
    course = page.locator("#forlopp")
    expect(course.get_by_text("Nästa steg:")).to_be_visible()
    course.get_by_role("link", name=button, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=re.compile(f"^{re.escape(button)} – "))).to_be_visible()
    for label, value in (fill or {}).items():
        page.get_by_label(label, exact=True).fill(value)
    for label, value in (select or {}).items():
        page.get_by_label(label, exact=True).select_option(label=value)
    shot(page, f"steg-{button}")
    page.get_by_role("button", name=button, exact=True).click()
    flash(page, f"{button}: registrerat.")
    if new_status:
        expect(page.get_by_role("heading", level=1)).to_contain_text(new_status)


def test_jurist_triage_summons_course_to_payment(page: Page, shot, artifacts):
    # --- Log in, the Triagekö ------------------------------------------------------------------
    login(page, JURIST)
    shot(page, "arenden")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Triagekö").click()
    expect(page.get_by_role("heading", level=1, name="Triagekö")).to_be_visible()
    shot(page, "triagekö")

    # --- One case: the four factors and the recommendation ----------------------------------------
    recommended_summons = open_case_recommended_for_summons(page)
    expect(page.get_by_role("heading", level=1, name=re.compile(r"^Triage – "))).to_be_visible()
    reference = re.search(r"Triage – (\S+)", page.get_by_role("heading", level=1).inner_text()).group(1)
    factors = page.locator("section.factor")
    expect(factors).to_have_count(len(FACTORS))
    for index, title in enumerate(FACTORS):
        expect(factors.nth(index).get_by_role("heading", level=2)).to_have_text(title)
        expect(factors.nth(index).get_by_role("meter", name=re.compile(f"^{title}: "))).to_be_visible()
        expect(factors.nth(index).get_by_role("paragraph").last).not_to_be_empty()  # the explanation
    recommendation = page.get_by_role("heading", level=2, name=re.compile(r"^Rekommendation: "))
    expect(recommendation).to_be_visible()
    recommended = recommendation.inner_text().split(": ", 1)[1].strip()
    expect(page.get_by_role("row", name=re.compile(re.escape(recommended))).first).to_contain_text("Rekommenderas")
    decision = page.locator("#beslut")
    choice = decision.get_by_label("Åtgärd", exact=True)
    chosen_label = choice.locator("option:checked").inner_text().strip()
    assert chosen_label == recommended, "the decision form should preselect the recommendation"
    shot(page, "triage")

    # --- Accept the recommendation (or, if no case recommends a stämning, choose one with a reason)
    if not recommended_summons:
        available = [squash(t) for t in page.get_by_role("row").filter(has_not_text="Ej tillämplig")
                     .get_by_role("rowheader").all_inner_texts()]
        chosen_label = next(label.replace(" Rekommenderas", "") for label in available if SUMMONS.match(label))
        choice.select_option(label=chosen_label)
        decision.get_by_label(re.compile("^Motivering")).fill("E2E: stämning för att pröva hela förloppet.")
    decision.get_by_role("button", name="Registrera beslut").click()
    flash(page, f"Beslutet är registrerat: {chosen_label}.")
    expect(page.get_by_role("heading", level=1, name=re.compile(f"Ärende {reference}"))).to_contain_text(
        "Förslag om rättslig åtgärd")
    shot(page, "ärende-efter-beslut")

    # The parties and the claimed capital, as the case page shows them.
    parties = page.get_by_role("heading", name="Parter").locator("xpath=..")
    creditor_name = parties.locator("dt:text-is('Fordringsägare') + dd").inner_text().splitlines()[0].strip()
    debtor_name = squash(parties.locator("dt:text-is('Gäldenär') + dd").get_by_role("link").inner_text())
    debtor_id = re.search(r"\d{6,8}-\d{4}", fact(page, "Gäldenär", parties)).group(0)
    capital = parse_sek(page.get_by_role("row", name=re.compile("Summa kapital")).inner_text())
    case_path = urlparse(page.url).path

    # --- The creditor approves going to court in the portal (the summons waits for it); the demo
    # creditor without portal users has a standing approval set by an admin.
    portal_user = {FJALLKRAFT: CREDITOR_FJALLKRAFT, MALARDALENS: CREDITOR_MALARDALENS}.get(creditor_name)
    if portal_user:
        logout(page)
        login(page, portal_user)
        page.goto(case_path.replace("/arenden/", "/portal/arenden/"))
        page.get_by_role("button", name="Godkänn rättslig åtgärd").click()
        expect(page.get_by_role("status").filter(has_text="godkände förslaget")).to_be_visible()
        shot(page, "portal-godkännande")
        logout(page)
        login(page, JURIST)
        page.goto(case_path)

    # --- Handlingar → Stämningsansökan → preview → upprätta → download the .docx ------------------
    page.get_by_role("link", name="Handlingar", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=f"Handlingar – {reference}")).to_be_visible()
    page.get_by_role("link", name="Stämningsansökan", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=f"Stämningsansökan – {reference}")).to_be_visible()
    no_error_flash(page)  # 'Handlingen kan inte upprättas ännu' would be an alert
    expect(page.get_by_role("heading", name="Detta kommer att ges in")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text(creditor_name)
    expect(page.locator("dl.facts")).to_contain_text(debtor_name)
    shot(page, "stämningsansökan-förhandsgranskning")
    page.get_by_role("button", name="Upprätta stämningsansökan").click()
    # "… fanns redan för samma uppgifter" when an earlier run (e.g. the bulk test) made the same one.
    flash(page, re.compile(r"^Stämningsansökan (är upprättad|fanns redan för samma uppgifter)"))
    document_id = parse_qs(urlparse(page.url).query)["ny"][0]  # the row the page highlights
    row = page.get_by_role("row").filter(has=page.locator(f"a[href*='/dokument/{document_id}/']"))
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").first).to_have_text("Stämningsansökan")
    shot(page, "handlingar")
    with page.expect_download() as download_info:
        row.get_by_role("link", name=".docx").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx"), download.suggested_filename
    saved = artifacts / download.suggested_filename
    download.save_as(saved)
    text = docx_text(saved)
    for needle in (creditor_name, debtor_name, debtor_id, sek(capital)):
        assert squash(needle) in text, f"{needle!r} not in the stämningsansökan: {text[:600]}…"

    # --- The case's course: Nästa steg ------------------------------------------------------------
    page.get_by_role("navigation", name="Brödsmulor").get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1, name=re.compile(f"Ärende {reference}"))).to_be_visible()

    # The server's today, as the Reskontra states it ("Att betala 2026-11-23"); the court dates lie
    # before it so that the dom has become final (laga kraft) by today.
    balance_label = page.locator("#reskontra dt", has_text="Att betala").inner_text()
    today = date.fromisoformat(re.search(r"\d{4}-\d{2}-\d{2}", balance_label).group(0))
    judgment_on = today - timedelta(days=40)
    hearing_on = judgment_on - timedelta(days=14)
    filed_on = hearing_on - timedelta(days=60)
    take_step(page, shot, "Ge in stämningsansökan", fill={"Datum då ansökan gavs in": filed_on.isoformat()},
              new_status="Stämningsansökan ingiven")
    take_step(page, shot, "Registrera att förberedelsen inletts", fill={"Målnummer": "T 4711-26"},
              new_status="Förberedelse")
    take_step(page, shot, "Registrera kallelse till förhandling",
              fill={"Datum för förhandlingen": hearing_on.isoformat(), "Klockslag (TT:MM)": "09:30",
                    "Sal eller videolänk": "Sal 3", "Deltagare": "Anna Lindqvist"},
              select={"Typ av förhandling (muntlig förberedelse eller huvudförhandling)": "Huvudförhandling"},
              new_status="Förhandling")
    expect(page.locator("#forlopp")).to_contain_text(f"{hearing_on.isoformat()} 09:30 – Huvudförhandling, Sal 3")

    awarded, costs = capital, Decimal("2800.00")
    take_step(page, shot, "Registrera dom",
              fill={"Datum då domen meddelades": judgment_on.isoformat(), "Målnummer": "T 4711-26",
                    "Utdömt kapital (kr)": sek(awarded), "Utdömda rättegångskostnader (kr)": "2 800,00"},
              new_status="Dom meddelad")
    course = page.locator("#forlopp")
    outcome = course.get_by_role("paragraph").filter(has=page.locator("strong", has_text=re.compile("^Dom$")))
    expect(outcome).to_have_count(1)
    outcome_text = squash(outcome.inner_text())
    assert outcome_text.startswith(f"Dom {judgment_on.isoformat()}"), outcome_text
    assert f"kapital {sek(awarded)} kr" in outcome_text, outcome_text
    assert f"kostnader {sek(costs)} kr" in outcome_text, outcome_text
    # Frister: Överklagandefrist on the date app.law.deadlines computes (RB 50 kap. 1 §).
    deadlines = course.get_by_role("heading", name="Frister").locator("xpath=..")
    appeal_row = deadlines.get_by_role("row").filter(has_text="Överklagandefrist")
    expect(appeal_row).to_have_count(1)
    expect(appeal_row.get_by_role("cell").first).to_have_text(appeal_deadline(judgment_on).isoformat())
    page.locator("#forlopp").scroll_into_view_if_needed()
    shot(page, "ärende-dom-frister")

    take_step(page, shot, "Registrera laga kraft",
              fill={"Datum då domen vann laga kraft": final_on(judgment_on).isoformat()}, new_status="Laga kraft")
    expect(course).to_contain_text(f"laga kraft {final_on(judgment_on).isoformat()}")
    take_step(page, shot, "Ansök om verkställighet",
              select={"Exekutionstitel (dom eller utslag)": "Dom"}, new_status="Verkställighet")

    # --- A payment, and the Reskontra ---------------------------------------------------------------
    ledger = page.locator("#reskontra")
    before = parse_sek(fact(page, "Att betala", ledger))
    ledger.get_by_role("link", name="Registrera betalning").click()
    expect(page.get_by_role("heading", level=1, name=f"Registrera betalning – {reference}")).to_be_visible()
    paid_on = form_date(page, "Betalningsdatum")
    page.get_by_label("Belopp (kr)").fill("1 500,00")
    page.get_by_label("Betalningen kom från").select_option(label="Redovisning från Kronofogden")
    page.get_by_label("Anteckning").fill("Delredovisning, e2e")
    shot(page, "betalning")
    page.get_by_role("button", name="Spara").click()
    flash(page, "Betalningen är registrerad.")
    ledger = page.locator("#reskontra")
    payment = ledger.get_by_role("row").filter(has_text=paid_on.isoformat())
    expect(payment).to_have_count(1)
    expect(payment.get_by_role("cell").nth(2)).to_have_text("1 500,00 kr")  # Belopp
    after = parse_sek(fact(page, "Att betala", ledger))
    assert after == before - Decimal("1500.00"), (before, after)
    ledger.scroll_into_view_if_needed()
    shot(page, "reskontra")
