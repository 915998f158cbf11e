"""The audit log: every change to a domain record, written in the same transaction.

Written automatically from the ORM's attribute history after each flush, so no
service can forget it. Each entry's hash covers its content and the previous
entry's hash (a chain): ``verify_chain`` finds an altered or removed entry.

The chain is keyed: each hash is an HMAC-SHA256 with ``AUDIT_KEY``, a key kept outside the
database (instance/audit_key or TVIST_AUDIT_KEY). Someone who can write to the database but
does not have the key cannot recompute the chain after changing or removing an entry. Removing
the *newest* entries leaves a shorter chain that is still consistent; that is what the anchor
catches (app.audit.anchor: a signed count and head hash kept outside the database).

Personal data is never written into the log. The log is append-only and hash-chained, so a
value copied into it could never be removed again: not when a debtor asks for erasure, and not
when the retention job (app.retention) anonymises a closed case. Scrubbing old entries would
break the chain, and a redaction applied only during retention would leave every earlier edit's
old values behind. So for the fields in ``PERSONAL_FIELDS`` an entry records *that* the field
was set or changed, and whether it became empty, but never the value: a non-empty value is
written as ``PERSONAL_MARKER``. The values live only in the records themselves, where
retention can remove them, and ``verify_chain`` (``flask audit verify``) stays intact.
"""
from __future__ import annotations

import contextvars
import enum
import hashlib
import hmac
import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Iterator

from flask import current_app
from sqlalchemy import event, insert, inspect, select, text
from sqlalchemy.orm import Session

from app.audit.models import AuditEntry
from app.db import Base

GENESIS = "0" * 64
REDACTED_FIELDS = frozenset({"password_hash", "totp_secret"})
NOT_AUDITED_FIELDS = frozenset({"updated_at", "created_at", "version", "last_login_at", "totp_last_step"})
PERSONAL_MARKER = "[personuppgift]"
# Per entity (class name): fields holding personal data or free text that may hold it. Their
# values are never stored in the audit log (see the module docstring); keep this in step with
# what app.retention removes.
PERSONAL_FIELDS: dict[str, frozenset[str]] = {
    "Debtor": frozenset({"name", "identity_number", "street", "postal_code", "city", "phone", "email",
                         "registered_municipality"}),
    "AbilityRecord": frozenset({"monthly_income", "payment_remarks", "kfm_debt_total", "known_assets", "score",
                                "note"}),
    "Case": frozenset({"description"}),
    "Objection": frozenset({"text"}),
    "InvestigationStep": frozenset({"note"}),
    "Evidence": frozenset({"title", "proves", "original_name"}),
    "Hearing": frozenset({"attendees"}),
    "Outcome": frozenset({"note"}),
    "TriageDecision": frozenset({"override_reason", "snapshot"}),
    "CreditorDecision": frozenset({"comment"}),
    "Payment": frozenset({"note"}),
    "TimelineEvent": frozenset({"message"}),
    "Notification": frozenset({"message"}),
}

_actor: contextvars.ContextVar[int | None] = contextvars.ContextVar("audit_actor", default=None)


@contextmanager
def acting_as(user_id: int | None) -> Iterator[None]:
    """Attribute changes made inside the block to ``user_id`` (tasks and CLI use this;
    web requests set it from the logged-in user)."""
    token = _actor.set(user_id)
    try:
        yield
    finally:
        _actor.reset(token)


def set_request_actor(user_id: int | None) -> None:
    _actor.set(user_id)


def jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return _utc_iso(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _utc_iso(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def audit_key() -> bytes:
    """The HMAC key of the chain (from the app's configuration; never stored in the database)."""
    return current_app.config["AUDIT_KEY"].encode()


def audit_key_id() -> str:
    """A name for the key that does not reveal it (backups record which key they need)."""
    return hmac.new(audit_key(), b"tvist audit key id", hashlib.sha256).hexdigest()[:16]


def entry_hash(fields: dict[str, Any], prev_hash: str, key: bytes) -> str:
    payload = {
        "at": _utc_iso(fields["at"]),
        "actor_id": fields["actor_id"],
        "action": fields["action"],
        "entity_type": fields["entity_type"],
        "entity_id": fields["entity_id"],
        "case_id": fields["case_id"],
        "before": fields["before"],
        "after": fields["after"],
        "prev_hash": prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def _is_audited(obj: object) -> bool:
    return isinstance(obj, Base) and not isinstance(obj, AuditEntry) and getattr(obj, "__audited__", True)


def _value(entity: str, key: str, value: Any) -> Any:
    if key in REDACTED_FIELDS:
        return "***"
    if key in PERSONAL_FIELDS.get(entity, ()) and value not in (None, "", [], {}):
        return PERSONAL_MARKER
    return jsonable(value)


def _columns(obj: Base) -> list[str]:
    return [a.key for a in inspect(obj).mapper.column_attrs if a.key not in NOT_AUDITED_FIELDS]


def _diff(obj: Base) -> tuple[dict, dict]:
    state = inspect(obj)
    entity = type(obj).__name__
    before, after = {}, {}
    for key in _columns(obj):
        hist = state.attrs[key].history
        if hist.has_changes():
            before[key] = _value(entity, key, hist.deleted[0] if hist.deleted else None)
            after[key] = _value(entity, key, hist.added[0] if hist.added else None)
    return before, after


def _snapshot(obj: Base) -> dict:
    state = inspect(obj)
    entity = type(obj).__name__
    return {key: _value(entity, key, state.dict.get(key)) for key in _columns(obj)}


def _case_id(obj: Base) -> int | None:
    if type(obj).__name__ == "Case":
        return obj.id  # type: ignore[attr-defined]
    return getattr(obj, "case_id", None)


def _collect(session: Session) -> list[dict]:
    rows = []
    for obj in session.new:
        if _is_audited(obj):
            rows.append(("create", obj, None, _snapshot(obj)))
    for obj in session.dirty:
        if _is_audited(obj) and session.is_modified(obj, include_collections=False):
            before, after = _diff(obj)
            if after:
                rows.append(("update", obj, before, after))
    for obj in session.deleted:
        if _is_audited(obj):
            rows.append(("delete", obj, _snapshot(obj), None))
    return [
        {
            "at": datetime.now(timezone.utc),
            "actor_id": _actor.get(),
            "action": action,
            "entity_type": type(obj).__name__,
            "entity_id": inspect(obj).mapper.primary_key_from_instance(obj)[0],
            "case_id": _case_id(obj),
            "before": before,
            "after": after,
        }
        for action, obj, before, after in sorted(rows, key=lambda r: (r[0], type(r[1]).__name__))
    ]


def _write(session: Session, rows: list[dict]) -> None:
    if not rows:
        return
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        # Concurrent transactions must not both link to the same previous entry: serialise
        # writers of the chain for the rest of this transaction. (SQLite holds its write lock
        # already at this point: the flush has written.)
        conn.execute(text("SELECT pg_advisory_xact_lock(728514)"))
    prev = conn.execute(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
    prev = prev or GENESIS
    key = audit_key()
    for row in rows:
        row["prev_hash"] = prev
        row["entry_hash"] = prev = entry_hash(row, prev, key)
    conn.execute(insert(AuditEntry.__table__), rows)


def record_view(session: Session, entity: Base, *, case_id: int | None = None) -> None:
    """Log that the current user looked at personal data (a debtor, or a case showing one).
    Views are part of the same tamper-evident chain as changes."""
    _write(session, [{
        "at": datetime.now(timezone.utc), "actor_id": _actor.get(), "action": "view",
        "entity_type": type(entity).__name__, "entity_id": inspect(entity).mapper.primary_key_from_instance(entity)[0],
        "case_id": case_id, "before": None, "after": None,
    }])


def record_system_change(session: Session, entity_type: str, summary: dict) -> None:
    """Log a batch change made with Core statements (which the after-flush hook does not see),
    e.g. the daily job flagging thousands of deadlines: one entry with what was done."""
    _write(session, [{
        "at": datetime.now(timezone.utc), "actor_id": _actor.get(), "action": "batch",
        "entity_type": entity_type, "entity_id": None, "case_id": None, "before": None, "after": summary,
    }])


def install(session_class: type[Session]) -> None:
    """Register the after-flush hook on the application's session class (once)."""
    if event.contains(session_class, "after_flush", _after_flush):
        return
    event.listen(session_class, "after_flush", _after_flush)


@event.listens_for(Base, "mapper_configured", propagate=True)
def _load_old_values_on_change(mapper, class_) -> None:
    """Setting an attribute on an expired object normally does not load its old
    value, and the audit entry's "before" would be empty. Active history loads it."""
    for prop in mapper.column_attrs:
        mapper.class_manager[prop.key].impl.active_history = True


def _after_flush(session: Session, _flush_context) -> None:
    _write(session, _collect(session))


@dataclass
class ChainWalk:
    """What a walk over the whole chain found: its length, its newest entry and any problems."""

    count: int = 0
    head_id: int | None = None
    head_hash: str = GENESIS
    hash_at: dict[int, str] = field(default_factory=dict)  # position (1-based) -> hash, as asked
    problems: list[str] = field(default_factory=list)


def walk_chain(session: Session, key: bytes | None = None, *, positions: tuple[int, ...] = ()) -> ChainWalk:
    """Recompute the chain with the key; note the hashes at the given positions."""
    key = key or audit_key()
    walk = ChainWalk()
    prev = GENESIS
    wanted = set(positions)
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=2000)):
        fields = {c: getattr(entry, c) for c in
                  ("at", "actor_id", "action", "entity_type", "entity_id", "case_id", "before", "after")}
        if entry.prev_hash != prev:
            walk.problems.append(f"entry {entry.id}: previous hash does not match "
                                 "(an entry before it was removed or altered)")
        if not hmac.compare_digest(entry_hash(fields, entry.prev_hash, key), entry.entry_hash):
            walk.problems.append(f"entry {entry.id}: content does not match its hash "
                                 "(altered, or the chain recomputed without the key)")
        prev = entry.entry_hash
        walk.count += 1
        walk.head_id, walk.head_hash = entry.id, entry.entry_hash
        if walk.count in wanted:
            walk.hash_at[walk.count] = entry.entry_hash
    return walk


def verify_chain(session: Session) -> list[str]:
    """Recompute the chain; returns the problem lines (empty when intact). The anchor check
    (entries removed at the newest end) is app.audit.anchor.verify_and_anchor."""
    return walk_chain(session).problems
