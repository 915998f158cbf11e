"""Sessions end after idling too long or living too long; logout and disabling end them too."""
from __future__ import annotations

import time

from app.auth.sessions import LOGIN_AT, SEEN_AT
from app.extensions import db
from tests.conftest import extract_csrf, login


def test_idle_session_is_ended_and_the_user_sent_to_login(world, client, app):
    login(client, world.jurist)
    assert client.get("/arenden/").status_code == 200
    with client.session_transaction() as s:
        s[SEEN_AT] = time.time() - app.config["SESSION_IDLE_MINUTES"] * 60 - 5
    response = client.get("/arenden/?q=x")
    assert response.status_code == 302 and "/logga-in" in response.location and "next=" in response.location
    assert "inaktivitet" in client.get("/logga-in").get_data(as_text=True)
    assert client.get("/arenden/").status_code == 302  # the session is gone


def test_absolute_limit_ends_an_active_session(world, client, app):
    login(client, world.jurist)
    with client.session_transaction() as s:
        s[LOGIN_AT] = time.time() - app.config["SESSION_MAX_HOURS"] * 3600 - 5
    assert client.get("/arenden/").status_code == 302


def test_activity_keeps_the_session(world, client):
    login(client, world.jurist)
    for _ in range(3):
        assert client.get("/arenden/").status_code == 200


def test_logout_and_disabling_end_sessions(world, app):
    a, b = app.test_client(), app.test_client()
    login(a, world.jurist)
    login(b, world.user_a)
    token = extract_csrf(a.get("/arenden/").get_data(as_text=True))
    a.post("/logga-ut", data={"csrf_token": token})
    assert a.get("/arenden/").status_code == 302
    db.session.expire_all()  # the login updated the user (last login, version)
    world.user_a.active = False
    db.session.commit()
    assert b.get("/arenden/").status_code == 302


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session", domain="tvist.test")
    assert cookie is not None
    return cookie.value


def test_a_copied_session_cookie_is_dead_after_logout(world, app):
    """The cookie is the session: a copy taken before logout must not keep it alive."""
    victim = app.test_client()
    login(victim, world.user_a)
    assert victim.get("/portal/").status_code == 200
    copied = _session_cookie(victim)
    token = extract_csrf(victim.get("/portal/").get_data(as_text=True))
    assert victim.post("/logga-ut", data={"csrf_token": token}).status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", copied, domain="tvist.test")
    response = thief.get("/portal/")
    assert response.status_code == 302 and "/logga-in" in response.location


def test_a_copied_session_cookie_is_dead_after_a_timeout(world, app):
    victim = app.test_client()
    login(victim, world.jurist)
    assert victim.get("/arenden/").status_code == 200
    with victim.session_transaction() as s:
        s[SEEN_AT] = time.time() - app.config["SESSION_IDLE_MINUTES"] * 60 - 5
    copied = _session_cookie(victim)  # taken before the timeout was noticed
    assert victim.get("/arenden/").status_code == 302  # the timeout ends the session
    thief = app.test_client()
    thief.set_cookie("session", copied, domain="tvist.test")
    with thief.session_transaction() as s:  # even with a fresh "last seen", forged or not
        s[SEEN_AT] = time.time()
    assert thief.get("/arenden/").status_code == 302


def test_a_link_to_the_code_page_does_not_log_anybody_out(world, client):
    """GET /logga-in/kod is reachable by a link from any site: it must change no session."""
    login(client, world.jurist)
    response = client.get("/logga-in/kod")
    assert response.status_code == 302 and "/logga-in" not in response.location
    assert client.get("/arenden/").status_code == 200  # still logged in
