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
