"""Lists: sorting from an allowlist, and pagination that keeps the query string."""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any

from flask import request, url_for
from werkzeug.routing import IntegerConverter
from sqlalchemy import Select, func, select

from app.extensions import db


@dataclass(frozen=True)
class Sort:
    key: str
    descending: bool

    @property
    def param(self) -> str:
        return ("-" if self.descending else "") + self.key


def parse_sort(raw: str | None, allowed: dict[str, Any], default: str) -> Sort:
    """``raw`` is ``key`` or ``-key``; anything not in ``allowed`` falls back to ``default``."""
    raw = raw or default
    key = raw.lstrip("-")
    if key not in allowed:
        raw, key = default, default.lstrip("-")
    return Sort(key=key, descending=raw.startswith("-"))


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return 0 if self.total == 0 else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)

    def url(self, page: int) -> str:
        args = request.args.to_dict()
        args["sida"] = page
        return url_for(request.endpoint, **(request.view_args or {}), **args)


def paginate(stmt: Select, per_page: int) -> Page:
    page = request.args.get("sida", 1, type=bounded_int) or 1
    page = max(page, 1)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    last = max(1, ceil(total / per_page))
    page = min(page, last)
    items = list(db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique())
    return Page(items=items, page=page, per_page=per_page, total=total)


def sort_url(key: str, current: Sort) -> str:
    """URL that sorts by ``key``, toggling direction if it is the current sort."""
    args = request.args.to_dict()
    args.pop("sida", None)
    args["sortera"] = ("" if current.key == key and current.descending else "-") + key if current.key == key else key
    return url_for(request.endpoint, **(request.view_args or {}), **args)


MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """``<int:…>`` that never exceeds a 32-bit database id (a larger value is simply not found)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def bounded_int(value: str) -> int:
    """For ``request.args.get(..., type=bounded_int)``: ASCII digits within the id range, else
    ValueError (the argument is then ignored)."""
    if not (value.isascii() and value.lstrip("-").isdigit()):
        raise ValueError(value)
    number = int(value)
    if not -MAX_ID <= number <= MAX_ID:
        raise ValueError(value)
    return number
