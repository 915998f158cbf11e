"""Upload checks: type by content, size, zip bombs and DOCTYPEs refused before unpacking."""
from __future__ import annotations

import io
import zipfile

import pytest

from app.core.uploads import UploadLimits, UploadRejected, check_upload, safe_display_name


def docx_bytes(document_xml: bytes = b"<w:document/>", extra: dict[str, bytes] | None = None,
               compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("word/document.xml", document_xml)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("data,name,content_type", [
    (b"%PDF-1.7\n...", "avtal.pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n....", "kvitto.png", "image/png"),
    (b"\xff\xd8\xff\xe0....", "foto.JPG", "image/jpeg"),
    (b"From: kund@exempel.se\nSubject: Faktura\n\nHej!", "mejl.eml", "message/rfc822"),
    ("Anteckning om samtal med gäldenären.\n".encode(), "anteckning.txt", "text/plain"),
    (b"%PDF-1.4 renamed", "faktura.txt", "application/pdf"),  # the content decides, not the name
])
def test_accepted_types_decided_by_content(data, name, content_type):
    assert check_upload(data, name).content_type == content_type


def test_docx_accepted():
    checked = check_upload(docx_bytes(), "avtal.docx")
    assert checked.extension == "docx" and len(checked.sha256) == 64


@pytest.mark.parametrize("data,name", [
    (b"MZ\x90\x00\x03" + b"\x00" * 100, "faktura.pdf"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "avtal.docx"),
    (b"#!/bin/sh\nrm -rf /\n", "anteckning.txt"),
])
def test_renamed_executable_refused(data, name):
    with pytest.raises(UploadRejected, match="program"):
        check_upload(data, name)


def test_oversized_file_refused_with_limit_in_message():
    with pytest.raises(UploadRejected, match=r"för stor .*högst 1,0 MB"):
        check_upload(b"%PDF-" + b"0" * (1024 * 1024), "stor.pdf", UploadLimits(max_bytes=1024 * 1024))


def test_zip_bomb_refused_before_unpacking():
    bomb = docx_bytes(extra={"word/media/bomb.bin": b"\x00" * (50 * 1024 * 1024)})
    assert len(bomb) < 200 * 1024  # tiny on disk
    with pytest.raises(UploadRejected, match="zip-bomb"):
        check_upload(bomb, "bomb.docx")


def test_too_many_entries_refused():
    data = docx_bytes(extra={f"word/x{i}.xml": b"<x/>" for i in range(30)})
    with pytest.raises(UploadRejected, match="för många delar"):
        check_upload(data, "many.docx", UploadLimits(max_zip_entries=10))


def test_docx_with_doctype_refused():
    xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><w:document>&e;</w:document>'
    with pytest.raises(UploadRejected, match="DOCTYPE"):
        check_upload(docx_bytes(xxe), "xxe.docx")


@pytest.mark.parametrize("data,message", [
    (b"", "tom"),
    (b"PK\x03\x04 truncated", "trasig"),
    (b"\x00\x01\x02\x03binary", "känns inte igen"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "Äldre Office-filer"),
])
def test_other_refusals_say_why(data, message):
    with pytest.raises(UploadRejected, match=message):
        check_upload(data, "fil.doc")


def test_plain_zip_that_is_not_docx_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("secret.txt", "x")
    with pytest.raises(UploadRejected, match="Word-dokument"):
        check_upload(buf.getvalue(), "arkiv.zip")


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd", "passwd"), ("C:\\temp\\avtal.pdf", "avtal.pdf"), ("a\x00b\x07.pdf", "ab.pdf"), ("", "fil"),
])
def test_display_name_has_no_path(name, expected):
    assert safe_display_name(name) == expected
