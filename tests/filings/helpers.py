"""Helpers shared by the filings tests."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document


def zip_parts(data: bytes) -> list[tuple[str, bytes]]:
    """(name, uncompressed content) of every entry, in order; checks CRCs."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def body_blocks(data: bytes) -> tuple[list[str], list[list[list[str]]]]:
    """Paragraph texts and tables (rows of cell texts) of a .docx, via python-docx."""
    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return paragraphs, tables


def all_text(data: bytes) -> str:
    paragraphs, tables = body_blocks(data)
    parts = list(paragraphs)
    for t in tables:
        for row in t:
            parts.extend(row)
    doc = Document(io.BytesIO(data))
    for section in doc.sections:
        parts.extend(p.text for p in section.header.paragraphs)
    return "\n".join(parts)


def find_table(tables: list[list[list[str]]], first_header: str, second_header: str | None = None) -> list[list[str]]:
    for t in tables:
        if t and t[0][0] == first_header and (second_header is None or t[0][1] == second_header):
            return t
    raise AssertionError(f"no table starting with {first_header!r}/{second_header!r}")


def build_docx(tmp_path: Path, name: str, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    """A small docxtpl template made with python-docx."""
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        t = doc.add_table(rows=0, cols=len(table[0]))
        for row in table:
            cells = t.add_row().cells
            for i, text in enumerate(row):
                cells[i].text = text
    path = tmp_path / name
    doc.save(path)
    return path


def canonical_xml(data: bytes) -> bytes:
    """The XML's canonical form (C14N 1.0): the same for any two serialisations of one document."""
    from lxml import etree

    return etree.tostring(etree.fromstring(data), method="c14n")


def assert_same_package(fast: bytes, naive: bytes, rendered: tuple[str, ...] = ("word/document.xml",)) -> None:
    """The same entries in the same order; XML parts canonically equal; every part not rendered
    per document byte-for-byte equal (``rendered``: the parts that may differ in serialisation)."""
    fast_parts, naive_parts = zip_parts(fast), zip_parts(naive)
    assert [n for n, _ in fast_parts] == [n for n, _ in naive_parts]
    for (name, a), (_, b) in zip(fast_parts, naive_parts):
        if a == b:
            continue
        assert name in rendered or name.startswith(("word/header", "word/footer")), name
        assert canonical_xml(a) == canonical_xml(b), name
