"""Lists: sorting from an allowlist, and pagination that keeps the query string."""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any

from flask import request, url_for
from sqlalchemy import Select, func, literal_column, select
from sqlalchemy import inspect as sa_inspect
from werkzeug.routing import IntegerConverter

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


# Lists count their rows only up to this many: beyond it the exact total costs a scan of the
# matching rows on every page view, and no one pages that far (the pager offers pages up to it).
COUNT_LIMIT = 10_000


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int
    # True when there are more than ``total`` rows (the count stopped at COUNT_LIMIT).
    more: bool = False

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

    @property
    def total_label(self) -> str:
        """"1 234", or "fler än 10 000" when the count stopped at the limit."""
        shown = f"{self.total:,}".replace(",", "\u00a0")
        return f"fler än {shown}" if self.more else shown

    def url(self, page: int) -> str:
        args = request.args.to_dict()
        args["sida"] = page
        return url_for(request.endpoint, **(request.view_args or {}), **args)


def count_rows(stmt: Select, limit: int | None = COUNT_LIMIT) -> tuple[int, bool]:
    """(rows, more): the number of rows ``stmt`` returns, counted up to ``limit``; ``more`` when
    there are more than that. The count reads only the columns the filters need."""
    inner = stmt.order_by(None).with_only_columns(literal_column("1"), maintain_column_froms=True)
    if limit is not None:
        inner = inner.limit(limit + 1)
    total = db.session.scalar(select(func.count()).select_from(inner.subquery())) or 0
    if limit is not None and total > limit:
        return limit, True
    return total, False


def paginate(stmt: Select, per_page: int, count_limit: int | None = COUNT_LIMIT) -> Page:
    page = request.args.get("sida", 1, type=bounded_int) or 1
    page = max(page, 1)
    total, more = count_rows(stmt, count_limit)
    last = max(1, ceil(total / per_page))
    page = min(page, last)
    offset = (page - 1) * per_page
    if offset and _single_entity(stmt) is not None:
        # A deep page: skip the offset's rows on ids alone (an index walk, no joins, no eager
        # loads), then load just the page's rows.
        pk = _single_entity(stmt)
        ids = list(db.session.scalars(stmt.with_only_columns(pk, maintain_column_froms=True)
                                      .limit(per_page).offset(offset)))
        items = list(db.session.scalars(stmt.where(pk.in_(ids))).unique()) if ids else []
    else:
        items = list(db.session.scalars(stmt.limit(per_page).offset(offset)).unique())
    return Page(items=items, page=page, per_page=per_page, total=total, more=more)


def paginate_parts(parts: list[Select], per_page: int, count_limit: int | None = COUNT_LIMIT) -> Page:
    """Paginate the rows of several ordered statements, one after the other (e.g. the dated
    rows by date, then the undated ones). Each part can be served by its own index, where one
    ORDER BY with "NULLS LAST" could not be on SQLite."""
    counts, more, remaining = [], False, count_limit
    for part in parts:
        if remaining is not None and remaining <= 0:  # only whether there is more is asked
            more = more or count_rows(part, 0)[1]
            counts.append(0)
            continue
        n, part_more = count_rows(part, remaining)
        counts.append(n)
        more = more or part_more
        if remaining is not None:
            remaining -= n
    total = sum(counts)
    page = max(request.args.get("sida", 1, type=bounded_int) or 1, 1)
    page = min(page, max(1, ceil(total / per_page)))
    offset, items = (page - 1) * per_page, []
    for part, n in zip(parts, counts):
        if offset >= n:
            offset -= n
            continue
        items += list(db.session.scalars(part.limit(per_page - len(items)).offset(offset)).unique())
        offset = 0
        if len(items) >= per_page:
            break
    return Page(items=items, page=page, per_page=per_page, total=total, more=more)


def _single_entity(stmt: Select):
    """The primary key column when ``stmt`` selects one mapped entity with a one-column key."""
    descriptions = stmt.column_descriptions
    if len(descriptions) != 1 or descriptions[0].get("entity") is None or descriptions[0]["expr"] is not descriptions[0]["entity"]:
        return None
    keys = sa_inspect(descriptions[0]["entity"]).primary_key
    return keys[0] if len(keys) == 1 else None


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
