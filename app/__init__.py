"""Tvist: contested-claims handling for a Swedish debt-collection agency."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Flask is imported by create_app only: `import app.law` must not load the web stack
    from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Domain modules whose tasks.py holds Celery tasks; imported so the worker registers them.
TASK_MODULES = ("app.cases.tasks", "app.triage.tasks", "app.documents.tasks", "app.hearings.tasks",
                "app.enforcement.tasks", "app.retention.tasks", "app.auth.tasks", "app.api.tasks",
                "app.lawvalues.tasks",
                "app.audit.tasks")


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Application factory. `config` overrides settings (tests use it)."""
    from flask import Flask

    from app.config import load_settings

    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
    )
    instance_path = Path((config or {}).get("INSTANCE_PATH", app.instance_path))
    app.instance_path = str(instance_path)
    app.config.update(load_settings(instance_path))
    if config:
        celery_overrides = config.get("CELERY")
        app.config.update({k: v for k, v in config.items() if k != "CELERY"})
        if celery_overrides:
            app.config["CELERY"] = {**app.config["CELERY"], **celery_overrides}
    Path(app.config["STORAGE_DIR"]).mkdir(parents=True, exist_ok=True)

    from app.core.listing import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter  # ids beyond the database's range are 404
    _init_extensions(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    _register_error_handlers(app)
    _register_cli(app)

    from app.celery_app import celery_init_app

    celery_init_app(app)
    import importlib

    for module in TASK_MODULES:
        importlib.import_module(module)
    return app


def _init_extensions(app: Flask) -> None:
    from app import models  # noqa: F401  (complete metadata before Alembic or queries need it)
    from app.extensions import csrf, db, login_manager, migrate

    db.init_app(app)
    from app.core.types import render_migration_item

    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True,
                     compare_type=True, render_item=render_migration_item)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Logga in för att fortsätta."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    from app.audit import services as audit
    from app.core import sqlite_pragmas

    audit.install(db.session.session_factory.class_)
    with app.app_context():
        sqlite_pragmas.install(db.engine)


def _register_blueprints(app: Flask) -> None:
    from app.api.admin import bp as api_admin_bp
    from app.api.views import bp as api_bp
    from app.auth.views import bp as auth_bp
    from app.cases.views import bp as cases_bp
    from app.creditors.views import bp as creditors_bp
    from app.debtors.views import bp as debtors_bp
    from app.documents.views import bp as documents_bp
    from app.hearings.views import bp as course_bp
    from app.lawvalues.views import bp as lawvalues_bp
    from app.portal.views import bp as portal_bp
    from app.retention.views import bp as retention_bp
    from app.triage.views import bp as triage_bp

    for bp in (auth_bp, cases_bp, creditors_bp, debtors_bp, triage_bp, documents_bp, course_bp,
               portal_bp, api_bp, api_admin_bp, retention_bp, lawvalues_bp):
        app.register_blueprint(bp)


def _register_template_helpers(app: Flask) -> None:
    from app.core import formatting

    formatting.init_app(app)


def _register_error_handlers(app: Flask) -> None:
    from app.core import errors, security

    errors.init_app(app)
    security.init_app(app)


def _register_cli(app: Flask) -> None:
    from app import cli

    cli.init_app(app)
