"""Session lifetime: an idle timeout and an absolute timeout, checked on every request.

A session that has been idle too long, or that is older than the absolute limit, is ended
and the user is asked to log in again; what they were doing is kept as ``next``.
"""
from __future__ import annotations

import time

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user

LOGIN_AT, SEEN_AT = "_login_at", "_seen_at"


def start(now: float | None = None) -> None:
    """Call right after login_user()."""
    session[LOGIN_AT] = session[SEEN_AT] = now or time.time()


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
        logout_user()
        session.clear()
        flash(f"Du har loggats ut {reason}. Logga in igen för att fortsätta.", "info")
        target = request.full_path if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target) if target else url_for("auth.login"))
    session[SEEN_AT] = now
    return None
