"""iCalendar feed of deadlines (RFC 5545): app.course.ical, parsed back with the icalendar package."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

icalendar = pytest.importorskip("icalendar")

from app.course.deadlines import CaseFacts, Deadline, derive_deadlines  # noqa: E402
from app.course.ical import FeedItem, calendar_feed, escape_text, fold_line, uid_for  # noqa: E402

GENERATED = datetime(2026, 6, 1, 10, 30, tzinfo=timezone(timedelta(hours=2)))
ODD_REFERENCE = "Brf Åsa; Öberg, Ärende\\1 – gäldenär med ett väldigt långt namn som måste radbrytas"
ODD_NAME = "Tvist – frister; Östra, Åby\\avd\nrad två"


def _items() -> list[FeedItem]:
    judgment = derive_deadlines(CaseFacts(judgment_on=date(2026, 6, 1)))  # appeal 06-22, final 06-23
    utslag = derive_deadlines(CaseFacts(utslag_on=date(2026, 3, 3)))
    items = [FeedItem("DEMO-0042", "https://tvist.test/arenden/42", d) for d in judgment]
    items += [FeedItem(ODD_REFERENCE, "https://tvist.test/arenden/43?flik=frister", d) for d in utslag]
    return items


def _feed(items=None, **kwargs) -> bytes:
    return calendar_feed(_items() if items is None else items, calendar_name=kwargs.get("name", ODD_NAME),
                         generated_at=kwargs.get("generated_at", GENERATED))


def _unescape(escaped: str) -> str:
    """Decode a TEXT value with icalendar's own parser (it unescapes typed properties such as SUMMARY)."""
    event = icalendar.Event.from_ical(f"BEGIN:VEVENT\r\nSUMMARY:{escaped}\r\nEND:VEVENT\r\n")
    return str(event["SUMMARY"])


def _events(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_events_dates_and_uids_round_trip():
    items = _items()
    events = _events(_feed(items))
    assert set(events) == {uid_for(i.case_reference, i.deadline.code) for i in items}
    assert len(events) == len(items) == 4
    for item in items:
        event = events[uid_for(item.case_reference, item.deadline.code)]
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is date and start == item.deadline.due_on  # all-day, not a datetime
        assert end == item.deadline.due_on + timedelta(days=1)
        assert event["DTSTART"].params["VALUE"] == "DATE"
        assert event.decoded("DTSTAMP") == datetime(2026, 6, 1, 8, 30, tzinfo=timezone.utc)
        assert str(event["SUMMARY"]) == f"{item.deadline.label} – {item.case_reference}"
        description = str(event["DESCRIPTION"])
        assert item.deadline.source in description and item.case_reference in description
        assert item.case_url in description and str(event["URL"]) == item.case_url
        (alarm,) = event.walk("VALARM")
        assert alarm.decoded("TRIGGER") == -timedelta(days=1) and str(alarm["ACTION"]) == "DISPLAY"


def test_summary_example_and_uid_shape():
    events = _events(_feed())
    event = events["DEMO-0042.appeal@tvist"]
    assert str(event["SUMMARY"]) == "Överklagandefrist – DEMO-0042"
    assert event.decoded("DTSTART") == date(2026, 6, 22)
    assert events["DEMO-0042.final@tvist"].decoded("DTSTART") == date(2026, 6, 23)


def test_name_with_semicolon_comma_backslash_newline_and_swedish_letters_survives():
    data = _feed()
    text = data.decode("utf-8")
    assert "Östra\\, Åby\\\\avd\\nrad två" in text.replace("\r\n ", "")
    calendar = icalendar.Calendar.from_ical(data)
    for prop in ("NAME", "X-WR-CALNAME"):  # icalendar keeps these untyped: decode the TEXT value ourselves
        assert _unescape(calendar[prop].to_ical().decode()) == ODD_NAME
    events = _events(data)
    odd = [e for e in events.values() if ODD_REFERENCE in str(e["SUMMARY"])]
    assert len(odd) == 2
    assert all(str(e["SUMMARY"]).endswith("– " + ODD_REFERENCE) for e in odd)


def test_crlf_line_ends_and_folding_at_75_octets():
    data = _feed()
    assert data.endswith(b"\r\n")
    physical = data[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    assert all(len(line) <= 75 for line in physical), max(physical, key=len)
    for line in physical:
        line.decode("utf-8")  # no UTF-8 sequence is split across a fold
    continuations = [line for line in physical if line.startswith(b" ")]
    assert continuations, "the long reference must produce folded lines"
    unfolded = data.replace(b"\r\n ", b"").decode("utf-8").split("\r\n")
    summary = "SUMMARY:" + escape_text(f"Återvinning av utslag – {ODD_REFERENCE}")
    assert summary in unfolded and len(summary.encode()) > 75


@settings(max_examples=150, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=400))
def test_fold_line_property(text):
    folded = fold_line("X:" + text)
    assert folded.endswith("\r\n")
    parts = folded[:-2].split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == "X:" + text


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        pytest.param("a,b", "a\\,b", id="comma"),
        pytest.param("a;b", "a\\;b", id="semicolon"),
        pytest.param("a\\b", "a\\\\b", id="backslash"),
        pytest.param("a\nb\r\nc\rd", "a\\nb\\nc\\nd", id="newlines"),
        pytest.param("åäö ÅÄÖ", "åäö ÅÄÖ", id="swedish letters untouched"),
        pytest.param("\\,", "\\\\\\,", id="backslash before comma escaped once"),
    ],
)
def test_escape_text(raw, escaped):
    assert escape_text(raw) == escaped
    assert _unescape(escaped) == raw.replace("\r\n", "\n").replace("\r", "\n")


def test_output_is_deterministic_and_uid_is_stable_when_a_date_is_corrected():
    assert _feed() == _feed(list(reversed(_items())))
    item = _items()[0]
    moved = FeedItem(item.case_reference, item.case_url,
                     Deadline(item.deadline.code, item.deadline.label, item.deadline.due_on + timedelta(days=2),
                              item.deadline.source, item.deadline.depends_on))
    (uid_before,) = _events(_feed([item]))
    (uid_after,) = _events(_feed([moved]))
    assert uid_before == uid_after


def test_empty_feed_is_a_valid_calendar():
    calendar = icalendar.Calendar.from_ical(_feed([], name="Tomt"))
    assert calendar.walk("VEVENT") == [] and str(calendar["VERSION"]) == "2.0"


def test_refuses_naive_timestamp_duplicates_and_bad_urls():
    with pytest.raises(ValueError, match="timezone"):
        _feed(generated_at=datetime(2026, 6, 1, 10, 30))
    item = _items()[0]
    with pytest.raises(ValueError, match="two deadlines"):
        _feed([item, item])
    with pytest.raises(ValueError, match="control characters"):
        _feed([FeedItem("X-1", "https://tvist.test/\r\nX-EVIL:1", item.deadline)])
