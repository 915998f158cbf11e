"""Concurrent saves: one wins, every other gets 409 with the "someone else saved first" message,
never a 500. Against a real threaded server on a socket, with real parallel requests."""
from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookies import SimpleCookie

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.serving import make_server

from app.cases.models import Case, TimelineEvent
from app.cases.status import CaseStatus
from app.core.editing import CONFLICT_MESSAGE
from app.extensions import db
from tests import factories

PARALLEL = 10


class Browser:
    """A minimal HTTP client keeping the session cookie, as a browser tab does."""

    def __init__(self, base: str, host: str):
        self.base, self.host, self.cookie = base, host, ""
        self.opener = urllib.request.build_opener(_NoRedirect)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers={"Host": self.host, "Cookie": self.cookie})
        try:
            response = self.opener.open(req, timeout=60)
        except urllib.error.HTTPError as exc:
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            morsel = SimpleCookie(header).get("session")
            if morsel is not None:
                self.cookie = f"session={morsel.value}"
        return response.status, response.read().decode(errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _token(html: str, name: str) -> str:
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html)
    assert match, name
    return match.group(1)


@pytest.fixture
def live(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


def test_parallel_identical_course_steps_give_one_success_and_409s_never_500(world, app, live):
    case = factories.CaseFactory(creditor=world.creditor_a, reference="RACE-1", status=CaseStatus.DISPUTED)
    db.session.commit()
    browser = Browser(live, app.config["SERVER_NAME"])
    page = browser.request("/logga-in")[1]
    status, _ = browser.request("/logga-in", {"email": world.jurist.email, "password": factories.PASSWORD,
                                              "csrf_token": _token(page, "csrf_token")})
    assert status == 302
    form = browser.request(f"/arenden/{case.id}/steg/start_investigation")[1]
    data = {"csrf_token": _token(form, "csrf_token"), "version": _token(form, "version")}

    statuses: list[int] = []
    bodies: list[str] = []
    start = threading.Barrier(PARALLEL)

    def click():
        tab = Browser(live, app.config["SERVER_NAME"])
        tab.cookie = browser.cookie
        start.wait()
        status, body = tab.request(f"/arenden/{case.id}/steg/start_investigation", data)
        statuses.append(status)
        bodies.append(body)

    threads = [threading.Thread(target=click) for _ in range(PARALLEL)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert 500 not in statuses, statuses
    assert statuses.count(302) == 1 and statuses.count(409) == PARALLEL - 1, statuses
    assert all("ändrats av någon annan" in b and "Ingenting har sparats" in b
               for b, s in zip(bodies, statuses) if s == 409)
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == CaseStatus.INVESTIGATING
    assert db.session.get(Case, case.id).version == int(data["version"]) + 1  # one step saved, once
    events = db.session.scalars(select(TimelineEvent.message).where(TimelineEvent.case_id == case.id)).all()
    assert sum("utredning" in m.lower() for m in events) == 1, events  # nothing half-saved by the losers


def test_a_conflict_found_at_flush_is_a_409_with_the_stale_message(world, as_user, app, monkeypatch):
    """The optimistic lock failing inside the ORM (the race lost after the version check) is turned
    into 409 by the one app-wide handler, the session is rolled back and nothing is kept."""
    from app.hearings import services

    def lose_the_race(*args, **kwargs):
        raise StaleDataError("UPDATE statement on table 'cases' expected to update 1 row(s); 0 were matched.")

    monkeypatch.setattr(services, "take_step", lose_the_race)
    client = as_user(world.jurist)
    form = client.get(f"/arenden/{world.case_a.id}/steg/start_investigation").get_data(as_text=True)
    response = client.post(f"/arenden/{world.case_a.id}/steg/start_investigation",
                           data={"csrf_token": _token(form, "csrf_token"), "version": _token(form, "version")})
    assert response.status_code == 409
    assert CONFLICT_MESSAGE in response.get_data(as_text=True)
    assert client.get(f"/arenden/{world.case_a.id}").status_code == 200  # the next request is fine


def test_what_counts_as_a_conflict(app):
    from sqlalchemy.exc import OperationalError, PendingRollbackError

    from app.core.errors import is_conflict

    class SerializationFailure(Exception):
        sqlstate = "40001"

    class Deadlock(Exception):
        sqlstate = "40P01"

    assert is_conflict(StaleDataError("x")) and is_conflict(PendingRollbackError("x"))
    assert is_conflict(OperationalError("UPDATE", {}, SerializationFailure()))
    assert is_conflict(OperationalError("UPDATE", {}, Deadlock()))
    assert not is_conflict(OperationalError("SELECT", {}, Exception("no such table")))
