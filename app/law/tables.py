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

**Values added in the app.** The shipped files are the base. :func:`install_overlay` adds
approved values kept elsewhere (the app stores them in its database, see ``app/lawvalues``) to the
series, after the file's last entry only, under the same rules (alignment and no gaps); it clears
the memo caches so every later lookup sees them. :func:`series`, :func:`lookup` and
:func:`list_tables` always answer with the merged series; :func:`table` is the file alone.
:func:`recording` collects the entries looked up inside a block (a filing's preview flags the
``to_verify`` ones).
:func:`list_tables` and :func:`render_tables` list every table with its entries, sources and
statuses (the lead wires ``flask --app app law tables`` to print :func:`render_tables`).
This module is pure: no Flask, no database, no clock.
"""
from __future__ import annotations

import bisect
import contextlib
import contextvars
import functools
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from app.law.errors import WHO_CAN_ADD, LawDataInvalid, LawDataMissing
from app.law.formatting import format_number, format_sek

__all__ = [
    "DATA_DIR",
    "TABLE_NAMES",
    "Entry",
    "LawDataInvalid",
    "LawDataMissing",
    "LawTable",
    "OverlayEntry",
    "OverlayProblem",
    "Series",
    "all_tables",
    "entries_to_verify",
    "fee",
    "half_year_start",
    "install_overlay",
    "list_tables",
    "load_table_file",
    "lookup",
    "period_label",
    "prisbasbelopp",
    "recording",
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
_ENTRY_KEYS = {"valid_from", "value", "source", "status", "note", "url"}


@dataclass(frozen=True)
class Entry:
    """One value of a series, in force from ``valid_from``."""

    valid_from: date
    value: Decimal
    source: str
    status: str
    note: str | None = None
    url: str | None = None  # the source's web address, when given
    added_in_app: bool = False  # True for a value from install_overlay, not from the shipped file

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

    def _missing(self, what: str, add: str, needed_from: date) -> LawDataMissing:
        return LawDataMissing(
            f"{self.title}: {what}. Add {add} to {self.origin} (series '{self.key}').",
            user_message=f"Rättsligt värde saknas: {self.title}, {period_label(self.coverage, needed_from)}. "
                         f"{WHO_CAN_ADD}",
            table=self.table, key=self.key, needed_from=needed_from)

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
                start,
            )
        if self.coverage == "calendar_year":
            start = date(on.year, 1, 1)
            for entry in self.entries:
                if entry.valid_from == start:
                    return entry
            raise self._missing(
                f"no entry for the year {on.year} (the table covers {first.year}..{self.entries[-1].valid_from.year})",
                f"an entry with valid_from = {start.isoformat()}",
                start,
            )
        # open coverage
        dates = [entry.valid_from for entry in self.entries]
        index = bisect.bisect_right(dates, on) - 1
        if index < 0:
            raise self._missing(
                f"no value in force on {on.isoformat()} (the first entry is valid from {first.isoformat()})",
                f"an entry with valid_from on or before {on.isoformat()}",
                on,
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


def check_value(value: Decimal, unit: str, where: str) -> Decimal:
    """A value fit for a series in ``unit`` (a period must be a positive whole number)."""
    if not value.is_finite():
        raise LawDataInvalid(f"{where}: value {value} is not finite")
    if unit in PERIOD_UNITS and (value != value.to_integral_value() or value <= 0):
        raise LawDataInvalid(f"{where}: a time limit in {unit} must be a positive whole number, got {value}")
    if unit == "SEK" and value < 0:
        raise LawDataInvalid(f"{where}: an amount in SEK must not be negative, got {value}")
    return value


def _parse_entry(raw: Any, where: str, unit: str) -> Entry:
    if not isinstance(raw, dict):
        raise LawDataInvalid(f"{where}: must be a table")
    _check_keys(raw, _ENTRY_KEYS, {"valid_from", "value", "source", "status"}, where)
    valid_from = raw["valid_from"]
    if not isinstance(valid_from, date) or isinstance(valid_from, datetime):
        raise LawDataInvalid(f"{where}: valid_from must be a TOML date (YYYY-MM-DD), got {valid_from!r}")
    value = check_value(_parse_value(raw["value"], where), unit, where)
    status = raw["status"]
    if status not in STATUSES:
        raise LawDataInvalid(f"{where}: status must be one of {STATUSES}, got {status!r}")
    note = raw.get("note")
    if note is not None:
        _require_text(note, f"{where} note")
    url = raw.get("url")
    if url is not None:
        _require_text(url, f"{where} url")
    return Entry(
        valid_from=valid_from,
        value=value,
        source=_require_text(raw["source"], f"{where} source"),
        status=status,
        note=note,
        url=url,
    )


def check_coverage(entries: tuple[Entry, ...], coverage: str, where: str) -> None:
    """The order and coverage rules of a series (strictly ascending; half-years on 1 January /
    1 July and calendar years on 1 January, without gaps); raises :class:`LawDataInvalid`."""
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
    check_coverage(entries, coverage, where)
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
    """All tables with their series and entries (values, valid_from, sources, statuses), the
    values added in the app (:func:`install_overlay`) included."""
    return tuple(
        LawTable(law_table.name, law_table.origin, law_table.title, law_table.description,
                 tuple(series(law_table.name, item.key) for item in law_table.series))
        for law_table in all_tables()
    )


@functools.cache
def series(table_name: str, key: str) -> Series:
    """The series ``key`` of table ``table_name``: the file's entries, then any installed overlay."""
    shipped = table(table_name).get(key)
    extra = _overlay.get((table_name, key))
    if not extra:
        return shipped
    return Series(shipped.table, shipped.key, shipped.title, shipped.unit, shipped.coverage, shipped.condition,
                  shipped.entries + extra, shipped.origin)


