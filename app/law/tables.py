"""The data tables behind the law package: amounts, rates, fees and time limits.

Every number the rules use lives in a TOML file under ``app/law/data/`` (read with ``tomllib``),
never as a constant in code. Each file has this shape::

    [meta]
    title = "..."
    description = "..."

    [series.<key>]
    title = "..."
    unit = "SEK" | "percent" | "percentage_points" | "ratio" | "days" | "weeks" | "months" | "years"
    coverage = "open" | "calendar_year" | "half_year"
    condition = "..."            # optional: when the value applies, in words

    [[series.<key>.entries]]
    valid_from = 2026-01-01      # a TOML date
    value = 59200                # integer or decimal string ("-0.50"); TOML floats are rejected
    source = "SFS number and section, or the publishing authority"
    status = "verified" | "to_verify"
    note = "..."                 # optional

Coverage decides which entry applies on a date:

* ``open``: the entry with the latest ``valid_from`` on or before the date; the newest entry applies
  from its ``valid_from`` onwards. A date before the first entry raises :class:`LawDataMissing`.
* ``calendar_year``: one entry per year (``valid_from`` = 1 January, consecutive years). A year with
  no entry raises (e.g. the prisbasbelopp for a year not yet entered).
* ``half_year``: one entry per calendar half-year (1 January / 1 July, no gaps), as for the
  referensränta under räntelagen (1975:635) 9 §. A date in a half-year with no entry raises, even
  after the newest entry: a new half-year needs a new entry.

Files are loaded once (``functools.cache``) and validated on load (:class:`LawDataInvalid`).
:func:`list_tables` and :func:`render_tables` list every table with its entries, sources and
statuses (the lead wires ``flask --app app law tables`` to print :func:`render_tables`).
This module is pure: no Flask, no database, no clock.
"""
from __future__ import annotations

import bisect
import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.law.errors import LawDataInvalid, LawDataMissing
from app.law.formatting import format_number, format_sek

__all__ = [
    "DATA_DIR",
    "TABLE_NAMES",
    "Entry",
    "LawDataInvalid",
    "LawDataMissing",
    "LawTable",
    "Series",
    "all_tables",
    "entries_to_verify",
    "fee",
    "half_year_start",
    "list_tables",
    "load_table_file",
    "lookup",
    "prisbasbelopp",
    "referensranta",
    "render_tables",
    "series",
    "table",
    "time_limit",
    "timkostnadsnorm",
]

DATA_DIR = Path(__file__).resolve().parent / "data"

#: The tables the package ships, in the order they are listed and rendered.
TABLE_NAMES: tuple[str, ...] = ("prisbasbelopp", "referensranta", "timkostnadsnorm", "fees", "time_limits")

STATUSES = ("verified", "to_verify")
UNITS = ("SEK", "percent", "percentage_points", "ratio", "days", "weeks", "months", "years")
COVERAGES = ("open", "calendar_year", "half_year")
PERIOD_UNITS = ("days", "weeks", "months", "years")

_SERIES_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_TOP_KEYS = {"meta", "series"}
_META_KEYS = {"title", "description"}
_SERIES_KEYS = {"title", "unit", "coverage", "condition", "entries"}
_ENTRY_KEYS = {"valid_from", "value", "source", "status", "note"}


@dataclass(frozen=True)
class Entry:
    """One value of a series, in force from ``valid_from``."""

    valid_from: date
    value: Decimal
    source: str
    status: str
    note: str | None = None

    @property
    def verified(self) -> bool:
        """True when the value has been checked against the statute or the authority."""
        return self.status == "verified"


@dataclass(frozen=True)
class Series:
    """A named sequence of dated values in one table file (e.g. ``fees.court_fee_simplified``)."""

    table: str
    key: str
    title: str
    unit: str
    coverage: str
    condition: str | None
    entries: tuple[Entry, ...]
    origin: str

    def _missing(self, what: str, add: str) -> LawDataMissing:
        return LawDataMissing(f"{self.title}: {what}. Add {add} to {self.origin} (series '{self.key}').")

    def entry_on(self, on: date) -> Entry:
        """The entry that applies on ``on`` under this series' coverage rule (see module doc)."""
        if not isinstance(on, date) or isinstance(on, datetime):
            raise TypeError(f"expected a datetime.date, got {type(on).__name__}")
        first = self.entries[0].valid_from
        if self.coverage == "half_year":
            start = half_year_start(on)
            for entry in self.entries:
                if entry.valid_from == start:
                    return entry
            raise self._missing(
                f"no entry for the half-year {start.isoformat()}..{_half_year_end(start).isoformat()} "
                f"(asked for {on.isoformat()}; the table covers {first.isoformat()}.."
                f"{_half_year_end(self.entries[-1].valid_from).isoformat()})",
                f"an entry with valid_from = {start.isoformat()}",
            )
        if self.coverage == "calendar_year":
            start = date(on.year, 1, 1)
            for entry in self.entries:
                if entry.valid_from == start:
                    return entry
            raise self._missing(
                f"no entry for the year {on.year} (the table covers {first.year}..{self.entries[-1].valid_from.year})",
                f"an entry with valid_from = {start.isoformat()}",
            )
        # open coverage
        dates = [entry.valid_from for entry in self.entries]
        index = bisect.bisect_right(dates, on) - 1
        if index < 0:
            raise self._missing(
                f"no value in force on {on.isoformat()} (the first entry is valid from {first.isoformat()})",
                f"an entry with valid_from on or before {on.isoformat()}",
            )
        return self.entries[index]

    def value_on(self, on: date) -> Decimal:
        """The value that applies on ``on``."""
        return self.entry_on(on).value


