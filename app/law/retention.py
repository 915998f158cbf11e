"""How long bookkeeping records must be kept (bokföringslag 1999:1078 7 kap. 2 §).

Räkenskapsinformation is kept "till och med det sjunde året efter utgången av det kalenderår då
räkenskapsåret avslutades". With the calendar year as räkenskapsår, a record from any day of year
Y is kept through 31 December of year Y + 7. The number of years is in ``time_limits.toml``.
"""
from __future__ import annotations

from datetime import date

from app.law import tables

__all__ = ["bookkeeping_retained_until"]


def bookkeeping_retained_until(last_event: date) -> date:
    """The last day a bookkeeping record from ``last_event`` must still be kept."""
    years, unit = tables.time_limit("bookkeeping_retention", last_event)
    if unit != "years":
        raise tables.LawDataInvalid(f"time_limits.bookkeeping_retention must be in years, got {unit}")
    return date(last_event.year + years, 12, 31)