@functools.lru_cache(maxsize=200_000)
def _lookup(table_name: str, key: str, on: date) -> Entry:
    return series(table_name, key).entry_on(on)


def lookup(table_name: str, key: str, on: date) -> Entry:
    """The entry of ``table_name.key`` that applies on ``on`` (raises :class:`LawDataMissing`).
    Memoised: the tables change only when an overlay is installed (which clears the memo), and a
    nightly computation over a million cases asks for the same few dates again and again."""
    entry = _lookup(table_name, key, on)
    used = _recorder.get()
    if used is not None:
        used.append((series(table_name, key), entry))
    return entry


def entries_to_verify() -> tuple[tuple[LawTable, Series, Entry], ...]:
    """Every entry whose status is ``to_verify``, with its table and series."""
    return tuple(
        (law_table, item, entry)
        for law_table in list_tables()
        for item in law_table.series
        for entry in item.entries
        if not entry.verified
    )


# --------------------------------------------------------------------------------------------
# Values added outside the shipped files (the overlay) and recording what was used
# --------------------------------------------------------------------------------------------

_overlay: dict[tuple[str, str], tuple[Entry, ...]] = {}
_dependent_caches: list[Callable[[], None]] = []
_recorder: contextvars.ContextVar[list[tuple[Series, Entry]] | None] = contextvars.ContextVar(
    "law_lookup_recorder", default=None)


@dataclass(frozen=True)
class OverlayEntry:
    """A value for an existing series, kept outside the shipped files (e.g. approved in the app)."""

    table: str
    key: str
    valid_from: date
    value: Decimal
    source: str
    status: str
    url: str | None = None
    note: str | None = None
    ref: object = None  # the caller's handle (e.g. a database id), handed back in problems

    def entry(self) -> Entry:
        return Entry(self.valid_from, self.value, self.source, self.status, self.note, self.url, added_in_app=True)


