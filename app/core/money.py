"""Amounts in kronor: the one place that reads an amount typed or sent as text, and the one bound.

Every amount the app accepts (the forms, and through them the API, whose items are validated by
the same forms) goes through :func:`parse_amount`, and every amount stored goes through
:func:`check_amount` (the Money column type). The bound comes before any Decimal arithmetic:
a 27-digit amount must get a Swedish message, not ``decimal.InvalidOperation`` (Decimal's
default precision is 28 digits, and rounding to öre needs two more).
"""
from __future__ import annotations

import re
from decimal import Decimal

ORE = Decimal("0.01")
MAX_INTEGER_DIGITS = 12
MAX_AMOUNT = Decimal("999999999999.99")  # just under a trillion kronor; far beyond any claim
MAX_DECIMALS_TYPED = 10  # "12,50000" is accepted as 12,50; longer tails are refused unread

_AMOUNT = re.compile(r"^(-?)(\d+)(?:[.,](\d+))?$")
FORMAT_MESSAGE = "Ange ett belopp i kronor, t.ex. 12 345,50."
TOO_LARGE_MESSAGE = "Beloppet är orimligt stort (högst 999 999 999 999,99 kr)."
DECIMALS_MESSAGE = "Beloppet får ha högst två decimaler (hela ören)."


class AmountError(ValueError):
    """An amount that cannot be accepted; the message is Swedish."""


def parse_amount(text: str) -> Decimal:
    """``12 345,50``, ``12345.50`` or ``12 345,50 kr`` as a Decimal with two places. Refuses
    anything else, more than two (non-zero) decimals and amounts beyond :data:`MAX_AMOUNT`,
    all before converting. The sign is kept: callers decide whether negative amounts may be."""
    raw = re.sub(r"[\s\u00a0]|kr$", "", (text or "").strip())
    match = _AMOUNT.match(raw)
    if not match:
        raise AmountError(FORMAT_MESSAGE)
    sign, whole, fraction = match.group(1), match.group(2).lstrip("0") or "0", match.group(3) or ""
    if len(whole) > MAX_INTEGER_DIGITS:
        raise AmountError(TOO_LARGE_MESSAGE)
    if len(fraction) > MAX_DECIMALS_TYPED or fraction[2:].strip("0"):
        raise AmountError(DECIMALS_MESSAGE)
    return Decimal(f"{sign}{whole}.{(fraction + '00')[:2]}")


def check_amount(amount: Decimal) -> Decimal:
    """An amount about to be stored: finite, whole öre and within the bound."""
    if not amount.is_finite() or abs(amount) > MAX_AMOUNT:
        raise AmountError(TOO_LARGE_MESSAGE)
    if amount != amount.quantize(ORE):
        raise AmountError(DECIMALS_MESSAGE)
    return amount
