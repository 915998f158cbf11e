"""Stored files (evidence, generated documents) under generated names in STORAGE_DIR.

Names are random and carry no user input, so no path can be smuggled in; a name
read back from the database is re-checked before it is turned into a path.
"""
from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from flask import current_app

_NAME = re.compile(r"^[a-z]+/[0-9a-f]{2}/[0-9a-f]{32}\.[a-z0-9]{1,5}$")


def _root() -> Path:
    return Path(current_app.config["STORAGE_DIR"])


def store(data: bytes, *, area: str, extension: str, durable: bool = True) -> str:
    """Write ``data`` atomically and return its stored name (``area/ab/<32 hex>.ext``).

    ``durable=False`` skips the per-file fsync; the caller must then call :func:`sync`
    before committing the rows that point to the files (bulk work does this per chunk)."""
    with writing(area=area, extension=extension, durable=durable) as (fh, name):
        fh.write(data)
    return name


@contextmanager
def writing(*, area: str, extension: str, durable: bool = True) -> Iterator[tuple[BinaryIO, str]]:
    """A new stored file written piece by piece: ``with writing(...) as (fh, name): fh.write(…)``.

    The content goes to ``<name>.part`` beside its final place and is moved there (atomically)
    when the block ends; if the block raises, the part file is removed and nothing is stored.
    For content too large to hold in memory (a bulk job's zip)."""
    token = secrets.token_hex(16)
    name = f"{area}/{token[:2]}/{token}.{extension}"
    path = _root() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".part")
    try:
        with open(tmp, "wb") as fh:
            yield fh, name
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