@dataclass(frozen=True)
class OverlayProblem:
    """An overlay entry that was not installed, and why (English, for the log)."""

    item: OverlayEntry
    reason: str


def register_dependent_cache(clear: Callable[[], None]) -> None:
    """A memo elsewhere in app.law that reads the tables; cleared whenever the overlay changes."""
    _dependent_caches.append(clear)


def _clear_caches() -> None:
    series.cache_clear()
    _lookup.cache_clear()
    for clear in _dependent_caches:
        clear()


def extend_series(base: Series, item: OverlayEntry) -> Series:
    """``base`` with ``item`` appended, checked by the rules a shipped file obeys; raises
    :class:`LawDataInvalid` when the item does not fit (wrong unit value, not after the shipped
    file's last entry, not aligned to the coverage, or leaving a gap)."""
    where = f"{base.origin}: series '{base.key}' (value added in the app, valid_from {item.valid_from.isoformat()})"
    if item.status not in STATUSES:
        raise LawDataInvalid(f"{where}: status must be one of {STATUSES}, got {item.status!r}")
    _require_text(item.source, f"{where} source")
    check_value(Decimal(item.value), base.unit, where)
    shipped_last = table(base.table).get(base.key).entries[-1].valid_from
    if item.valid_from <= shipped_last:
        raise LawDataInvalid(f"{where}: must be after the shipped file's last entry ({shipped_last.isoformat()})")
    entries = base.entries + (item.entry(),)
    check_coverage(entries, base.coverage, where)
    return Series(base.table, base.key, base.title, base.unit, base.coverage, base.condition, entries, base.origin)


def install_overlay(items: Iterable[OverlayEntry]) -> tuple[OverlayProblem, ...]:
    """Replace the installed overlay by ``items`` and clear the memo caches.

    Items are taken per series in ``valid_from`` order; each must extend the series as
    :func:`extend_series` requires, else it is left out (and every later item of its series
    with it, since those would leave a gap) and reported. An empty ``items`` removes the overlay.
    """
    merged: dict[tuple[str, str], Series] = {}
    problems: list[OverlayProblem] = []
    broken: set[tuple[str, str]] = set()
    for item in sorted(items, key=lambda i: (i.table, i.key, i.valid_from)):
        where = (item.table, item.key)
        if where in broken:
            problems.append(OverlayProblem(item, "an earlier value of the series was left out"))
            continue
        try:
            base = merged.get(where) or table(item.table).get(item.key)
            merged[where] = extend_series(base, item)
        except (LawDataInvalid, LawDataMissing) as exc:
            broken.add(where)
            problems.append(OverlayProblem(item, str(exc)))
    _overlay.clear()
    for (table_name, key), merged_series in merged.items():
        shipped_count = len(table(table_name).get(key).entries)
        _overlay[(table_name, key)] = merged_series.entries[shipped_count:]
    _clear_caches()
    return tuple(problems)


@contextlib.contextmanager
def recording() -> Iterator[list[tuple[Series, Entry]]]:
    """Collect ``(series, entry)`` for every :func:`lookup` made inside the block."""
    used: list[tuple[Series, Entry]] = []
    token = _recorder.set(used)
    try:
        yield used
    finally:
        _recorder.reset(token)


def period_label(coverage: str, start: date) -> str:
    """The period a value is needed for, in Swedish: ``år 2027``, ``halvåret 2027-01-01–2027-06-30``
    or ``från 2027-01-01``."""
    if coverage == "calendar_year":
        return f"år {start.year}"
    if coverage == "half_year":
        first = half_year_start(start)
        return f"halvåret {first.isoformat()}–{_half_year_end(first).isoformat()}"
    return f"från {start.isoformat()}"


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
    tables = list_tables() if tables is None else tables
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
                    f"{status}  {entry.source}" + ("  [tillagd i appen]" if entry.added_in_app else "")
                )
                if entry.url:
                    lines.append(f"{'':16}Adress: {entry.url}")
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
