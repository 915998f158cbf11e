"""'Today' for the application layer: the Swedish calendar date.

app/law never asks for the date; the app decides which day it is and passes it in.
Tests (and a demonstration) may fix the day with :func:`set_today` / :func:`fixed_today`; every
caller of :func:`today` in this process then sees it. A Celery worker is another process: work
handed to it carries its date (e.g. a bulk job's ``on``).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")

_fixed: date | None = None


def today() -> date:
    if _fixed is not None:
        return _fixed
    return datetime.now(STOCKHOLM).date()


def set_today(day: date | None) -> None:
    """Fix what :func:`today` answers (None: the real date again)."""
    global _fixed
    _fixed = day


@contextmanager
def fixed_today(day: date) -> Iterator[date]:
    """:func:`today` answers ``day`` inside the block."""
    previous = _fixed
    set_today(day)
    try:
        yield day
    finally:
        set_today(previous)
