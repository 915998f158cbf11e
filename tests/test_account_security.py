"""Accounts: login throttling, TOTP two-factor authentication, re-authentication before
credential changes, and sessions that end when the credentials change."""
from __future__ import annotations

import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select, update

from app.audit.models import AuditEntry
from app.auth import totp
from app.auth.models import LoginAttempt, User
from app.auth.passwords import verify_password
from app.auth.sessions import REAUTH_AT
from app.db import utcnow
from app.extensions import db
from tests import factories
from tests.conftest import extract_csrf, login


def _post_login(client, email: str, password: str):
    token = extract_csrf(client.get("/logga-in").get_data(as_text=True))
    return client.post("/logga-in", data={"email": email, "password": password, "csrf_token": token})


def _post(client, url: str, data: dict, page: str | None = None):
    token = extract_csrf(client.get(page or url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def _age_attempts(minutes: int) -> None:
    db.session.execute(update(LoginAttempt).values(at=LoginAttempt.at - timedelta(minutes=minutes)))
    db.session.commit()


def _enable_totp(user: User) -> str:
    secret = pyotp.random_base32()
    user.totp_secret, user.totp_confirmed_at = secret, utcnow()
    db.session.commit()
    return secret


def _code(secret: str, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret).at(time.time() + steps_ahead * totp.STEP_SECONDS)


# --- Throttling ------------------------------------------------------------------------------

def test_an_account_is_throttled_after_repeated_failures_even_with_the_right_password(world, app):
    client = app.test_client()
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        assert _post_login(client, world.jurist.email, "fel-lösenord-123").status_code == 200
    response = _post_login(client, world.jurist.email, factories.PASSWORD)
    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in response.get_data(as_text=True)
    assert client.get("/arenden/").status_code == 302  # not logged in


def test_the_throttle_lifts_when_the_window_has_passed_and_blocked_tries_do_not_extend_it(world, app):
    client = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        _post_login(client, world.jurist.email, "fel-lösenord-123")
    for _ in range(10):  # an attacker keeps hammering while the account is throttled
        assert _post_login(client, world.jurist.email, "fel-lösenord-123").status_code == 429
    _age_attempts(app.config["LOGIN_WINDOW_MINUTES"] + 1)
    assert _post_login(client, world.jurist.email, factories.PASSWORD).status_code == 302


def test_an_unknown_account_is_throttled_the_same_way(world, app):
    """Throttling says nothing about whether an account exists."""
    client = app.test_client()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        body = _post_login(client, "finns-inte@example.se", "fel-lösenord-123").get_data(as_text=True)
        assert "Fel e-postadress eller lösenord." in body
    response = _post_login(client, "finns-inte@example.se", "fel-lösenord-123")
    assert response.status_code == 429 and "För många misslyckade" in response.get_data(as_text=True)


def test_an_address_is_throttled_across_accounts(world, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 4)
    client = app.test_client()
    for i in range(4):
        _post_login(client, f"gissning{i}@example.se", "fel-lösenord-123")
    # a different, real account from the same address is refused while the address is throttled
    assert _post_login(client, world.jurist.email, factories.PASSWORD).status_code == 429
    other_address = app.test_client()
    other_address.environ_base = {"REMOTE_ADDR": "10.1.2.3"}
    assert _post_login(other_address, world.jurist.email, factories.PASSWORD).status_code == 302


def test_a_successful_login_clears_the_account_count(world, app):
    client = app.test_client()
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit - 1):
        _post_login(client, world.jurist.email, "fel-lösenord-123")
    assert _post_login(client, world.jurist.email, factories.PASSWORD).status_code == 302
    other = app.test_client()
    other.environ_base = {"REMOTE_ADDR": "10.9.9.9"}
    for _ in range(limit - 1):
        _post_login(other, world.jurist.email, "fel-lösenord-123")
    assert _post_login(other, world.jurist.email, factories.PASSWORD).status_code == 302


# --- TOTP --------------------------------------------------------------------------------------

def test_with_2fa_the_password_alone_does_not_log_in(world, app):
    secret = _enable_totp(world.jurist)
    client = app.test_client()
    response = _post_login(client, world.jurist.email, factories.PASSWORD)
    assert response.status_code == 302 and response.location.endswith("/logga-in/kod")
    assert client.get("/arenden/").status_code == 302
    wrong = _post(client, "/logga-in/kod", {"code": "000000"})
    assert wrong.status_code == 200 and "Koden stämmer inte" in wrong.get_data(as_text=True)
    assert _post(client, "/logga-in/kod", {"code": _code(secret)}).status_code == 302
    assert client.get("/arenden/").status_code == 200


def test_a_code_cannot_be_used_twice(world, app):
    secret = _enable_totp(world.jurist)
    code = _code(secret)
    first = app.test_client()
    _post_login(first, world.jurist.email, factories.PASSWORD)
    assert _post(first, "/logga-in/kod", {"code": code}).status_code == 302
    second = app.test_client()
    _post_login(second, world.jurist.email, factories.PASSWORD)
    assert _post(second, "/logga-in/kod", {"code": code}).status_code == 200
    assert second.get("/arenden/").status_code == 302


def test_wrong_codes_count_toward_the_throttle(world, app):
    _enable_totp(world.jurist)
    client = app.test_client()
    _post_login(client, world.jurist.email, factories.PASSWORD)
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        _post(client, "/logga-in/kod", {"code": "123456"})
    assert _post(client, "/logga-in/kod", {"code": "654321"}).status_code == 429


def test_required_2fa_sends_staff_to_the_setup_and_leaves_creditors_alone(world, app, monkeypatch):
    monkeypatch.setitem(app.config, "TOTP_REQUIRED_FOR_STAFF", True)
    jurist = app.test_client()
    login(jurist, world.jurist)
    response = jurist.get("/arenden/")
    assert response.status_code == 302 and response.location.endswith("/konto/tvastegs")
    assert jurist.get("/konto/tvastegs").status_code == 200
    creditor = app.test_client()
    login(creditor, world.user_a)
    assert creditor.get("/portal/").status_code == 200


def test_setting_up_2fa_needs_a_valid_code_and_ends_other_sessions(world, app):
    other = app.test_client()
    login(other, world.jurist)
    client = app.test_client()
    login(client, world.jurist)
    page = client.get("/konto/tvastegs").get_data(as_text=True)
    assert "<svg" in page  # the QR code, drawn by the app
    with client.session_transaction() as s:
        secret = s["_totp_pending"]
    assert secret in page
    refused = client.post("/konto/tvastegs", data={"code": "000000", "csrf_token": extract_csrf(page)})
    assert "Koden stämmer inte" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(User, world.jurist.id).totp_enabled
    ok = client.post("/konto/tvastegs", data={"code": _code(secret), "csrf_token": extract_csrf(page)})
    assert ok.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.jurist.id).totp_enabled
    assert client.get("/arenden/").status_code == 200  # this session stays
    assert other.get("/arenden/").status_code == 302  # the other one ended


