"""Swedish number formatting shared by the law package and the rest of the app.

Conventions (Språkrådet / Swedish typography):

* decimal comma: ``12 345,50 kr``;
* thousands are grouped in threes and separated by U+00A0 NO-BREAK SPACE, and U+00A0 also stands
  between the number and ``kr`` (so the amount never wraps over two lines in a document);
* amounts are rounded to whole öre with ROUND_HALF_UP before printing;
* a negative amount starts with an ASCII hyphen-minus (``-1 234,00 kr``), which every consumer
  (HTML, docx, plain text) handles.

Only ``decimal.Decimal`` (or ``int``) is accepted: a ``float`` raises ``TypeError``.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
ORE = Decimal("0.01")

__all__ = ["NBSP", "format_sek", "format_number", "format_percent", "to_decimal"]


def to_decimal(value: Decimal | int | str, *, name: str = "amount") -> Decimal:
    """Return ``value`` as a Decimal; reject floats and booleans (which are not exact money)."""
    if isinstance(value, bool) or isinstance(value, float):
        raise TypeError(f"{name} must be a Decimal, int or decimal string, not {type(value).__name__}")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, (int, str)):
        result = Decimal(value)
    else:
        raise TypeError(f"{name} must be a Decimal, int or decimal string, not {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return result


def _group(digits: str) -> str:
    """Group a string of digits in threes from the right with no-break spaces."""
    groups = []
    while len(digits) > 3:
        groups.append(digits[-3:])
        digits = digits[:-3]
    groups.append(digits)
    return NBSP.join(reversed(groups))


def format_number(value: Decimal | int, *, decimals: int = 2) -> str:
    """Format a number the Swedish way: ``1234567.891`` -> ``1 234 567,89`` (no-break spaces).

    Rounds half up to ``decimals`` places; ``decimals=0`` gives no decimal part.
    """
    number = to_decimal(value, name="value")
    quantum = Decimal(1).scaleb(-decimals) if decimals else Decimal(1)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    text = f"{abs(rounded):.{decimals}f}"
    whole, _, fraction = text.partition(".")
    result = sign + _group(whole)
    if decimals:
        result += "," + fraction
    return result


def format_sek(amount: Decimal | int, *, whole_kronor: bool = False) -> str:
    """Format an amount in kronor: ``Decimal("12345.5")`` -> ``"12 345,50 kr"`` (U+00A0 spaces).

    With ``whole_kronor=True`` an amount without öre is printed without decimals
    (``"59 200 kr"``); an amount with öre still shows them.
    """
    value = to_decimal(amount)
    rounded = value.quantize(ORE, rounding=ROUND_HALF_UP)
    decimals = 0 if whole_kronor and rounded == rounded.to_integral_value() else 2
    return f"{format_number(rounded, decimals=decimals)}{NBSP}kr"


def format_percent(rate: Decimal | int, *, decimals: int = 2) -> str:
    """Format a percentage: ``Decimal("10.5")`` -> ``"10,50 %"`` (no-break space before %)."""
    return f"{format_number(rate, decimals=decimals)}{NBSP}%"
