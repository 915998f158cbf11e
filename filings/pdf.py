"""PDF from a rendered .docx, through LibreOffice (``soffice --headless``).

LibreOffice is an optional system dependency: :func:`pdf_available` says
whether ``soffice`` (or ``libreoffice``) is on PATH; :func:`docx_to_pdf`
raises :class:`PdfUnavailable` when it is not, and :class:`PdfConversionFailed`
when the conversion fails or times out.

Each conversion runs in its own temporary directory with its own
LibreOffice user profile (``-env:UserInstallation``), so conversions can
run in parallel (e.g. several Celery workers) without fighting over the
profile lock.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

__all__ = ["PdfUnavailable", "PdfConversionFailed", "soffice_path", "pdf_available", "docx_to_pdf"]

DEFAULT_TIMEOUT = 120.0


class PdfUnavailable(RuntimeError):
    """LibreOffice (soffice) is not installed / not on PATH."""


class PdfConversionFailed(RuntimeError):
    """LibreOffice ran but produced no PDF (error, or timeout)."""


def soffice_path() -> str | None:
    """Path of the LibreOffice binary, or None (``TVIST_SOFFICE`` overrides the search)."""
    override = os.environ.get("TVIST_SOFFICE")
    if override:
        return override if shutil.which(override) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    """True if LibreOffice can be run to make PDFs."""
    return soffice_path() is not None


def docx_to_pdf(docx_bytes: bytes, timeout: float = DEFAULT_TIMEOUT) -> bytes:
    """Convert a .docx (bytes) to PDF (bytes) with ``soffice --headless --convert-to pdf``."""
    binary = soffice_path()
    if binary is None:
        raise PdfUnavailable("PDF kan inte skapas: LibreOffice (soffice) finns inte installerat på servern.")
    with tempfile.TemporaryDirectory(prefix="tvist-pdf-") as tmp:
        tmpdir = Path(tmp)
        source = tmpdir / "document.docx"
        source.write_bytes(docx_bytes)
        profile = (tmpdir / "profile").as_uri()
        cmd = [
            binary,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmpdir),
            str(source),
        ]
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "HOME": str(tmpdir)},
            start_new_session=True,  # own process group: a timeout kills soffice.bin too
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.communicate()
            raise PdfConversionFailed(f"PDF-konverteringen tog mer än {timeout:.0f} sekunder och avbröts.") from exc
        target = tmpdir / "document.pdf"
        if proc.returncode != 0 or not target.exists():
            detail = (err or out or b"").decode("utf-8", "replace").strip()
            raise PdfConversionFailed(f"PDF-konverteringen misslyckades (kod {proc.returncode}): {detail[:500]}")
        return target.read_bytes()
