"""Swedish formatting and the Jinja environment the templates render in.

Filters available in templates:

========== =================================== ==========================
filter     input                               output
========== =================================== ==========================
money      Decimal                             ``12 345,50 kr``
amount     Decimal                             ``12 345,50``
percent    Decimal (percent)                   ``10,00 %`` (``12,875 %``: never rounded)
isodate    date                                ``2026-11-22``
id_label   Party                               ``Personnummer`` / ``Organisationsnummer``
yesno      bool                                ``Ja`` / ``Nej``
address    Party / Counsel                     ``Storgatan 1, 111 22 Stockholm``
========== =================================== ==========================

The thousands separator and the space before ``kr`` are no-break spaces
(U+00A0), as everywhere in Tvist (``app.law.formatting``); the space before
``%`` is an ordinary space.

The environment is a :class:`~jinja2.sandbox.SandboxedEnvironment` with
:class:`~jinja2.StrictUndefined` (an undefined name is an error) and
autoescape on (``&``, ``<``, ``>``, ``"`` in data are escaped for XML).
Its ``finalize`` refuses to print ``None``, booleans, ``Decimal``, ``date``
and ``float`` without a filter, so a template can never print ``None`` or
``1234.5`` by mistake.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

# One money format for the whole product (pure Python; no Flask or database involved).
from app.law.formatting import format_number, format_sek

NBSP = "\u00a0"
_CENT = Decimal("0.01")


def _check_amount(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"expected an amount (Decimal), got {type(value).__name__}: {value!r}")
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"not a finite amount: {value}")
    if value != value.quantize(_CENT):
        raise ValueError(f"amount has more than two decimals: {value}")
    return value.quantize(_CENT)


def format_amount(value: Decimal) -> str:
    """``Decimal("12345.5")`` -> ``"12 345,50"`` (no-break space between thousands)."""
    return format_number(_check_amount(value), decimals=2)


def format_money(value: Decimal) -> str:
    """``Decimal("12345.50")`` -> ``"12 345,50 kr"`` — the application's one money format."""
    return format_sek(_check_amount(value))


def format_percent(value: Decimal) -> str:
    """``Decimal("10")`` -> ``"10,00 %"``."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"expected a rate (Decimal), got {type(value).__name__}")
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"not a finite rate: {value}")
    # at least two decimals, more only if the rate has them (never rounded)
    text = f"{value:.2f}" if value == value.quantize(_CENT) else format(value.normalize(), "f")
    return text.replace(".", ",") + " %"


def format_date(value: date) -> str:
    """ISO 8601: ``2026-11-22``."""
    if not isinstance(value, date):
        raise TypeError(f"expected a date, got {type(value).__name__}: {value!r}")
    return value.isoformat()


def id_label(party: Any) -> str:
    return "Organisationsnummer" if party.is_company else "Personnummer"


def yesno(value: Any) -> str:
    if not isinstance(value, bool):
        raise TypeError(f"expected true/false, got {type(value).__name__}")
    return "Ja" if value else "Nej"


def one_line_address(who: Any) -> str:
    return f"{who.street}, {who.postal_code} {who.city}"


def _finalize(value: Any) -> Any:
    if value is None or isinstance(value, (bool, Decimal, date, float)):
        raise TypeError(
            f"template prints a raw {type(value).__name__} ({value!r}); "
            "use a filter (money, amount, percent, isodate, yesno) or a condition"
        )
    return value


FILTERS = {
    "money": format_money,
    "amount": format_amount,
    "percent": format_percent,
    "isodate": format_date,
    "id_label": id_label,
    "yesno": yesno,
    "address": one_line_address,
}


def make_jinja_env() -> SandboxedEnvironment:
    """A new sandboxed, strict, autoescaping environment with the Swedish filters.

    Rendering with one environment from several threads is safe; the engine
    keeps one per engine instance.
    """
    env = SandboxedEnvironment(
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        auto_reload=False,
    )
    env.filters.update(FILTERS)
    return env