@dataclass(frozen=True)
class LawTable:
    """One data file: its metadata and its series, in file order."""

    name: str
    origin: str
    title: str
    description: str
    series: tuple[Series, ...]

    def get(self, key: str) -> Series:
        """The series ``key``; raises :class:`LawDataMissing` if the file has no such series."""
        for item in self.series:
            if item.key == key:
                return item
        raise LawDataMissing(f"{self.origin} has no series '{key}': add a [series.{key}] table to it.")


# --------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------


def half_year_start(on: date) -> date:
    """The first day (1 January or 1 July) of the calendar half-year containing ``on``."""
    return date(on.year, 1 if on.month <= 6 else 7, 1)


def _half_year_end(start: date) -> date:
    return date(start.year, 6, 30) if start.month == 1 else date(start.year, 12, 31)


def _next_half_year(start: date) -> date:
    return date(start.year, 7, 1) if start.month == 1 else date(start.year + 1, 1, 1)


def _require_text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LawDataInvalid(f"{where}: must be a non-empty string")
    return value


def _check_keys(raw: Mapping[str, Any], allowed: set[str], required: set[str], where: str) -> None:
    unknown = set(raw) - allowed
    if unknown:
        raise LawDataInvalid(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
    missing = required - set(raw)
    if missing:
        raise LawDataInvalid(f"{where}: missing key(s) {sorted(missing)}")


def _parse_value(raw: Any, where: str) -> Decimal:
    if isinstance(raw, bool) or isinstance(raw, float):
        raise LawDataInvalid(
            f"{where}: value must be an integer or a decimal string, not a TOML {type(raw).__name__} "
            "(floats are not exact)"
        )
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, str):
        try:
            value = Decimal(raw.strip())
        except InvalidOperation:
            raise LawDataInvalid(f"{where}: value {raw!r} is not a decimal number") from None
        if not value.is_finite():
            raise LawDataInvalid(f"{where}: value {raw!r} is not finite")
        return value
    raise LawDataInvalid(f"{where}: value must be an integer or a decimal string, got {type(raw).__name__}")


def _parse_entry(raw: Any, where: str, unit: str) -> Entry:
    if not isinstance(raw, dict):
        raise LawDataInvalid(f"{where}: must be a table")
    _check_keys(raw, _ENTRY_KEYS, {"valid_from", "value", "source", "status"}, where)
    valid_from = raw["valid_from"]
    if not isinstance(valid_from, date) or isinstance(valid_from, datetime):
        raise LawDataInvalid(f"{where}: valid_from must be a TOML date (YYYY-MM-DD), got {valid_from!r}")
    value = _parse_value(raw["value"], where)
    if unit in PERIOD_UNITS and (value != value.to_integral_value() or value <= 0):
        raise LawDataInvalid(f"{where}: a time limit in {unit} must be a positive whole number, got {value}")
    status = raw["status"]
    if status not in STATUSES:
        raise LawDataInvalid(f"{where}: status must be one of {STATUSES}, got {status!r}")
    note = raw.get("note")
    if note is not None:
        _require_text(note, f"{where} note")
    return Entry(
        valid_from=valid_from,
        value=value,
        source=_require_text(raw["source"], f"{where} source"),
        status=status,
        note=note,
    )


