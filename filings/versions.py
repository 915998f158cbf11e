"""Where the templates are, and their versions.

A template's version is the first 12 hex digits of the SHA-256 of the
template file (``filings/templates/<kind>.docx``).  The templates are built
reproducibly by ``filings/templates/build_templates.py``, so the version
changes exactly when the template's content changes, with no number to bump
by hand.  The version is part of :func:`filings.model.input_hash`.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from .model import KINDS

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"

_lock = threading.Lock()
_cache: dict[tuple[str, int, int], str] = {}


def template_path(kind: str, template_dir: Path | None = None) -> Path:
    if kind not in KINDS:
        raise KeyError(f"unknown document kind: {kind!r}")
    return (template_dir or TEMPLATE_DIR) / f"{kind}.docx"


def file_version(path: str | os.PathLike[str]) -> str:
    """First 12 hex digits of the file's SHA-256, cached per (path, mtime, size)."""
    st = os.stat(path)
    key = (os.fspath(path), st.st_mtime_ns, st.st_size)
    with _lock:
        found = _cache.get(key)
    if found is not None:
        return found
    with open(path, "rb") as fh:
        version = hashlib.sha256(fh.read()).hexdigest()[:12]
    with _lock:
        # one entry per path: drop versions of older file states
        for old in [k for k in _cache if k[0] == key[0]]:
            del _cache[old]
        _cache[key] = version
    return version


def template_version(kind: str, template_dir: Path | None = None) -> str:
    """The version of the kind's template (first 12 hex of its SHA-256)."""
    return file_version(template_path(kind, template_dir))
