"""Backup and restore round trip: a fresh, empty instance gets everything back, intact."""
from __future__ import annotations

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
                        "STORAGE_DIR": str(other / "files"), "SECRET_KEY": "x"})
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
                        "STORAGE_DIR": str(other / "files"), "SECRET_KEY": "x"})
    with fresh.app_context():
        upgrade()
        result = fresh.test_cli_runner().invoke(args=["restore", str(tmp_path / "bak")])
        assert result.exit_code != 0 and "skadad" in result.output
        db.session.remove()
