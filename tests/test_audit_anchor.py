"""The audit chain is keyed (HMAC, key outside the database) and anchored (a signed count and
head hash outside the database): removing the newest entries, recomputing the chain without the
key and forging the anchor are all detected."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from app import create_app
from app.audit.anchor import verify_and_anchor
from app.audit.models import AuditEntry
from app.audit.services import GENESIS, verify_chain
from app.audit.tasks import audit_verify_and_anchor
from app.extensions import db
from tests import factories


def _verify(app):
    return app.test_cli_runner().invoke(args=["audit", "verify"])


def _newest_ids(n: int) -> list[int]:
    return list(db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(n)))


def test_removing_the_newest_entries_is_detected(world, app):
    first = _verify(app)
    assert first.exit_code == 0, first.output
    anchored = db.session.scalar(select(func.count(AuditEntry.id)))
    assert json.loads(Path(app.config["AUDIT_ANCHOR_PATH"]).read_text())["count"] == anchored
    for entry_id in _newest_ids(2):  # the chain that is left is consistent: only the anchor knows
        db.session.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": entry_id})
    db.session.commit()
    assert verify_chain(db.session) == []
    result = _verify(app)
    assert result.exit_code == 1
    assert "2 entries missing at the newest end" in result.output
    assert json.loads(Path(app.config["AUDIT_ANCHOR_PATH"]).read_text())["count"] == anchored  # evidence kept


def test_removing_and_replacing_the_newest_entries_is_detected(world, app):
    """Delete the newest entries and write new ones: the count grows back, the head does not."""
    assert _verify(app).exit_code == 0
    for entry_id in _newest_ids(3):
        db.session.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": entry_id})
    db.session.commit()
    for n in range(5):
        factories.CreditorFactory(name=f"Ny {n} AB")
    db.session.commit()
    result = _verify(app)
    assert result.exit_code == 1 and "not the one anchored" in result.output


def _rechain_with(hasher) -> None:
    """What someone with write access to the database (and not the key) can do: alter an entry,
    then recompute every hash after it."""
    rows = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    rows[1].after = {"name": "ändrad i efterhand"}
    prev = GENESIS
    for entry in rows:
        fields = {c: getattr(entry, c) for c in
                  ("at", "actor_id", "action", "entity_type", "entity_id", "case_id", "before", "after")}
        entry.prev_hash = prev
        entry.entry_hash = prev = hasher(fields, prev)
    db.session.commit()


@pytest.mark.parametrize("how", ["plain sha-256", "hmac with another key"])
def test_a_chain_recomputed_without_the_key_is_detected(world, app, how):
    from app.audit.services import entry_hash

    if how == "plain sha-256":
        def hasher(fields, prev):
            payload = json.dumps({**{k: str(v) for k, v in fields.items()}, "prev_hash": prev}, sort_keys=True)
            return hashlib.sha256(payload.encode()).hexdigest()
    else:
        def hasher(fields, prev):
            return entry_hash(fields, prev, b"a guessed key")
    _rechain_with(hasher)
    problems = verify_chain(db.session)
    assert problems and all("recomputed without the key" in p for p in problems)
    assert _verify(app).exit_code == 1


def test_a_forged_anchor_is_refused_and_kept(world, app):
    assert _verify(app).exit_code == 0
    path = Path(app.config["AUDIT_ANCHOR_PATH"])
    anchor = json.loads(path.read_text())
    anchor["count"] = 1  # "the log was only one entry long" (to hide a truncation)
    path.write_text(json.dumps(anchor))
    result = _verify(app)
    assert result.exit_code == 1 and "signature does not match" in result.output
    assert json.loads(path.read_text())["count"] == 1  # not overwritten


def test_the_nightly_job_anchors_and_the_anchor_is_private(world, app):
    path = Path(app.config["AUDIT_ANCHOR_PATH"])
    assert not path.exists()
    result = audit_verify_and_anchor.run()  # the task body, in this test's app context
    assert result["anchored"] and result["problems"] == 0
    assert path.stat().st_mode & 0o077 == 0
    assert app.config["CELERY"]["beat_schedule"]["nightly-audit-anchor"]["task"] == "audit.verify_and_anchor"
    db.session.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": _newest_ids(1)[0]})
    db.session.commit()
    assert audit_verify_and_anchor.run() == {"entries": result["entries"] - 1, "problems": 1, "anchored": False}


def test_the_audit_key_is_generated_once_outside_the_database(tmp_path, monkeypatch):
    monkeypatch.delenv("TVIST_AUDIT_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)}).config["AUDIT_KEY"]
    assert create_app({"INSTANCE_PATH": str(tmp_path)}).config["AUDIT_KEY"] == first and len(first) >= 64
    assert (tmp_path / "audit_key").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("TVIST_AUDIT_KEY", "from-env")
    assert create_app({"INSTANCE_PATH": str(tmp_path)}).config["AUDIT_KEY"] == "from-env"


def _old_instance(tmp_path: Path):
    """An instance on the revision before the keyed chain, holding an unkeyed chain."""
    fresh = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'o.sqlite'}",
                        "STORAGE_DIR": str(tmp_path / "files"), "SECRET_KEY": "x", "AUDIT_KEY": "upgrade-key"})
    return fresh


def test_the_upgrade_re_signs_an_intact_unkeyed_chain_once_and_says_so(tmp_path):
    fresh = _old_instance(tmp_path)
    with fresh.app_context():
        upgrade()
        for n in range(3):
            factories.CreditorFactory(name=f"Gammal {n} AB")
        db.session.commit()
        downgrade(revision="d5e2a7b9c013")  # back to the unkeyed chain, as before this release
        assert verify_chain(db.session)  # not valid as a keyed chain
        before = db.session.scalar(select(func.count(AuditEntry.id)))
        db.session.remove()
        upgrade()
        assert verify_chain(db.session) == []
        marker = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert marker.action == "rechain" and marker.after["re_signed_entries"] == before
        assert marker.after["old_chain_problems"] == []
        assert verify_and_anchor(db.session).problems == []
        db.session.remove()


def test_the_upgrade_refuses_to_re_sign_a_broken_unkeyed_chain(tmp_path, capsys):
    fresh = _old_instance(tmp_path)
    with fresh.app_context():
        upgrade()
        for n in range(3):
            factories.CreditorFactory(name=f"Gammal {n} AB")
        db.session.commit()
        downgrade(revision="d5e2a7b9c013")
        victim = db.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id).offset(1)).first()
        db.session.execute(text("UPDATE audit_log SET after = :a WHERE id = :i"), {"a": '{"x": 1}', "i": victim})
        db.session.commit()
        db.session.remove()
        with pytest.raises(SystemExit):  # flask-migrate's way of reporting the migration's error
            upgrade()
        err = capsys.readouterr().err
        assert "chain is broken" in err and f"entry {victim}: content" in err
        assert db.session.scalar(text("SELECT version_num FROM alembic_version")) == "a4c8e2d6f301"
        assert not db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "rechain"))
        db.session.remove()
