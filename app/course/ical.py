"""An iCalendar feed (RFC 5545) of case deadlines, for subscription in Outlook, Google or Apple calendars.

Each deadline becomes an all-day ``VEVENT`` (``DTSTART;VALUE=DATE`` on the last day, ``DTEND`` the next
day, RFC 5545 3.6.1) with a ``VALARM`` one day before. The ``UID`` is stable — built from the case
reference and the deadline code, ``<reference>.<code>@tvist`` with the reference percent-encoded — so
that a corrected date updates the existing event in a subscribed calendar instead of adding one.

Text is written as RFC 5545 requires: CRLF line ends (3.1), lines folded at 75 octets without
splitting a UTF-8 character, continuation lines starting with one space (3.1), and TEXT values escaped
(``\\`` → ``\\\\``, ``;`` → ``\\;``, ``,`` → ``\\,``, newline → ``\\n``; 3.3.11).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

from app.course.deadlines import Deadline

__all__ = ["FeedItem", "calendar_feed", "escape_text", "fold_line", "uid_for"]

PRODID = "-//Tvist//Frister//SV"
_MAX_OCTETS = 75


@dataclass(frozen=True)
class FeedItem:
    """A deadline with the case it belongs to: ``case_reference`` (e.g. ``"DEMO-0042"``) and the
    absolute ``case_url`` of the case page."""

    case_reference: str
    case_url: str
    deadline: Deadline


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold_line(line: str) -> str:
    """Fold one content line at 75 octets (RFC 5545 3.1): CRLF + a space before each continuation,
    never inside a UTF-8 character; the result ends with CRLF."""
    parts: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > _MAX_OCTETS:
            parts.append(current)
            current, size = " ", 1  # the leading space of a continuation line counts
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts) + "\r\n"


def uid_for(case_reference: str, code: str) -> str:
    """The stable UID of a deadline event: ``<percent-encoded reference>.<code>@tvist``."""
    return f"{quote(case_reference, safe='')}.{code}@tvist"


def _check_uri(value: str) -> str:
    if any(ch in value for ch in "\r\n") or any(ord(ch) < 0x20 for ch in value):
        raise ValueError(f"case_url must not contain control characters: {value!r}")
    return value


def _utc_stamp(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("generated_at must be timezone-aware (it is written in UTC)")
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _event(item: FeedItem, stamp: str) -> list[str]:
    deadline = item.deadline
    summary = f"{deadline.label} – {item.case_reference}"
    description = "\n".join([
        f"{deadline.label}: {deadline.due_on.isoformat()}",
        f"Regel: {deadline.source}" + (" (ej verifierad)" if deadline.to_verify else ""),
        f"Ärende: {item.case_reference}",
        item.case_url,
    ])
    return [
        "BEGIN:VEVENT",
        f"UID:{escape_text(uid_for(item.case_reference, deadline.code))}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{deadline.due_on.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{(deadline.due_on + timedelta(days=1)).strftime('%Y%m%d')}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(description)}",
        f"URL:{_check_uri(item.case_url)}",
        f"CATEGORIES:{escape_text(deadline.code)}",
        "TRANSP:TRANSPARENT",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        "TRIGGER:-P1D",
        f"DESCRIPTION:{escape_text(summary)}",
        "END:VALARM",
        "END:VEVENT",
    ]


def calendar_feed(
    deadlines_with_context: Iterable[FeedItem], *, calendar_name: str, generated_at: datetime
) -> bytes:
    """The deadlines as an RFC 5545 calendar (UTF-8 bytes, CRLF line ends, folded lines).

    Events are ordered by date, case reference and code, so the same input gives the same bytes.
    ``generated_at`` (timezone-aware) becomes every event's ``DTSTAMP`` in UTC. Two items with the same
    case reference and deadline code would share a UID and raise ValueError.
    """
    items = sorted(deadlines_with_context,
                   key=lambda item: (item.deadline.due_on, item.case_reference, item.deadline.code))
    stamp = _utc_stamp(generated_at)
    seen: set[str] = set()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"NAME:{escape_text(calendar_name)}",  # RFC 7986 5.1
        f"X-WR-CALNAME:{escape_text(calendar_name)}",  # the same, for clients that predate RFC 7986
    ]
    for item in items:
        uid = uid_for(item.case_reference, item.deadline.code)
        if uid in seen:
            raise ValueError(f"two deadlines '{item.deadline.code}' for case {item.case_reference} in one feed")
        seen.add(uid)
        lines.extend(_event(item, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold_line(line) for line in lines).encode("utf-8")