def _parse_series(name: str, key: str, raw: Any, origin: str) -> Series:
    where = f"{origin}: series '{key}'"
    if not _SERIES_KEY.match(key):
        raise LawDataInvalid(f"{where}: key must be lower_snake_case")
    if not isinstance(raw, dict):
        raise LawDataInvalid(f"{where}: must be a table")
    _check_keys(raw, _SERIES_KEYS, {"title", "unit", "coverage", "entries"}, where)
    unit = raw["unit"]
    if unit not in UNITS:
        raise LawDataInvalid(f"{where}: unit must be one of {UNITS}, got {unit!r}")
    coverage = raw["coverage"]
    if coverage not in COVERAGES:
        raise LawDataInvalid(f"{where}: coverage must be one of {COVERAGES}, got {coverage!r}")
    condition = raw.get("condition")
    if condition is not None:
        _require_text(condition, f"{where} condition")
    raw_entries = raw["entries"]
    if not isinstance(raw_entries, list) or not raw_entries:
        raise LawDataInvalid(f"{where}: entries must be a non-empty array of tables")
    entries = tuple(
        _parse_entry(item, f"{where} entry {index + 1}", unit) for index, item in enumerate(raw_entries)
    )
    for previous, current in zip(entries, entries[1:]):
        if current.valid_from <= previous.valid_from:
            raise LawDataInvalid(
                f"{where}: entries must be sorted by valid_from, strictly ascending "
                f"({current.valid_from.isoformat()} follows {previous.valid_from.isoformat()})"
            )
    if coverage == "half_year":
        for entry in entries:
            if entry.valid_from != half_year_start(entry.valid_from) or entry.valid_from.day != 1:
                raise LawDataInvalid(
                    f"{where}: half-year entries must start on 1 January or 1 July, got {entry.valid_from.isoformat()}"
                )
        for previous, current in zip(entries, entries[1:]):
            expected = _next_half_year(previous.valid_from)
            if current.valid_from != expected:
                raise LawDataInvalid(
                    f"{where}: half-year {expected.isoformat()} is missing between "
                    f"{previous.valid_from.isoformat()} and {current.valid_from.isoformat()}"
                )
    if coverage == "calendar_year":
        for entry in entries:
            if (entry.valid_from.month, entry.valid_from.day) != (1, 1):
                raise LawDataInvalid(
                    f"{where}: calendar-year entries must start on 1 January, got {entry.valid_from.isoformat()}"
                )
        for previous, current in zip(entries, entries[1:]):
            if current.valid_from.year != previous.valid_from.year + 1:
                raise LawDataInvalid(
                    f"{where}: year {previous.valid_from.year + 1} is missing between "
                    f"{previous.valid_from.year} and {current.valid_from.year}"
                )
    return Series(
        table=name,
        key=key,
        title=_require_text(raw["title"], f"{where} title"),
        unit=unit,
        coverage=coverage,
        condition=condition,
        entries=entries,
        origin=origin,
    )


def parse_table(name: str, raw: Mapping[str, Any], origin: str) -> LawTable:
    """Validate the parsed TOML of one table file and build a :class:`LawTable`."""
    if not isinstance(raw, Mapping):
        raise LawDataInvalid(f"{origin}: must be a TOML document")
    _check_keys(raw, _TOP_KEYS, _TOP_KEYS, origin)
    meta = raw["meta"]
    if not isinstance(meta, dict):
        raise LawDataInvalid(f"{origin}: [meta] must be a table")
    _check_keys(meta, _META_KEYS, _META_KEYS, f"{origin} [meta]")
    raw_series = raw["series"]
    if not isinstance(raw_series, dict) or not raw_series:
        raise LawDataInvalid(f"{origin}: [series] must contain at least one series")
    return LawTable(
        name=name,
        origin=origin,
        title=_require_text(meta["title"], f"{origin} [meta] title"),
        description=_require_text(meta["description"], f"{origin} [meta] description"),
        series=tuple(_parse_series(name, key, value, origin) for key, value in raw_series.items()),
    )


def _origin(path: Path) -> str:
    try:
        return path.resolve().relative_to(DATA_DIR.parent.parent.parent).as_posix()
    except ValueError:
        return str(path)


def load_table_file(path: Path) -> LawTable:
    """Read and validate one table file (uncached; :func:`table` caches the shipped ones)."""
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise LawDataInvalid(f"{_origin(path)}: not valid TOML: {exc}") from exc
    return parse_table(path.stem, raw, _origin(path))


@functools.cache
def table(name: str) -> LawTable:
    """The shipped table ``name`` (e.g. ``"fees"``), loaded and validated once."""
    if name not in TABLE_NAMES:
        raise LawDataMissing(f"unknown law table {name!r}; the tables are {TABLE_NAMES}")
    path = DATA_DIR / f"{name}.toml"
    if not path.exists():
        raise LawDataMissing(f"app/law/data/{name}.toml is missing")
    return load_table_file(path)


def all_tables() -> tuple[LawTable, ...]:
    """Every shipped table, loaded and validated (each file once per process)."""
    return tuple(table(name) for name in TABLE_NAMES)


def list_tables() -> tuple[LawTable, ...]:
    """All tables with their series and entries (values, valid_from, sources, statuses)."""
    return all_tables()


@functools.cache
def series(table_name: str, key: str) -> Series:
    """The series ``key`` of table ``table_name``."""
    return table(table_name).get(key)


