"""Checking uploaded files before they are stored.

The type is decided by the content, never by the file name: a renamed program is
refused whatever it is called. Zip containers (.docx) are inspected through their
central directory only — entry count, total and per-entry uncompressed size and
compression ratio — before a single byte is unpacked, and their XML parts may not
declare a DOCTYPE (no entity tricks).
"""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass


class UploadRejected(ValueError):
    """The upload cannot be accepted; the message is Swedish and says why."""


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 20 * 1024 * 1024
    max_zip_entries: int = 500
    max_unpacked_bytes: int = 100 * 1024 * 1024
    max_compression_ratio: int = 100


@dataclass(frozen=True)
class CheckedUpload:
    data: bytes
    content_type: str
    extension: str
    sha256: str
    original_name: str

    @property
    def size(self) -> int:
        return len(self.data)


ACCEPTED = "PDF, bilder (PNG, JPEG), Word (.docx), e-post (.eml, .msg) och text (.txt)"
_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EMAIL_HEADER = re.compile(rb"^(From|To|Subject|Date|Received|Return-Path|Message-ID|MIME-Version):", re.I | re.M)


def safe_display_name(name: str) -> str:
    """The uploaded file's name as shown to users: no directories, no control characters."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip(" .")
    return base[:200] or "fil"


def check_upload(data: bytes, original_name: str, limits: UploadLimits = UploadLimits()) -> CheckedUpload:
    if not data:
        raise UploadRejected("Filen är tom.")
    if len(data) > limits.max_bytes:
        raise UploadRejected(f"Filen är för stor ({_mb(len(data))} MB); högst {_mb(limits.max_bytes)} MB tillåts.")
    if data.startswith(_EXECUTABLE_MAGIC):
        raise UploadRejected("Filen är ett program (körbar fil) och tas inte emot, oavsett filnamn.")
    content_type, extension = _sniff(data, original_name, limits)
    return CheckedUpload(data=data, content_type=content_type, extension=extension,
                         sha256=hashlib.sha256(data).hexdigest(), original_name=safe_display_name(original_name))


def _sniff(data: bytes, name: str, limits: UploadLimits) -> tuple[str, str]:
    if data.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if data.startswith(b"PK\x03\x04"):
        _check_docx(data, limits)
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
    if data.startswith(_CFB_MAGIC):
        if name.lower().endswith(".msg"):
            return "application/vnd.ms-outlook", "msg"
        raise UploadRejected("Äldre Office-filer (.doc, .xls) tas inte emot. Spara som PDF eller .docx.")
    text = _as_text(data)
    if text is not None:
        if _EMAIL_HEADER.search(data[:8192]) and b"\n\n" in data.replace(b"\r\n", b"\n")[:65536]:
            return "message/rfc822", "eml"
        return "text/plain", "txt"
    raise UploadRejected(f"Filtypen känns inte igen. Tillåtna filer: {ACCEPTED}.")


def _as_text(data: bytes) -> str | None:
    if b"\x00" in data[:65536]:
        return None
    for encoding in ("utf-8", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\t\n\r\f")
        return text if controls == 0 else None
    return None


def _check_docx(data: bytes, limits: UploadLimits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()  # the central directory only; nothing is decompressed
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UploadRejected("Filen är en trasig eller ofullständig zip/Word-fil.") from exc
    if len(entries) > limits.max_zip_entries:
        raise UploadRejected(f"Word-filen innehåller för många delar ({len(entries)}); högst "
                             f"{limits.max_zip_entries} tillåts.")
    unpacked = sum(e.file_size for e in entries)
    if unpacked > limits.max_unpacked_bytes:
        raise UploadRejected(f"Word-filen packas upp till {_mb(unpacked)} MB; högst "
                             f"{_mb(limits.max_unpacked_bytes)} MB tillåts (möjlig zip-bomb).")
    for entry in entries:
        if entry.compress_size and entry.file_size / entry.compress_size > limits.max_compression_ratio:
            raise UploadRejected("Word-filen är misstänkt hårt packad (möjlig zip-bomb) och tas inte emot.")
        if entry.filename.startswith("/") or ".." in entry.filename.split("/"):
            raise UploadRejected("Word-filen innehåller otillåtna sökvägar.")
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise UploadRejected("Zip-filer tas bara emot som Word-dokument (.docx).")
    for entry in entries:
        if entry.filename.endswith((".xml", ".rels")):
            # Sizes are already bounded above, so reading the parts is safe.
            head = archive.read(entry)[:4096].upper()
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise UploadRejected("Word-filen innehåller en DOCTYPE-deklaration och tas inte emot.")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".replace(".", ",")
