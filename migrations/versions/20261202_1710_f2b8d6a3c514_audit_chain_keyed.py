"""audit log: re-sign the existing chain once with the audit key (HMAC-SHA256)

Until this revision each audit entry's hash was a plain SHA-256 of its content and the previous
hash, which anyone with write access to the database could recompute. From now on the hashes are
HMAC-SHA256 with the audit key (instance/audit_key or TVIST_AUDIT_KEY, never in the database).

What this does to the existing rows, honestly: they cannot become more trustworthy than they
were. The migration first verifies the old, unkeyed chain; only if it is intact does it re-sign
every entry with the key, and then appends one entry (action "rechain") recording how many
entries were re-signed and the old unkeyed head hash. So the log says itself that the entries up
to that point were re-signed at the upgrade and that their integrity before it rests on the
unkeyed chain as verified then. A broken old chain stops the upgrade (investigate first, e.g.
against a backup); TVIST_AUDIT_RECHAIN_BROKEN=1 re-signs it anyway and lists the problems in the
"rechain" entry, so nothing is laundered silently.

The hashing code is written out here on purpose: a migration must not change when the app's
code does.

Revision ID: f2b8d6a3c514
Revises: a4c8e2d6f301
Create Date: 2026-12-02 17:10:00

"""
import hashlib
import hmac
import json
import os
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f2b8d6a3c514'
down_revision = 'a4c8e2d6f301'
branch_labels = None
depends_on = None

GENESIS = "0" * 64
FIELDS = ("at", "actor_id", "action", "entity_type", "entity_id", "case_id", "before", "after")
audit_log = sa.table(
    "audit_log", sa.column("id", sa.Integer), sa.column("at", sa.DateTime(timezone=True)),
    sa.column("actor_id", sa.Integer), sa.column("action", sa.String), sa.column("entity_type", sa.String),
    sa.column("entity_id", sa.Integer), sa.column("case_id", sa.Integer), sa.column("before", sa.JSON),
    sa.column("after", sa.JSON), sa.column("prev_hash", sa.String), sa.column("entry_hash", sa.String))


def _utc_iso(value):
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def _canonical(row, prev_hash):
    payload = {name: row[name] for name in FIELDS}
    payload["at"] = _utc_iso(row["at"])
    payload["prev_hash"] = prev_hash
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _unkeyed(row, prev_hash):
    return hashlib.sha256(_canonical(row, prev_hash)).hexdigest()


def _keyed(key):
    return lambda row, prev_hash: hmac.new(key, _canonical(row, prev_hash), hashlib.sha256).hexdigest()


def _audit_key():
    from flask import current_app  # flask db upgrade runs inside the app

    return current_app.config["AUDIT_KEY"].encode()


def _rows(conn):
    return [dict(r._mapping) for r in conn.execute(sa.select(audit_log).order_by(audit_log.c.id))]


def _problems(rows, hasher):
    problems, prev = [], GENESIS
    for row in rows:
        if row["prev_hash"] != prev:
            problems.append(f"entry {row['id']}: previous hash does not match")
        if hasher(row, row["prev_hash"]) != row["entry_hash"]:
            problems.append(f"entry {row['id']}: content does not match its hash")
        prev = row["entry_hash"]
    return problems


def _rechain(conn, rows, hasher):
    prev, updates = GENESIS, []
    for row in rows:
        row["prev_hash"], row["entry_hash"] = prev, hasher(row, prev)
        updates.append({"row_id": row["id"], "new_prev": row["prev_hash"], "new_hash": row["entry_hash"]})
        prev = row["entry_hash"]
    statement = (audit_log.update().where(audit_log.c.id == sa.bindparam("row_id"))
                 .values(prev_hash=sa.bindparam("new_prev"), entry_hash=sa.bindparam("new_hash")))
    for start in range(0, len(updates), 2000):
        conn.execute(statement, updates[start:start + 2000])
    return prev


def upgrade():
    conn = op.get_bind()
    rows = _rows(conn)
    if not rows:
        return  # a new instance: the app signs from the first entry
    problems = _problems(rows, _unkeyed)
    if problems and os.environ.get("TVIST_AUDIT_RECHAIN_BROKEN") != "1":
        raise RuntimeError("The audit log's (unkeyed) chain is broken; it is not re-signed with the key. "
                           "Investigate first (e.g. against a backup); TVIST_AUDIT_RECHAIN_BROKEN=1 re-signs "
                           "it anyway and records these problems in the log:\n  " + "\n  ".join(problems[:50]))
    unkeyed_head = rows[-1]["entry_hash"]
    key = _audit_key()
    head = _rechain(conn, rows, _keyed(key))
    marker = {"at": datetime.now(timezone.utc), "actor_id": None, "action": "rechain", "entity_type": "AuditEntry",
              "entity_id": None, "case_id": None, "before": None,
              "after": {"re_signed_entries": len(rows), "unkeyed_head_hash": unkeyed_head,
                        "old_chain_problems": problems[:200]}}
    marker["prev_hash"] = head
    marker["entry_hash"] = _keyed(key)(marker, head)
    conn.execute(audit_log.insert().values(**marker))


def downgrade():
    """Back to the unkeyed chain (the "rechain" entries stay, re-hashed like the others)."""
    conn = op.get_bind()
    rows = _rows(conn)
    if rows:
        _rechain(conn, rows, _unkeyed)
