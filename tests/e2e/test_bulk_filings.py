"""Journey 2: a jurist previews a bulk run (Massutskick) for all of one creditor's open cases, sees
which cases the filing does not fit and why, starts it for the rest; the real Celery worker renders
the filings while the job page's progress bar advances; the zip holds one .docx per case that could
be generated."""
from __future__ import annotations

import re
import time
import zipfile

import pytest

from tests.e2e.helpers import FJALLKRAFT, JURIST, Page, docx_text, expect, flash, login, squash

pytestmark = pytest.mark.e2e

KIND = "Förlikningsavtal / avbetalningsplan"
JOB_TIMEOUT_S = 120


def test_bulk_summons_for_a_creditor(page: Page, shot, artifacts):
    login(page, JURIST)
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Massutskick").click()
    expect(page.get_by_role("heading", level=1, name="Massutskick av handlingar")).to_be_visible()
    page.get_by_label("Handling", exact=True).select_option(label=KIND)
    page.get_by_label("Fordringsägare", exact=True).select_option(label=FJALLKRAFT)
    page.get_by_label("Ärenden med status", exact=True).select_option(label="Alla öppna")
    shot(page, "massutskick")
    page.get_by_role("button", name="Förhandsgranska urvalet").click()
    preview = page.locator("#bulk-preview")
    expect(preview).to_contain_text("där handlingen passar ärendets läge")
    shot(page, "massutskick-urval")
    page.get_by_role("button", name=re.compile(r"^Starta för \d+ ärenden$")).click()
    queued_text = re.compile(r"\d+ ärenden köades för förlikningsavtal")
    flash(page, queued_text)
    queued = page.get_by_role("status").filter(has_text=queued_text)
    total = int(re.search(r"(\d+) ärenden köades", queued.inner_text()).group(1))
    assert total >= 50, f"the selection should have at least 50 cases, got {total}"
    heading = page.get_by_role("heading", level=1, name=re.compile(rf"^{re.escape(KIND).replace('/', '.')} – jobb #\d+$"))
    expect(heading).to_be_visible()
    job_id = int(heading.inner_text().rsplit("#", 1)[1])
    shot(page, "jobb-startat")

    # Watch the bar (updated by the page's own polling script) until the worker is done.
    bar = page.locator("progress#job-progress")
    expect(bar).to_have_attribute("max", "100")
    seen: list[int] = []
    deadline = time.monotonic() + JOB_TIMEOUT_S
    while time.monotonic() < deadline:
        value = int(float(bar.get_attribute("value") or 0))
        if not seen or seen[-1] != value:
            seen.append(value)
        if value >= 100 and page.locator("#job").get_attribute("data-finished") == "true":
            break
        page.wait_for_timeout(200)
    assert seen and seen[-1] == 100, f"the job did not reach 100 % within {JOB_TIMEOUT_S} s (saw {seen})"
    assert seen == sorted(seen), f"the progress went backwards: {seen}"
    expect(page.locator("#job-status")).to_have_text(re.compile(r"^Klar"))
    expect(page.locator("#job-count")).to_have_text(f"{total} av {total}")
    zip_link = page.get_by_role("link", name="Ladda ned alla handlingar (zip)")
    expect(zip_link).to_be_visible()
    failed = page.locator("#job-errors li")
    failures = [squash(t) for t in failed.all_inner_texts()]
    shot(page, "jobb-klart")

    with page.expect_download() as download_info:
        zip_link.click()
    download = download_info.value
    assert download.suggested_filename == f"forlikning-jobb-{job_id}.zip", download.suggested_filename
    saved = artifacts / download.suggested_filename
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        docx_names = [n for n in names if n.lower().endswith(".docx")]
        assert len(docx_names) == len(set(docx_names)) == len(names), names
        assert len(docx_names) == total - len(failures), (
            f"{len(docx_names)} .docx in the zip, expected {total} cases − {len(failures)} failures: {failures}")
        assert len(docx_names) >= 30
        for name in (docx_names[0], docx_names[-1]):  # they really are Word documents
            assert "FÖRLIKNING" in docx_text(archive.read(name)).upper(), name

    # The job is listed under Senaste jobb with its counts.
    page.get_by_role("navigation", name="Brödsmulor").get_by_role("link", name="Massutskick").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=f"#{job_id}", exact=True))
    expect(row).to_contain_text("Klar")
    expect(row).to_contain_text(f"{total - len(failures)} / {total}")
    shot(page, "senaste-jobb")
    print(f"bulk job #{job_id}: {total} cases, {len(docx_names)} documents, progress seen {seen}, "
          f"failures {failures}")
