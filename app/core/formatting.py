"""Jinja filters: amounts as ``12 345,50 kr``, dates ISO, times in Swedish local time."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from flask import Flask

from app.core.clock import STOCKHOLM
from app.core.identity import mask_identity_number


def money(value: Decimal | None) -> str:
    if value is None:
        return ""
    from app.law.formatting import format_sek

    return format_sek(Decimal(value))


def isodate(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return local_time(value).date().isoformat()
    return value.isoformat()


def local_time(value: datetime) -> datetime:
    if value.tzinfo is None:  # SQLite returns naive datetimes; we store UTC
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(STOCKHOLM)


def datetime_local(value: datetime | None) -> str:
    if value is None:
        return ""
    return local_time(value).strftime("%Y-%m-%d %H:%M")


def percent(value: Decimal | None) -> str:
    if value is None:
        return ""
    from app.law.formatting import format_percent

    return format_percent(Decimal(value))


def payment_source_label(value: str) -> str:
    from app.enforcement.models import PaymentSource

    try:
        return PaymentSource(value).label
    except ValueError:
        return value


def init_app(app: Flask) -> None:
    from app.core.listing import sort_url

    app.jinja_env.globals["payment_source_label"] = payment_source_label
    app.jinja_env.globals["sort_url"] = sort_url  # used by the list macros in macros/forms.html
    app.jinja_env.filters.update(
        percent=percent,
        money=money,
        isodate=isodate,
        datetime_local=datetime_local,
        masked=mask_identity_number,
    )
