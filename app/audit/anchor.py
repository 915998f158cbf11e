"""The audit log's anchor: a signed checkpoint of the chain, kept outside the database.

The keyed chain (app.audit.services) shows that every entry is intact and in order, but a chain
with its newest entries deleted is still a valid chain. So each verification that finds the log
intact (``flask audit verify``, and the nightly beat task ``audit.verify_and_anchor``) writes the
number of entries and the newest entry's hash into ``AUDIT_ANCHOR_PATH`` (instance/
audit_anchor.json by default), signed with a key derived from the audit key. The next
verification requires the log to still hold at least that many entries, with the anchored hash at
that position: removing entries at the newest end, or rewriting the log, is then detected.

What it cannot see: entries written after the last anchor and removed before the next one (at
most a day's worth with the nightly job). A damaged or forged anchor file is reported and never
overwritten; after investigating, an admin removes the file and the next verification starts a
new anchor.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from app.audit.services import GENESIS, audit_key, walk_chain

ANCHOR_VERSION = 1


@dataclass(frozen=True)
class Anchor:
    count: int
    head_id: int | None
    head_hash: str
    at: str

    def fields(self) -> dict:
        return {"version": ANCHOR_VERSION, "count": self.count, "head_id": self.head_id,
                "head_hash": self.head_hash, "at": self.at}


@dataclass
class Verification:
    problems: list[str]
    count: int
    previous: Anchor | None
    written: Anchor | None


def _signature(fields: dict, key: bytes) -> str:
    anchor_key = hmac.new(key, b"tvist audit anchor", hashlib.sha256).digest()  # its own key
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hmac.new(anchor_key, canonical.encode(), hashlib.sha256).hexdigest()


def anchor_path() -> Path:
    return Path(current_app.config["AUDIT_ANCHOR_PATH"])


def read_anchor(path: Path, key: bytes) -> tuple[Anchor | None, list[str]]:
    """The anchor, or None when there is none yet; a problem line when the file is not one
    written by Tvist with this key."""
    try:
        raw = json.loads(path.read_text())
        anchor = Anchor(count=int(raw["count"]), head_id=raw["head_id"], head_hash=str(raw["head_hash"]),
                        at=str(raw["at"]))
        signature = str(raw["signature"])
    except FileNotFoundError:
        return None, []
    except (OSError, ValueError, KeyError, TypeError):
        return None, [f"anchor {path}: unreadable or damaged (not written by Tvist); investigate, "
                      "then remove it to start a new anchor"]
    if raw.get("version") != ANCHOR_VERSION or not hmac.compare_digest(_signature(anchor.fields(), key), signature):
        return None, [f"anchor {path}: signature does not match (altered, or written without the key); "
                      "investigate, then remove it to start a new anchor"]
    return anchor, []


def write_anchor(path: Path, key: bytes, anchor: Anchor) -> None:
    """Atomically, mode 600: a reader sees the old anchor or the new one, never half of one."""
    body = {**anchor.fields(), "signature": _signature(anchor.fields(), key)}
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(json.dumps(body, indent=2))
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def verify_and_anchor(session: Session, *, path: Path | None = None, key: bytes | None = None) -> Verification:
    """Verify the chain against the last anchor; when intact, anchor the chain as it is now."""
    path, key = path or anchor_path(), key or audit_key()
    previous, problems = read_anchor(path, key)
    walk = walk_chain(session, key, positions=(previous.count,) if previous and previous.count else ())
    problems += walk.problems
    if previous is not None:
        problems += _against_anchor(previous, walk.count, walk.hash_at.get(previous.count, GENESIS))
    written = None
    if not problems:
        written = Anchor(count=walk.count, head_id=walk.head_id, head_hash=walk.head_hash,
                         at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
        write_anchor(path, key, written)
    return Verification(problems=problems, count=walk.count, previous=previous, written=written)


def _against_anchor(anchor: Anchor, count: int, hash_at_anchor: str) -> list[str]:
    if count < anchor.count:
        return [f"{anchor.count - count} entries missing at the newest end: the anchor of {anchor.at} "
                f"recorded {anchor.count} entries (newest id {anchor.head_id}), the log now holds {count}"]
    if not hmac.compare_digest(hash_at_anchor, anchor.head_hash):
        return [f"entry number {anchor.count} is not the one anchored on {anchor.at} "
                f"(id {anchor.head_id}): entries were removed or the log rewritten"]
    return []
