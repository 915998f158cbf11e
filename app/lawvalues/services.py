"""Legal values maintained in the app: propose, approve (four eyes), withdraw, and install.

The shipped TOML tables (app/law/data) stay the base. An admin proposes a value for an existing
series, after the file's last entry; it takes effect only when another admin approves it. The
approved values are installed into app.law's tables with :func:`app.law.tables.install_overlay`
(app.law stays pure: it never reads the database).

Keeping every process current: a single row (:class:`LawValuesState`) holds a token that changes
with every approval or withdrawal of an approved value. :func:`ensure_current` compares it with the
token this process installed — one primary-key read at the start of each web request and each
Celery task — and reloads the approved values only when it differs. So an approval made by one
gunicorn worker reaches every other worker and every Celery worker at their next request or task,
and the lookups stay memoised in between (the nightly job relies on that).
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.auth.models import Role, User
from app.db import utcnow
from app.extensions import db
from app.law import tables
from app.law.coverage import MissingValue, missing_values
from app.law.errors import LawDataInvalid, LawDataMissing
from app.lawvalues.models import LawValue, LawValuesState, LawValueState

log = logging.getLogger(__name__)

_NOT_LOADED = object()
_installed_token: object = _NOT_LOADED


class LawValueRefused(ValueError):
    """The proposal, approval or withdrawal is not allowed; ``problems`` are Swedish sentences."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class SeriesChoice:
    """A series a value can be proposed for, for the form and the CLI."""

    table: str
    key: str
    title: str
    table_title: str
    unit: str
    coverage: str
    last_valid_from: date  # the newest entry, shipped or added in the app

    @property
    def code(self) -> str:
        return f"{self.table}.{self.key}"


def series_choices() -> list[SeriesChoice]:
    return [SeriesChoice(t.name, s.key, s.title, t.title, s.unit, s.coverage, s.entries[-1].valid_from)
            for t in tables.list_tables() for s in t.series]


def find_series(code: str) -> tables.Series:
    """The series named ``table.key`` (e.g. ``referensranta.referensranta``)."""
    table_name, _, key = (code or "").partition(".")
    if table_name not in tables.TABLE_NAMES:
        raise LawValueRefused([f"Okänd tabell: {table_name or '(ingen)'}."])
    try:
        return tables.series(table_name, key)
    except LawDataMissing:
        raise LawValueRefused([f"Tabellen {table_name} har ingen serie {key or '(ingen)'}."]) from None


