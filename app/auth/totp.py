"""TOTP two-factor authentication (RFC 6238, 30-second steps, 6 digits) with pyotp.

A code is accepted for the current step and one step either side (clock drift), and each
time step only once per user: ``totp_last_step`` stops a code that was seen (shoulder-surfed
or phished in real time) from being replayed.
"""
from __future__ import annotations

import time

import pyotp
import segno

from app.auth.models import User

STEP_SECONDS = 30
DRIFT_STEPS = 1


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (made by the app, no external service)."""
    return segno.make(uri, error="m").svg_inline(scale=4, title="QR-kod för autentiseringsappen")


def _normalise(code: str | None) -> str:
    return "".join((code or "").split())


def matching_step(secret: str, code: str | None, now: float | None = None) -> int | None:
    """The time step the code belongs to, or None if it matches none in the drift window."""
    code = _normalise(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    current = int(now // STEP_SECONDS)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if pyotp.utils.strings_equal(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def verify_for_user(user: User, code: str | None, now: float | None = None) -> bool:
    """Accept a code once: it must match and belong to a later step than the last one used."""
    if not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code, now)
    if step is None or (user.totp_last_step is not None and step <= user.totp_last_step):
        return False
    user.totp_last_step = step
    return True