def test_the_totp_secret_never_reaches_the_audit_log(world, app):
    secret = _enable_totp(world.jurist)
    logged = " ".join(str(e.after) for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "User")))
    assert "totp_secret" in logged and secret not in logged


# --- Re-authentication and password change ---------------------------------------------------------

def test_a_password_change_needs_recent_reauthentication(world, app):
    client = app.test_client()
    login(client, world.jurist)
    with client.session_transaction() as s:
        s[REAUTH_AT] = time.time() - app.config["REAUTH_MINUTES"] * 60 - 5
    response = client.get("/konto/losenord")
    assert response.status_code == 302 and "/konto/bekrafta" in response.location
    wrong = _post(client, "/konto/bekrafta?next=/konto/losenord", {"password": "fel-lösenord-123"})
    assert "Lösenordet eller koden stämmer inte" in wrong.get_data(as_text=True)
    assert client.get("/konto/losenord").status_code == 302
    right = _post(client, "/konto/bekrafta?next=/konto/losenord", {"password": factories.PASSWORD})
    assert right.status_code == 302 and right.location.endswith("/konto/losenord")
    assert client.get("/konto/losenord").status_code == 200


def test_reauthentication_asks_for_the_code_when_2fa_is_on(world, app):
    secret = _enable_totp(world.jurist)
    client = app.test_client()
    _post_login(client, world.jurist.email, factories.PASSWORD)
    _post(client, "/logga-in/kod", {"code": _code(secret)})
    with client.session_transaction() as s:
        s[REAUTH_AT] = 0
    no_code = _post(client, "/konto/bekrafta", {"password": factories.PASSWORD})
    assert no_code.status_code == 200
    with_code = _post(client, "/konto/bekrafta", {"password": factories.PASSWORD, "code": _code(secret, 1)})
    assert with_code.status_code == 302


def test_changing_the_password_ends_the_other_sessions(world, app):
    other = app.test_client()
    login(other, world.jurist)
    client = app.test_client()
    login(client, world.jurist)
    mismatch = _post(client, "/konto/losenord", {"password": "ett-nytt-lösenord-1", "repeat": "något-annat-123"})
    assert "Lösenorden är inte lika" in mismatch.get_data(as_text=True)
    response = _post(client, "/konto/losenord", {"password": "ett-nytt-lösenord-1", "repeat": "ett-nytt-lösenord-1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert verify_password(db.session.get(User, world.jurist.id).password_hash, "ett-nytt-lösenord-1")
    assert client.get("/arenden/").status_code == 200
    ended = other.get("/arenden/")
    assert ended.status_code == 302 and "/logga-in" in ended.location


@pytest.mark.parametrize("change", ["password", "reset_totp"])
def test_an_admin_changing_credentials_ends_the_users_sessions(world, app, change):
    _enable_totp(world.user_a)
    victim = app.test_client()
    _post_login(victim, world.user_a.email, factories.PASSWORD)
    secret = db.session.get(User, world.user_a.id).totp_secret
    _post(victim, "/logga-in/kod", {"code": _code(secret)})
    assert victim.get("/portal/").status_code == 200
    admin = app.test_client()
    login(admin, world.admin)
    db.session.expire_all()  # the logins changed the user (last login, version)
    user = db.session.get(User, world.user_a.id)
    data = {"version": user.version, "name": user.name, "email": user.email, "role": "creditor",
            "creditor_id": user.creditor_id, "active": "y"}
    data["password" if change == "password" else "reset_totp"] = (
        "ett-nytt-lösenord-2" if change == "password" else "y")
    response = _post(admin, f"/admin/anvandare/{user.id}", data)
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    assert victim.get("/portal/").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.user_a.id).totp_enabled is (change == "password")


def test_old_login_attempts_are_purged_by_the_nightly_task(world, app):
    from app.auth.tasks import purge_login_attempts

    client = app.test_client()
    _post_login(client, world.jurist.email, "fel-lösenord-123")
    _post_login(client, world.jurist.email, "fel-lösenord-124")
    _age_attempts(60 * 25)  # both are 25 hours old
    _post_login(client, world.jurist.email, "fel-lösenord-125")
    assert purge_login_attempts.run() == 2
    assert len(db.session.scalars(select(LoginAttempt)).all()) == 1
