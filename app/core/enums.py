"""Enum helpers: every stored enum is a string column carrying a Swedish label for the UI."""
from __future__ import annotations

import enum

import sqlalchemy as sa


class LabelledEnum(str, enum.Enum):
    """A str enum whose members carry a Swedish label: ``Member = ("value", "Etikett")``."""

    def __new__(cls, value: str, label: str):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj

    def __str__(self) -> str:
        return self.value

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(m.value, m.label) for m in cls]


def enum_column(enum_cls: type[enum.Enum], length: int = 32) -> sa.Enum:
    """A VARCHAR holding the enum's value, without a CHECK constraint, so that adding a
    member later needs no table rebuild; the Python side still refuses unknown values."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )
