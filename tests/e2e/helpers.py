"""Small helpers shared by the journeys: logging in and out, reading values off pages, .docx text."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

# Without Playwright the test modules that import this one are skipped, with the reason.
_sync_api = pytest.importorskip(
    "playwright.sync_api",
    reason="e2e: the 'playwright' Python package is not installed (pip install playwright; "
           "Chromium comes from the system, never `playwright install`)")
Page = _sync_api.Page
expect = _sync_api.expect

PASSWORD = "tvist-demo-2026"  # app/demo/seed.py DEMO_PASSWORD
JURIST = "anna.lindqvist@tvist.test"
ADMIN = "admin@tvist.test"
CREDITOR_FJALLKRAFT = "karin.holm@fjallkraft.test"
CREDITOR_MALARDALENS = "jonas.ek@malardalensbygg.test"
FJALLKRAFT = "Fjällkraft Elhandel AB"
MALARDALENS = "Mälardalens Bygg & Montage AB"

_SPACES = re.compile(r"[\s\u00a0\u202f]+")


def squash(text: str) -> str:
    """Every run of whitespace (incl. no-break and narrow no-break spaces) as one plain space."""
    return _SPACES.sub(" ", text).strip()


def login(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/logga-in")
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Välkommen")).to_be_visible()


def logout(page: Page) -> None:
    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    expect(page.get_by_text("Du är utloggad.")).to_be_visible()


def flash(page: Page, text: str | re.Pattern) -> None:
    """Wait for a success/info flash (role status) with this text; fail at once, with the message,
    if an error (role alert: a flash or a form's error summary) is shown instead."""
    wanted = page.get_by_role("status").filter(has_text=text)
    expect(wanted.or_(page.get_by_role("alert")).first).to_be_visible()
    no_error_flash(page)
    expect(wanted).to_be_visible()


def no_error_flash(page: Page) -> None:
    """No error (role alert) on the page as it is now."""
    alerts = page.get_by_role("alert")
    if alerts.count():
        raise AssertionError("error shown: " + " | ".join(squash(t) for t in alerts.all_inner_texts()))


def fact(page: Page, term: str, scope=None) -> str:
    """The text of the <dd> after the <dt> named ``term`` in a facts list."""
    root = scope if scope is not None else page
    term_cell = root.locator("dl.facts dt", has_text=term).first
    return squash(term_cell.locator("xpath=following-sibling::dd[1]").inner_text())


def form_date(page: Page, label: str) -> date:
    """The ISO date an (IsoDateField) input is prefilled with: the server's today."""
    return date.fromisoformat(page.get_by_label(label, exact=True).input_value())


def parse_sek(text: str) -> Decimal:
    """'38 782,94 kr' → Decimal('38782.94')."""
    match = re.search(r"-?[\d\s\u00a0\u202f]+,\d{2}", text)
    assert match, f"no amount in {text!r}"
    return Decimal(_SPACES.sub("", match.group(0)).replace(",", "."))


def sek(amount: Decimal) -> str:
    """Decimal('38782.94') → '38 782,94' (plain spaces; compare against squash()ed text)."""
    whole, _, ore = f"{amount:.2f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return f"{sign}{' '.join(groups)},{ore}"


def docx_text(source: Path | bytes) -> str:
    """All text of a .docx (a file or its bytes): body paragraphs, tables (nested too), headers, footers."""
    import io

    import docx

    document = docx.Document(io.BytesIO(source) if isinstance(source, bytes) else str(source))
    parts: list[str] = []

    def cells(table):
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
                for inner in cell.tables:
                    cells(inner)

    parts.extend(p.text for p in document.paragraphs)
    for table in document.tables:
        cells(table)
    for section in document.sections:
        for part in (section.header, section.footer):
            parts.extend(p.text for p in part.paragraphs)
            for table in part.tables:
                cells(table)
    return squash("\n".join(parts))
