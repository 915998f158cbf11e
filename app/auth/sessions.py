"""Session lifetime and validity, checked on every request.

* An idle timeout and an absolute timeout: the user is asked to log in again, and what
  they were doing is kept as ``next``.
* A session epoch: a session carries the user's ``session_epoch`` from login. Every end of a
  session moves it on (:func:`end_all`): logout, a timeout, disabling the user, a password or 2FA
  change. A copy of the session cookie (the cookie *is* the session) is then worthless: replayed
  after logout it carries the old epoch and is refused. The price: logging out, or timing out,
  on one device ends the user's sessions on every device.
* Re-authentication: sensitive account changes need the password typed within
  ``REAUTH_MINUTES`` (:func:`recently_authenticated`).
* When 2FA is required for staff, a staff user without it can only set it up (or log out).
"""
from __future__ import annotations

import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

from app.audit.services import acting_as
from app.extensions import db

LOGIN_AT, SEEN_AT, EPOCH, REAUTH_AT = "_login_at", "_seen_at", "_epoch", "_reauth_at"

# What a staff user who must set up 2FA may still reach.
ENROLMENT_ENDPOINTS = frozenset({"auth.totp_setup", "auth.reauthenticate", "auth.logout", "auth.account"})


def start(user, now: float | None = None) -> None:
    """Call right after login_user()."""
    now = now or time.time()
    session[LOGIN_AT] = session[SEEN_AT] = session[REAUTH_AT] = now
    session[EPOCH] = user.session_epoch


def end_all(user) -> None:
    """Every session of ``user`` ends, this one included (the caller commits). A session that
    still carries the old epoch is refused on its next request, wherever the cookie is replayed."""
    user.session_epoch = (user.session_epoch or 0) + 1


def end_current() -> None:
    """Log the current user out for good: the epoch moves on (committed) and the cookie is
    emptied."""
    if current_user.is_authenticated:
        from app.auth.models import User

        user = db.session.get(User, current_user.id)
        if user is not None:
            with acting_as(user.id):
                end_all(user)
                db.session.commit()
    logout_user()
    session.clear()


def keep_after_credential_change(user) -> None:
    """The user changed their own password or 2FA: this session stays, the others end."""
    session[EPOCH] = user.session_epoch


def mark_reauthenticated(now: float | None = None) -> None:
    session[REAUTH_AT] = now or time.time()


def recently_authenticated() -> bool:
    at = session.get(REAUTH_AT)
    return at is not None and time.time() - at <= current_app.config["REAUTH_MINUTES"] * 60


def _end(message: str, *, already_ended: bool = False):
    if already_ended:  # the epoch moved on elsewhere; nothing more to end
        logout_user()
        session.clear()
    else:
        end_current()
    flash(message, "info")
    target = request.full_path if request.method == "GET" else None
    return redirect(url_for("auth.login", next=target) if target else url_for("auth.login"))


def enforce_timeouts():
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return None
    now = time.time()
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    absolute = current_app.config["SESSION_MAX_HOURS"] * 3600
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if login_at is None or seen_at is None or now - seen_at > idle or now - login_at > absolute:
        reason = ("efter en längre tids inaktivitet" if seen_at and now - seen_at > idle
                  else "eftersom sessionen har nått sin maximala längd")
        return _end(f"Du har loggats ut {reason}. Logga in igen för att fortsätta.")
    if session.get(EPOCH) != current_user.session_epoch:
        return _end("Du har loggats ut eftersom lösenordet eller tvåstegsverifieringen för kontot har ändrats. "
                    "Logga in igen.", already_ended=True)
    session[SEEN_AT] = now
    return _require_enrolment()


def _require_enrolment():
    if (current_app.config["TOTP_REQUIRED_FOR_STAFF"] and current_user.is_staff
            and not current_user.totp_enabled and request.endpoint not in ENROLMENT_ENDPOINTS):
        flash("Tvåstegsverifiering krävs för ditt konto. Aktivera den för att fortsätta.", "info")
        return redirect(url_for("auth.totp_setup"))
    return None
