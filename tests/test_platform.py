"""Configuration, migrations and demo data."""
from __future__ import annotations

import re

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from stdnum.se import orgnr, personnummer

from app import create_app
from app.cases.models import Case
from app.debtors.models import Debtor
from app.extensions import db


def test_secret_key_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    second = create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"]
    assert first == second and len(first) >= 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    other = create_app({"INSTANCE_PATH": str(tmp_path / "other")}).config["SECRET_KEY"]
    assert other != first


def test_settings_come_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/tvist-env-test.sqlite")
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6399/0")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    config = create_app({"INSTANCE_PATH": str(tmp_path)}).config
    assert config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////tmp/tvist-env-test.sqlite"
    assert config["CELERY"]["broker_url"] == "redis://127.0.0.1:6399/0"
    assert config["CELERY"]["result_backend"] == "redis://127.0.0.1:6399/0"
    assert config["SECRET_KEY"] == "from-env"


def test_default_broker_is_sqlite_backed(tmp_path, monkeypatch):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    celery = create_app({"INSTANCE_PATH": str(tmp_path)}).config["CELERY"]
    assert celery["broker_url"].startswith("sqla+sqlite:///") and celery["accept_content"] == ["json"]


def test_migrations_match_the_models(app):
    """Every table and column comes through a migration: the migrated schema equals the models."""
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
    assert diff == []


def test_migration_files_are_date_prefixed():
    from pathlib import Path

    versions = Path(__file__).resolve().parent.parent / "migrations" / "versions"
    names = [p.name for p in versions.glob("*.py")]
    assert names and all(re.match(r"\d{8}_\d{4}_[0-9a-f]+_", n) for n in names)


def test_seed_demo_loads_realistic_data_once(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--cases", "40"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count(Case.id))) == 40
    refs = db.session.scalars(select(Case.reference).order_by(Case.reference)).all()
    assert refs[:2] == ["DEMO-0001", "DEMO-0002"]
    names = " ".join(db.session.scalars(select(Debtor.name)))
    for ch in ("&", "<", '"', "å", "ä", "ö", "é"):
        assert ch in names
    for debtor in db.session.scalars(select(Debtor)):
        module = orgnr if debtor.is_company else personnummer
        assert module.is_valid(debtor.identity_number), debtor.identity_number
    from app.creditors.models import Creditor
    for creditor in db.session.scalars(select(Creditor)):
        assert orgnr.is_valid(creditor.org_number), creditor.org_number
    again = runner.invoke(args=["seed-demo"])
    assert "already holds data" in again.output
    assert db.session.scalar(select(func.count(Case.id))) == 40


def test_demo_cases_cover_every_objection_category(app):
    from app.cases.models import Objection, ObjectionCategory

    app.test_cli_runner().invoke(args=["seed-demo", "--cases", "16"])
    categories = set(db.session.scalars(select(Objection.category)))
    assert categories == set(ObjectionCategory)
