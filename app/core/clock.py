"""'Today' for the application layer: the Swedish calendar date.

app/law never asks for the date; the app decides which day it is and passes it in.
"""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def today() -> date:
    return datetime.now(STOCKHOLM).date()
