"""Stored files (evidence, generated documents) under generated names in STORAGE_DIR.

Names are random and carry no user input, so no path can be smuggled in; a name
read back from the database is re-checked before it is turned into a path.
"""
from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

from flask import current_app

_NAME = re.compile(r"^[a-z]+/[0-9a-f]{2}/[0-9a-f]{32}\.[a-z0-9]{1,5}$")


def _root() -> Path:
    return Path(current_app.config["STORAGE_DIR"])


def store(data: bytes, *, area: str, extension: str, durable: bool = True) -> str:
    """Write ``data`` atomically and return its stored name (``area/ab/<32 hex>.ext``).

    ``durable=False`` skips the per-file fsync; the caller must then call :func:`sync`
    before committing the rows that point to the files (bulk work does this per chunk)."""
    token = secrets.token_hex(16)
    name = f"{area}/{token[:2]}/{token}.{extension}"
    path = _root() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".part")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        if durable:
            os.fsync(fh.fileno())
    os.replace(tmp, path)
    return name


def path_of(stored_name: str) -> Path:
    if not _NAME.match(stored_name or ""):
        raise ValueError("invalid stored file name")
    return _root() / stored_name


def remove(stored_name: str) -> None:
    try:
        path_of(stored_name).unlink()
    except FileNotFoundError:
        pass


def sync() -> None:
    """Flush every file written with ``durable=False`` to disk (one call per batch)."""
    os.sync()