@functools.lru_cache(maxsize=200_000)
def lookup(table_name: str, key: str, on: date) -> Entry:
    """The entry of ``table_name.key`` that applies on ``on`` (raises :class:`LawDataMissing`).
    Memoised: the tables never change while the process runs, and a nightly computation over a
    million cases asks for the same few dates again and again."""
    return series(table_name, key).entry_on(on)


def entries_to_verify() -> tuple[tuple[LawTable, Series, Entry], ...]:
    """Every entry whose status is ``to_verify``, with its table and series."""
    return tuple(
        (law_table, item, entry)
        for law_table in all_tables()
        for item in law_table.series
        for entry in item.entries
        if not entry.verified
    )


# --------------------------------------------------------------------------------------------
# Typed lookups used by the rule modules
# --------------------------------------------------------------------------------------------


def prisbasbelopp(year: int) -> Decimal:
    """Prisbasbelopp for ``year`` (socialförsäkringsbalken 2 kap. 6-8 §§; per-year förordning)."""
    return lookup("prisbasbelopp", "prisbasbelopp", date(year, 1, 1)).value


def timkostnadsnorm(year: int) -> Decimal:
    """Timkostnadsnorm (F-skatt, excl. VAT) for ``year`` (förordning 2009:1237 2 §)."""
    return lookup("timkostnadsnorm", "timkostnadsnorm", date(year, 1, 1)).value


def referensranta(on: date) -> Decimal:
    """Riksbank referensränta (percent) in force on ``on`` (räntelag 1975:635 9 §)."""
    return lookup("referensranta", "referensranta", on).value


def fee(key: str, on: date) -> Decimal:
    """The fee or charge ``fees.<key>`` in force on ``on``, in SEK."""
    return lookup("fees", key, on).value


def time_limit(key: str, on: date) -> tuple[int, str]:
    """Length and unit of the time limit ``time_limits.<key>`` that applies to a trigger on ``on``.

    Returns e.g. ``(3, "weeks")``. Raises :class:`LawDataMissing` before the first entry and
    ``LawDataInvalid`` if the series is not a period (days/weeks/months/years).
    """
    item = series("time_limits", key)
    if item.unit not in PERIOD_UNITS:
        raise LawDataInvalid(f"{item.origin}: series '{key}' has unit {item.unit!r}, not a period")
    return int(lookup("time_limits", key, on).value), item.unit


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------

_COVERAGE_LABEL = {
    "open": "gäller från valid_from tills nästa post",
    "calendar_year": "en post per kalenderår",
    "half_year": "en post per kalenderhalvår",
}

_PERIOD_WORDS = {
    "days": ("dag", "dagar"),
    "weeks": ("vecka", "veckor"),
    "months": ("månad", "månader"),
    "years": ("år", "år"),
}


def format_value(value: Decimal, unit: str) -> str:
    """A table value in words for humans, e.g. ``59 200 kr``, ``2,00 %``, ``3 veckor``."""
    if unit == "SEK":
        return format_sek(value, whole_kronor=True)
    if unit == "percent":
        return f"{format_number(value, decimals=2)}\u00a0%"
    if unit == "percentage_points":
        return f"{format_number(value, decimals=0 if value == value.to_integral_value() else 2)} procentenheter"
    if unit == "ratio":
        return format_number(value, decimals=max(1, -value.as_tuple().exponent))
    singular, plural = _PERIOD_WORDS[unit]
    count = int(value)
    return f"{count} {singular if count == 1 else plural}"


def render_tables(tables: tuple[LawTable, ...] | None = None) -> str:
    """Human-readable listing of every table, series and entry with source and status."""
    tables = all_tables() if tables is None else tables
    lines: list[str] = ["Rättsliga tabeller (app/law/data)", "=" * 33, ""]
    pending: list[str] = []
    for law_table in tables:
        lines.append(f"{law_table.title} — {law_table.origin}")
        lines.append(f"  {law_table.description}")
        lines.append("")
        for item in law_table.series:
            lines.append(f"  [{item.key}] {item.title} ({item.unit}; {_COVERAGE_LABEL[item.coverage]})")
            if item.condition:
                lines.append(f"    Villkor: {item.condition}")
            for entry in item.entries:
                status = "verified " if entry.verified else "TO_VERIFY"
                lines.append(
                    f"    {entry.valid_from.isoformat()}  {format_value(entry.value, item.unit):>16}  "
                    f"{status}  {entry.source}"
                )
                if entry.note:
                    lines.append(f"{'':16}Not: {entry.note}")
                if not entry.verified:
                    pending.append(
                        f"  {law_table.origin} [{item.key}] {entry.valid_from.isoformat()}: "
                        f"{format_value(entry.value, item.unit)}"
                    )
            lines.append("")
    lines.append(f"Att verifiera (status to_verify): {len(pending)}")
    lines.extend(pending)
    return "\n".join(lines) + "\n"
