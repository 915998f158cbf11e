"""Login throttling: failed attempts are counted per account and per client address.

An account (the e-mail as typed, whether or not it exists, so throttling reveals nothing
about which accounts exist) or an address that has failed too often within the window
must wait until the oldest counted failure leaves the window. Nobody is locked out for
good, and attempts refused while throttled are not counted, so an attacker hammering an
account cannot keep its real owner out beyond one window. A successful login clears the
account's count.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, request
from sqlalchemy import delete, func, select

from app.auth.models import LoginAttempt
from app.db import utcnow
from app.extensions import db

KEEP_ATTEMPTS = timedelta(days=1)


def account_key(email: str | None) -> str:
    return (email or "").strip().lower()[:254]


def client_address() -> str:
    """The client's address as the app sees it (behind a proxy, configure ProxyFix so this is
    the real client and not the proxy)."""
    return (request.remote_addr or "unknown")[:64]


def _window() -> timedelta:
    return timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])


def _wait(failures: list[datetime], limit: int, now: datetime) -> int:
    """Seconds until fewer than ``limit`` of these failures (newest first) are in the window."""
    if len(failures) < limit:
        return 0
    oldest_counted = _aware(failures[limit - 1])
    return max(1, int((oldest_counted + _window() - now).total_seconds()) + 1)


def _aware(at: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return at if at.tzinfo is not None else at.replace(tzinfo=utcnow().tzinfo)


def _recent_failures(column, value: str, since: datetime, limit: int) -> list[datetime]:
    return list(db.session.scalars(
        select(LoginAttempt.at).where(column == value, LoginAttempt.at > since,
                                      LoginAttempt.succeeded.is_(False))
        .order_by(LoginAttempt.at.desc()).limit(limit)))


def _last_success(account: str) -> datetime | None:
    return db.session.scalar(select(func.max(LoginAttempt.at)).where(
        LoginAttempt.account == account, LoginAttempt.succeeded.is_(True)))


def seconds_to_wait(account: str, address: str, now: datetime | None = None) -> int:
    """0 if a login attempt may be tried now; otherwise how long to wait."""
    now = now or utcnow()
    since = now - _window()
    success = _last_success(account)
    account_since = max(since, _aware(success)) if success is not None else since
    per_account = current_app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    per_address = current_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    return max(
        _wait(_recent_failures(LoginAttempt.account, account, account_since, per_account), per_account, now),
        _wait(_recent_failures(LoginAttempt.address, address, since, per_address), per_address, now),
    )


def record(account: str, address: str, *, succeeded: bool) -> None:
    db.session.add(LoginAttempt(account=account, address=address, succeeded=succeeded, at=utcnow()))


def purge_old_attempts(now: datetime | None = None) -> int:
    """Attempts older than a day count for nothing any more; they are deleted."""
    result = db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < (now or utcnow()) - KEEP_ATTEMPTS))
    return result.rowcount or 0


def refusal(account: str, address: str) -> str | None:
    """The Swedish message to show if this account or address must wait; None if it may try."""
    wait = seconds_to_wait(account, address)
    return wait_message(wait) if wait else None


def wait_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return (f"För många misslyckade inloggningsförsök. Vänta {minutes} "
            f"{'minut' if minutes == 1 else 'minuter'} och försök igen.")
