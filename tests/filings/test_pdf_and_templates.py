"""PDF through LibreOffice (when installed) and the committed templates."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import re
import zipfile
from pathlib import Path

import pytest

import filings
from filings import pdf
from filings.engine import KINDS
from filings.sample import sample_input
from filings.versions import TEMPLATE_DIR


@pytest.mark.skipif(not pdf.pdf_available(), reason="LibreOffice (soffice) is not installed")
def test_engine_output_converts_to_pdf():
    docx = filings.render("stamningsansokan", sample_input("stamningsansokan"))
    data = pdf.docx_to_pdf(docx)
    assert data.startswith(b"%PDF-")
    # 2–4 pages (LibreOffice writes one /Type /Page object per page)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert 2 <= pages <= 4, pages


def test_pdf_unavailable_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("TVIST_SOFFICE", "/nonexistent/soffice")
    assert pdf.pdf_available() is False
    with pytest.raises(pdf.PdfUnavailable, match="LibreOffice"):
        pdf.docx_to_pdf(b"not used")


def test_pdf_conversion_failure_is_reported(monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\necho 'kaputt' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("TVIST_SOFFICE", str(fake))
    with pytest.raises(pdf.PdfConversionFailed, match="kod 3"):
        pdf.docx_to_pdf(b"x")


def test_pdf_timeout(monkeypatch, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 30\n")
    fake.chmod(0o755)
    monkeypatch.setenv("TVIST_SOFFICE", str(fake))
    with pytest.raises(pdf.PdfConversionFailed, match="avbröts"):
        pdf.docx_to_pdf(b"x", timeout=0.5)


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_templates", TEMPLATE_DIR / "build_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_templates_are_the_build_output(tmp_path):
    """build_templates.py is deterministic and the committed .docx files are up to date."""
    builder = _load_builder()
    first = builder.build_all(tmp_path / "a")
    second = builder.build_all(tmp_path / "b")
    assert first == second
    for kind in KINDS:
        committed = hashlib.sha256((TEMPLATE_DIR / f"{kind}.docx").read_bytes()).hexdigest()
        assert committed == first[kind], f"{kind}.docx is stale: run filings/templates/build_templates.py"


_AMOUNT_RE = re.compile(r"\d[\d\s\u00a0]*(?:[.,]\d+)?\s*(?:kr\b|kronor\b|procent\b|%)|\b\d{3,}\b")


@pytest.mark.parametrize("kind", KINDS)
def test_no_legal_numbers_in_templates(kind):
    """Amounts, rates, fees and limits come from the input: the templates' fixed text holds none."""
    with zipfile.ZipFile(TEMPLATE_DIR / f"{kind}.docx") as z:
        texts = []
        for name in z.namelist():
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                xml = z.read(name).decode("utf-8")
                texts.extend(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))
    fixed = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", " ", " ".join(texts))
    assert not _AMOUNT_RE.findall(fixed), _AMOUNT_RE.findall(fixed)


def test_templates_have_fixed_metadata():
    with zipfile.ZipFile(TEMPLATE_DIR / "stamningsansokan.docx") as z:
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
        core = z.read("docProps/core.xml").decode()
        assert "2026-01-01T00:00:00Z" in core and "Stämningsansökan" in core
        assert "docProps/thumbnail.jpeg" not in z.namelist()


def test_engine_output_opens_as_zip_with_fixed_times():
    data = filings.render("forlikning", sample_input("forlikning"))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
        assert z.namelist()[0] == "[Content_Types].xml"


def test_package_uses_only_the_pure_law_package_of_the_app():
    """filings takes plain data: no web app, no ORM. It may use app.law, which is pure
    Python, for the one Swedish money format shared by the whole product."""
    root = Path(filings.__file__).resolve().parent
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"^\s*(?:from|import)\s+([\w.]+)", text, re.M):
            module = match.group(1)
            assert module.split(".")[0] not in ("flask", "sqlalchemy", "flask_sqlalchemy"), (path, module)
            if module.split(".")[0] == "app":
                assert module.startswith("app.law"), (path, module)