def parse_value(text: str) -> Decimal:
    """A decimal written with a point or a comma ("2,50"); spaces between digit groups are allowed."""
    cleaned = (text or "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise LawValueRefused([f"Värdet {text!r} är inte ett tal."]) from None
    if not value.is_finite():
        raise LawValueRefused([f"Värdet {text!r} är inte ett tal."])
    return value


# --- Loading into app.law ---------------------------------------------------------------------

def _overlay_item(row: LawValue) -> tables.OverlayEntry:
    note = row.note or None
    return tables.OverlayEntry(row.table_name, row.series_key, row.valid_from, row.value, row.source,
                               row.verification, url=row.source_url or None, note=note, ref=row.id)


def reload() -> None:
    """Install every approved value into app.law's tables (and remember the token installed)."""
    global _installed_token
    token = db.session.scalar(select(LawValuesState.token).where(LawValuesState.id == 1))
    rows = db.session.scalars(select(LawValue).where(LawValue.state == LawValueState.APPROVED)).all()
    for problem in tables.install_overlay(_overlay_item(row) for row in rows):
        log.error("Approved law value %s not installed: %s", problem.item.ref, problem.reason)
    _installed_token = token


def ensure_current() -> None:
    """Reload the approved values if another process changed them since this one loaded them."""
    try:
        token = db.session.scalar(select(LawValuesState.token).where(LawValuesState.id == 1))
        if token != _installed_token:
            reload()
    except SQLAlchemyError:  # e.g. before `flask db upgrade` has created the table
        db.session.rollback()
        log.exception("Law values could not be loaded; the shipped tables alone apply")


def forget_installed() -> None:
    """Remove the overlay from this process (tests; the next ensure_current loads it again)."""
    global _installed_token
    tables.install_overlay(())
    _installed_token = _NOT_LOADED


def _changed() -> None:
    state = db.session.get(LawValuesState, 1)
    if state is None:
        db.session.add(LawValuesState(id=1, token=uuid.uuid4().hex, changed_at=utcnow()))
    else:
        state.token, state.changed_at = uuid.uuid4().hex, utcnow()


# --- Propose, approve, withdraw -------------------------------------------------------------

def _require_admin(actor: User | None) -> User:
    if actor is None or actor.role != Role.ADMIN or not actor.active:
        raise LawValueRefused(["Endast en administratör kan föreslå, godkänna eller återkalla rättsliga värden."])
    return actor


def _same_period(item: tables.Series, valid_from: date, *states: LawValueState) -> LawValue | None:
    return db.session.scalar(select(LawValue).where(
        LawValue.table_name == item.table, LawValue.series_key == item.key, LawValue.valid_from == valid_from,
        LawValue.state.in_(states)).limit(1))


def _check_proposal(item: tables.Series, valid_from: date, value: Decimal) -> list[str]:
    problems = []
    shipped_last = tables.table(item.table).get(item.key).entries[-1].valid_from
    if valid_from <= shipped_last:
        problems.append(f"Tabellen i {item.origin} har redan värden från {shipped_last.isoformat()}; ett värde "
                        "som läggs in i appen måste gälla från en senare dag.")
    if item.coverage == "half_year" and (valid_from.day, valid_from.month) not in ((1, 1), (1, 7)):
        problems.append(f"{item.title} gäller per kalenderhalvår: ange 1 januari eller 1 juli som giltig från.")
    if item.coverage == "calendar_year" and (valid_from.day, valid_from.month) != (1, 1):
        problems.append(f"{item.title} gäller per kalenderår: ange 1 januari som giltig från.")
    if item.coverage == "open" and valid_from <= item.entries[-1].valid_from:
        problems.append(f"Det senaste värdet gäller från {item.entries[-1].valid_from.isoformat()}; "
                        "ett nytt värde måste gälla från en senare dag.")
    if item.unit in tables.PERIOD_UNITS and (value != value.to_integral_value() or value <= 0):
        problems.append("En frist anges som ett positivt heltal.")
    if item.unit == "SEK" and value < 0:
        problems.append("Ett belopp får inte vara negativt.")
    return problems


def propose(actor: User | None, *, series_code: str, valid_from: date, value: Decimal, source: str,
            source_url: str = "", verification: str = "to_verify", note: str = "") -> LawValue:
    """Record a proposed value (not in effect until another admin approves it)."""
    _require_admin(actor)
    item = find_series(series_code)
    problems = _check_proposal(item, valid_from, value)
    if verification not in tables.STATUSES:
        problems.append("Ange om värdet är verifierat mot källan eller ska verifieras.")
    if not (source or "").strip():
        problems.append("Ange källan: SFS-nummer eller myndighet.")
    if _same_period(item, valid_from, LawValueState.APPROVED):
        problems.append(f"Det finns redan ett godkänt värde från {valid_from.isoformat()}; återkalla det först.")
    elif _same_period(item, valid_from, LawValueState.PROPOSED):
        problems.append(f"Ett förslag från {valid_from.isoformat()} väntar redan på godkännande.")
    if problems:
        raise LawValueRefused(problems)
    row = LawValue(table_name=item.table, series_key=item.key, valid_from=valid_from, value_text=str(value),
                   source=source.strip(), source_url=(source_url or "").strip() or None, verification=verification,
                   note=(note or "").strip() or None, proposed_by_id=actor.id, state=LawValueState.PROPOSED)
    db.session.add(row)
    db.session.flush()
    return row


def approve(row: LawValue, actor: User | None) -> LawValue:
    """The second pair of eyes: the value takes effect (in every process, see the module doc)."""
    _require_admin(actor)
    if row.state != LawValueState.PROPOSED:
        raise LawValueRefused([f"Värdet är {row.state.label.lower()} och kan inte godkännas."])
    if row.proposed_by_id == actor.id:
        raise LawValueRefused(["Du kan inte godkänna ett värde som du själv har föreslagit: en annan "
                               "administratör måste godkänna det (fyra ögon)."])
    ensure_current()
    item = tables.series(row.table_name, row.series_key)
    try:
        tables.extend_series(item, _overlay_item(row))
    except LawDataInvalid:
        raise LawValueRefused([_gap_message(item, row.valid_from)]) from None
    row.state, row.approved_by_id, row.approved_at = LawValueState.APPROVED, actor.id, utcnow()
    _changed()
    db.session.flush()
    return row


def _gap_message(item: tables.Series, valid_from: date) -> str:
    last = item.entries[-1].valid_from
    if item.coverage == "open" or valid_from <= last:
        return (f"Värdet passar inte i serien {item.title}: det senaste värdet gäller från {last.isoformat()}; "
                "återkalla förslaget och lägg in ett nytt.")
    needed = tables.period_label(item.coverage, _next_start(item.coverage, last))
    return f"{item.title}: värdet för {needed} måste godkännas först, så att serien inte får någon lucka."


def _next_start(coverage: str, last: date) -> date:
    if coverage == "calendar_year":
        return date(last.year + 1, 1, 1)
    return date(last.year, 7, 1) if last.month == 1 else date(last.year + 1, 1, 1)


def withdraw(row: LawValue, actor: User | None) -> LawValue:
    """Withdraw a proposal, or an approved value that no later approved value builds on."""
    _require_admin(actor)
    if row.state == LawValueState.WITHDRAWN:
        raise LawValueRefused(["Värdet är redan återkallat."])
    if row.state == LawValueState.APPROVED:
        later = db.session.scalar(select(LawValue.valid_from).where(
            LawValue.table_name == row.table_name, LawValue.series_key == row.series_key,
            LawValue.state == LawValueState.APPROVED, LawValue.valid_from > row.valid_from).limit(1))
        coverage = tables.series(row.table_name, row.series_key).coverage
        if later is not None and coverage != "open":
            raise LawValueRefused([f"Ett senare godkänt värde (från {later.isoformat()}) bygger på det här; "
                                   "återkalla det först så att serien inte får någon lucka."])
        _changed()
    row.state, row.withdrawn_by_id, row.withdrawn_at = LawValueState.WITHDRAWN, actor.id, utcnow()
    db.session.flush()
    return row


def get(value_id: int) -> LawValue | None:
    return db.session.get(LawValue, value_id)


def pending() -> list[LawValue]:
    return list(db.session.scalars(select(LawValue).where(LawValue.state == LawValueState.PROPOSED)
                                   .order_by(LawValue.table_name, LawValue.series_key, LawValue.valid_from)))


def recent(limit: int = 50) -> list[LawValue]:
    """Every value added in the app, newest first (the page's history)."""
    return list(db.session.scalars(select(LawValue).order_by(LawValue.id.desc()).limit(limit)))


def series_title(row: LawValue) -> str:
    try:
        return tables.series(row.table_name, row.series_key).title
    except LawDataMissing:
        return f"{row.table_name}.{row.series_key}"


def format_row_value(row: LawValue) -> str:
    try:
        return tables.format_value(row.value, tables.series(row.table_name, row.series_key).unit)
    except LawDataMissing:
        return row.value_text


# --- Warnings ----------------------------------------------------------------------------------

def upcoming_missing(on: date, lead_days: int) -> tuple[MissingValue, ...]:
    """The values the current period lacks and, within ``lead_days`` of the next, the next one."""
    ensure_current()
    return missing_values(on, lead_days)


def warn_missing_values(on: date, lead_days: int) -> dict:
    """The nightly warning: every active admin gets an in-app notice per missing value, once."""
    from app.hearings.models import Notification  # notifications live with the deadline reminders

    missing = upcoming_missing(on, lead_days)
    admins = db.session.scalars(select(User).where(User.role == Role.ADMIN, User.active.is_(True))).all()
    notified = 0
    for value in missing:
        message = value.user_message[:500]
        for admin in admins:
            already = db.session.scalar(select(Notification.id).where(
                Notification.user_id == admin.id, Notification.case_id.is_(None),
                Notification.message == message).limit(1))
            if already is None:
                db.session.add(Notification(user_id=admin.id, case_id=None, message=message))
                notified += 1
    for value in missing:
        log.warning("Law value missing%s: %s", " (overdue)" if value.overdue else "", value.message)
    return {"missing": [value.message for value in missing], "notified": notified}
