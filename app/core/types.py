"""Column types. Money is stored as whole öre in a BIGINT and read back as Decimal.

Integer öre are exact on every database (SQLite has no true DECIMAL) and sort and
sum correctly in SQL; the Python side only ever sees ``Decimal`` with two places.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator

from app.core.money import ORE, check_amount


class Money(TypeDecorator):
    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        amount = check_amount(Decimal(value))  # bounded before the arithmetic, which is then exact
        return int(amount.scaleb(2))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(ORE)

    @property
    def python_type(self):
        return Decimal


def render_migration_item(type_, obj, autogen_context):
    """Alembic hook: migrations spell Money as the plain BIGINT it is stored as, so
    old migrations never depend on this module's code."""
    if type_ == "type" and isinstance(obj, Money):
        return "sa.BigInteger()"
    return False
