"""The case's course in the app: steps, deadlines, payments, the daily job and the calendar feed."""
from __future__ import annotations

import socket
import threading
from datetime import date
from decimal import Decimal

import icalendar
from sqlalchemy import select

from app.cases.models import Case
from app.cases.status import CaseStatus
from app.extensions import db
from app.hearings.models import Notification
from app.hearings.services import scan_deadlines
from app.law.deadlines import answer_deadline, appeal_deadline, final_on
from tests import factories
from tests.conftest import extract_csrf
from tests.course_helpers import approve, walk
from tests.course_helpers import post_step as step


def fresh(case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


def test_from_summons_to_final_judgment_with_computed_deadlines(world, as_user):
    client = as_user(world.jurist)
    case = world.case_a
    for name, data in [
        ("propose_litigation", {"track": "simplified"}),
        ("creditor_approves", {}),
        ("file_summons", {"filed_on": "2026-09-01"}),
        ("start_preparation", {"court_case_number": "T 1234-26"}),
        ("schedule_hearing", {"hearing_on": "2026-10-05", "hearing_kind": "main", "hearing_time": "10:30",
                              "place": "Sal 4", "court": "Stockholms tingsrätt"}),
        ("register_judgment", {"judgment_on": "2026-06-01", "court_case_number": "T 1234-26",
                               "awarded_capital": "1 234,50", "interest_from": "2026-02-09",
                               "awarded_costs": "1 500"}),
    ]:
        if name == "creditor_approves":
            approve(fresh(case), world.user_a)
            continue
        response = step(client, case, name, data)
        assert response.status_code == 302, (name, response.get_data(as_text=True)[-1500:])
    case = fresh(case)
    assert case.status == CaseStatus.JUDGMENT
    deadlines = {d.code: d.due_on for d in case.deadlines}
    assert deadlines["appeal"] == appeal_deadline(date(2026, 6, 1))
    assert deadlines["final"] == final_on(date(2026, 6, 1))
    assert case.hearings[0].place == "Sal 4" and case.outcomes[0].awarded_capital == Decimal("1234.50")
    assert "2026-09-01" in case.limitation_interruptions  # the suit interrupted limitation
    html = client.get(f"/arenden/{case.id}").get_data(as_text=True)
    assert "Överklagande" in html and appeal_deadline(date(2026, 6, 1)).isoformat() in html
    # the dom is now an exekutionstitel for the ansökan om verkställighet
    response = step(client, case, "register_final", {"final_on": final_on(date(2026, 6, 1)).isoformat()})
    assert response.status_code == 302
    from app.documents.services import prepare
    assert prepare(fresh(case), "verkstallighet", date(2026, 11, 23), world.jurist).title.kind == "Dom"


def test_illegal_step_is_refused_with_a_clear_message_and_nothing_changes(world, as_user):
    client = as_user(world.jurist)
    response = step(client, world.case_a, "register_judgment", {"judgment_on": "2026-06-01",
                                                                 "court_case_number": "T 1-26"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "inte tillåtet" in page
    assert 'value="T 1-26"' in page  # what the jurist typed is kept
    assert fresh(world.case_a).status == CaseStatus.DISPUTED and not fresh(world.case_a).outcomes


def test_a_corrected_service_date_recomputes_the_answer_deadline(world, as_user):
    client = as_user(world.jurist)
    case = world.case_a
    step(client, case, "file_payment_order", {"filed_on": "2026-10-01"})
    step(client, case, "register_kfm_service", {"kfm_served_on": "2026-10-05"})
    first = {d.code: d.due_on for d in fresh(case).deadlines}["answer"]
    assert first == answer_deadline(date(2026, 10, 5))
    step(client, case, "register_kfm_service", {"kfm_served_on": "2026-10-12"})  # the date was wrong
    case = fresh(case)
    assert {d.code: d.due_on for d in case.deadlines}["answer"] == answer_deadline(date(2026, 10, 12))
    assert any("Frister beräknade" in e.message and "→" in e.message for e in case.timeline)


def test_payments_are_allocated_and_the_balance_shown(world, as_user):
    client = as_user(world.jurist)
    url = f"/arenden/{world.case_a.id}/betalningar/ny"
    token = extract_csrf(client.get(url).get_data(as_text=True))
    refused = client.post(url, data={"csrf_token": token, "paid_on": "2026-11-01", "amount": "-5", "source": "debtor"})
    assert "negativt" in refused.get_data(as_text=True)
    ok = client.post(url, data={"csrf_token": token, "paid_on": "2026-11-01", "amount": "1 000", "source": "debtor"})
    assert ok.status_code == 302
    html = client.get(f"/arenden/{world.case_a.id}").get_data(as_text=True)
    assert "Reskontra" in html and "1\u00a0000,00\u00a0kr" in html


class SmtpSink(threading.Thread):
    """A minimal local SMTP server that accepts one session and keeps what it received."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.received = b""

    def run(self):
        conn, _ = self.sock.accept()
        f = conn.makefile("rwb")

        def reply(text):
            f.write(text.encode() + b"\r\n")
            f.flush()

        reply("220 localhost")
        in_data = False
        for line in f:
            if in_data:
                if line.rstrip(b"\r\n") == b".":
                    in_data = False
                    reply("250 OK")
                else:
                    self.received += line
                continue
            cmd = line.strip().upper()
            if cmd.startswith(b"EHLO") or cmd.startswith(b"HELO"):
                reply("250 localhost")
            elif cmd.startswith(b"DATA"):
                in_data = True
                reply("354 go ahead")
            elif cmd.startswith(b"QUIT"):
                reply("221 bye")
                break
            else:
                reply("250 OK")
        conn.close()
        self.sock.close()


def test_daily_job_notifies_the_jurist_once_and_mails_when_smtp_is_set(world, app):
    case = world.case_a
    case.assigned_jurist = world.jurist
    walk(case, ("file_payment_order", {"filed_on": date(2026, 11, 10)}),
         ("register_kfm_service", {"kfm_served_on": date(2026, 11, 20)}))
    db.session.commit()
    sink = SmtpSink()
    sink.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=sink.port)
    try:
        result = scan_deadlines(date(2026, 11, 25), within_days=7)
        db.session.commit()
    finally:
        app.config.update(MAIL_SERVER="")
    sink.join(timeout=10)
    assert result == {"flagged": 1, "emailed": 1}
    note = db.session.scalars(select(Notification)).one()
    assert note.user_id == world.jurist.id and case.reference in note.message
    assert case.reference.encode() in sink.received and world.jurist.email.encode() in sink.received
    again = scan_deadlines(date(2026, 11, 25), within_days=7)
    assert again["flagged"] == 0  # flagged once


def test_daily_job_works_in_batches_and_logs_one_audit_entry(world, monkeypatch):
    from app.audit.models import AuditEntry
    from app.hearings import services as course_services
    from app.hearings.models import CaseDeadline

    monkeypatch.setattr(course_services, "SCAN_BATCH", 2)
    for n in range(5):
        case = factories.CaseFactory(creditor=world.creditor_a, assigned_jurist=world.jurist)
        db.session.add(CaseDeadline(case=case, code="answer", label=f"Frist {n}", due_on=date(2026, 11, 26),
                                    source="test"))
    db.session.commit()
    assert scan_deadlines(date(2026, 11, 25), within_days=7)["flagged"] == 5
    notes = db.session.scalars(select(Notification)).all()
    assert sorted(n.message.split(": ")[1][:7] for n in notes) == [f"Frist {n}" for n in range(5)]
    assert scan_deadlines(date(2026, 11, 25), within_days=7)["flagged"] == 0
    batch = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "batch")).all()
    assert [e.after["flagged"] for e in batch] == [5]


def test_calendar_feed_is_valid_icalendar_and_revocable(world, as_user):
    client = as_user(world.jurist)
    world.case_a.assigned_jurist = world.jurist
    world.case_a.status = CaseStatus.JUDGMENT  # fixture: a dom given (the deadlines live in that stage)
    world.case_a.judgment_on = date(2026, 6, 1)
    from app.hearings.services import refresh_deadlines
    refresh_deadlines(world.case_a)
    db.session.commit()
    token = extract_csrf(client.get("/kalender/").get_data(as_text=True))
    page = client.post("/kalender/", data={"csrf_token": token, "action": "new"}).get_data(as_text=True)
    import re
    feed_url = re.search(r'value="(http[^"]+\.ics)"', page).group(1)
    path = feed_url.split("tvist.test", 1)[1]
    from app import create_app  # noqa: F401  (the feed is fetched without a session, like a calendar app)
    anonymous = client.application.test_client()
    response = anonymous.get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = icalendar.Calendar.from_ical(response.data)
    events = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in calendar.walk("VEVENT")}
    assert any("A-0001" in s for s in events)
    assert appeal_deadline(date(2026, 6, 1)) in events.values()
    client.post("/kalender/", data={"csrf_token": token, "action": "revoke"})
    assert anonymous.get(path).status_code == 404
