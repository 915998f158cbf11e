"""Backup and restore round trip: a fresh, empty instance gets everything back, intact."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.audit.services import verify_chain
from app.cases.models import Case
from app.core import storage
from app.documents.models import GeneratedDocument
from app.extensions import db
from tests.conftest import TEST_AUDIT_KEY


@pytest.mark.skipif("os.environ.get('TEST_DATABASE_URL')", reason="SQLite round trip; PostgreSQL uses pg_dump")
def test_backup_restore_round_trip_into_an_empty_instance(world, app, tmp_path):
    runner = app.test_cli_runner()
    document = db.session.get(GeneratedDocument, world.document_a.id)
    content = storage.path_of(document.stored_name).read_bytes()
    cases = db.session.scalar(select(func.count(Case.id)))
    result = runner.invoke(args=["backup", str(tmp_path / "bak")])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["backup", str(tmp_path / "bak")]).exit_code != 0  # never overwrites

    other = tmp_path / "other"
    fresh = create_app({"INSTANCE_PATH": str(other), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{other / 'new.sqlite'}",
                        "STORAGE_DIR": str(other / "files"), "SECRET_KEY": "x",
                        "AUDIT_KEY": app.config["AUDIT_KEY"]})
    with fresh.app_context():
        upgrade()
        restored = fresh.test_cli_runner().invoke(args=["restore", str(tmp_path / "bak")])
        assert restored.exit_code == 0, restored.output
        db.session.remove()
        assert db.session.scalar(select(func.count(Case.id))) == cases
        copy = db.session.get(GeneratedDocument, document.id)
        assert (Path(fresh.config["STORAGE_DIR"]) / copy.stored_name).read_bytes() == content
        assert verify_chain(db.session) == []
        again = fresh.test_cli_runner().invoke(args=["restore", str(tmp_path / "bak")])
        assert again.exit_code != 0 and "inte tom" in again.output  # never into a used instance
        db.session.remove()


def test_a_damaged_backup_is_refused(world, app, tmp_path):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "bak")]).exit_code == 0
    with open(tmp_path / "bak" / "files.tar", "ab") as fh:
        fh.write(b"tampered")
    other = tmp_path / "other"
    fresh = create_app({"INSTANCE_PATH": str(other), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{other / 'n.sqlite'}",
                        "STORAGE_DIR": str(other / "files"), "SECRET_KEY": "x",
                        "AUDIT_KEY": app.config["AUDIT_KEY"]})
    with fresh.app_context():
        upgrade()
        result = fresh.test_cli_runner().invoke(args=["restore", str(tmp_path / "bak")])
        assert result.exit_code != 0 and "skadad" in result.output
        db.session.remove()


def _fresh_instance(root: Path, storage: Path, audit_key: str = TEST_AUDIT_KEY):
    return create_app({"INSTANCE_PATH": str(root / "instance"),
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{root / 'instance' / 'new.sqlite'}",
                       "STORAGE_DIR": str(storage), "SECRET_KEY": "x", "AUDIT_KEY": audit_key})


@pytest.mark.skipif("os.environ.get('TEST_DATABASE_URL')", reason="SQLite round trip; PostgreSQL uses pg_dump")
def test_restore_writes_only_into_its_own_storage_directory(world, app, tmp_path):
    """TVIST_STORAGE_DIR=/x/storage: a neighbouring /x/files (e.g. another instance's storage)
    is neither read, moved, emptied nor removed; only the storage directory receives files."""
    assert app.test_cli_runner().invoke(args=["backup", str(tmp_path / "bak")]).exit_code == 0
    document = db.session.get(GeneratedDocument, world.document_a.id)
    content = storage.path_of(document.stored_name).read_bytes()
    x = tmp_path / "x"
    neighbour = x / "files"
    (neighbour / "live").mkdir(parents=True)
    (neighbour / "live" / "keep.pdf").write_bytes(b"not the restore's")
    fresh = _fresh_instance(x, x / "storage")
    with fresh.app_context():
        upgrade()
        result = fresh.test_cli_runner().invoke(args=["restore", str(tmp_path / "bak")])
        assert result.exit_code == 0, result.output
        db.session.remove()
    assert (neighbour / "live" / "keep.pdf").read_bytes() == b"not the restore's"
    assert sorted(p.name for p in neighbour.rglob("*")) == ["keep.pdf", "live"]
    assert (x / "storage" / document.stored_name).read_bytes() == content
    assert not (x / "storage" / "live").exists() and not (x / "storage" / "files").exists()
    assert sorted(p.name for p in x.iterdir()) == ["files", "instance", "storage"]


def test_restore_refuses_a_storage_directory_holding_anything(world, app, tmp_path):
    assert app.test_cli_runner().invoke(args=["backup", str(tmp_path / "bak")]).exit_code == 0
    target = tmp_path / "y" / "storage"
    (target / "empty-but-not-fresh").mkdir(parents=True)
    fresh = _fresh_instance(tmp_path / "y", target)
    with fresh.app_context():
        upgrade()
        result = fresh.test_cli_runner().invoke(args=["restore", str(tmp_path / "bak")])
        assert result.exit_code != 0 and "inte tom" in result.output
        db.session.remove()
    assert [p.name for p in target.iterdir()] == ["empty-but-not-fresh"]


def test_backups_are_private_whatever_the_umask(world, app, tmp_path):
    old = os.umask(0o000)  # the most permissive umask: every file would be world-readable
    try:
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "bak")])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    target = tmp_path / "bak"
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    entries = list(target.iterdir())
    assert {p.name for p in entries} >= {"manifest.json", "files.tar"}
    for path in entries:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_restore_needs_the_audit_key_the_backup_was_made_with(world, app, tmp_path):
    """The key is not in the backup (it would let the backup's holder rewrite the log); an
    instance with another key is refused before anything is written."""
    assert app.test_cli_runner().invoke(args=["backup", str(tmp_path / "bak")]).exit_code == 0
    fresh = _fresh_instance(tmp_path / "z", tmp_path / "z" / "storage", audit_key="another-key")
    with fresh.app_context():
        upgrade()
        result = fresh.test_cli_runner().invoke(args=["restore", str(tmp_path / "bak")])
        assert result.exit_code != 0 and "nyckel" in result.output
        assert db.session.scalar(select(func.count(Case.id))) == 0
        db.session.remove()
    assert not any((tmp_path / "z" / "storage").iterdir())
