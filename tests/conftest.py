"""Test fixtures: a real database (SQLite file by default, PostgreSQL when
TEST_DATABASE_URL is set), migrated with the project's own Alembic migrations."""
from __future__ import annotations

import contextvars
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from flask.globals import _cv_app, _cv_request
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.core.uploads import check_upload
from app.documents.services import create_bulk_job, generate
from app.extensions import db
from app.triage.kinds import EvidenceKind
from app.triage.models import IssueGroup
from app.triage.services import add_evidence
from tests import factories


@pytest.fixture(scope="session")
def instance_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("instance")


class IsolatedClient(FlaskClient):
    """Runs each request in its own app context, as a real server does.

    Tests hold an app context open (for the database); without this, requests
    would reuse it and share `g` and the ORM session with the test and with each other.
    """

    def open(self, *args, **kwargs):
        def run():
            _cv_app.set(None)
            _cv_request.set(None)
            return FlaskClient.open(self, *args, **kwargs)

        return contextvars.copy_context().run(run)


TEST_AUDIT_KEY = "test-audit-key-not-for-production"  # the workers started by the tests get it too


@pytest.fixture(scope="session")
def app(instance_dir):
    db_url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{instance_dir / 'test.sqlite'}"
    application = create_app({
        "TESTING": True,
        "INSTANCE_PATH": str(instance_dir),
        "SQLALCHEMY_DATABASE_URI": db_url,
        "STORAGE_DIR": str(instance_dir / "files"),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "AUDIT_KEY": TEST_AUDIT_KEY,
        "SERVER_NAME": "tvist.test",
        "CELERY": {"task_always_eager": False},
    })
    application.test_client_class = IsolatedClient
    with application.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
    yield application


def _clean_tables() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        # DELETE is much faster than TRUNCATE on small tables; replica mode skips the FK
        # triggers (cases <-> issue_groups reference each other).
        try:
            with db.engine.begin() as conn:
                conn.execute(text("SET LOCAL session_replication_role = replica"))
                for name in tables:
                    conn.execute(text(f'DELETE FROM "{name}"'))
        except Exception:  # not a superuser: the slower TRUNCATE needs no special right
            with db.engine.begin() as conn:
                conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE"))
        return
    with db.engine.connect() as conn:
        # cases <-> issue_groups reference each other; no delete order satisfies both
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        for name in tables:
            conn.execute(text(f"DELETE FROM {name}"))
        conn.commit()
        conn.exec_driver_sql("PRAGMA foreign_keys=ON")


@pytest.fixture(scope="session")
def worker(app, tmp_path_factory):
    """One real `celery -A app.worker worker` process for the test session, on its own
    SQLite-backed broker, sharing the test database and file storage with the app."""
    tmp_path = tmp_path_factory.mktemp("celery")
    broker = f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"
    backend = f"db+sqlite:///{tmp_path / 'results.sqlite'}"
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "CELERY_BROKER_URL": broker, "CELERY_RESULT_BACKEND": backend,
           "SECRET_KEY": "worker-test", "TVIST_AUDIT_KEY": TEST_AUDIT_KEY, "TVIST_STORAGE_DIR": app.config["STORAGE_DIR"]}
    log_path = tmp_path / "worker.log"
    log = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "app.worker", "worker", "--pool", "solo",
                             "--loglevel", "INFO", "--without-heartbeat", "--without-gossip", "--without-mingle"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    celery = app.extensions["celery"]
    celery.conf.update(broker_url=broker, result_backend=backend)
    celery.log_path = log_path
    try:
        yield celery
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


PURE_SUITES = {"law", "filings", "course"}  # pure-Python packages: no app, no database


@pytest.fixture(autouse=True)
def _app_context(request):
    if PURE_SUITES & set(request.node.path.parts):
        yield
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        try:
            yield
        finally:
            from app.core.clock import set_today
            from app.lawvalues.services import forget_installed

            set_today(None)
            forget_installed()  # values approved in one test never reach the next (nor tests/law)
            db.session.remove()
            _clean_tables()
            Path(app.config["AUDIT_ANCHOR_PATH"]).unlink(missing_ok=True)  # it anchored the rows just removed


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def csrf_off(app):
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True


class World:
    """Two creditors (A, B) with a case each, a jurist, an admin and a user per creditor."""

    def __init__(self):
        self.creditor_a = factories.CreditorFactory(name="Alfa Energi AB")
        self.creditor_b = factories.CreditorFactory(name="Beta Bygg & Co AB")
        self.admin = factories.UserFactory(role="admin", email="admin@example.se")
        self.jurist = factories.UserFactory(role="jurist", email="jurist@example.se")
        self.user_a = factories.UserFactory(role="creditor", creditor=self.creditor_a, email="a@example.se")
        self.user_b = factories.UserFactory(role="creditor", creditor=self.creditor_b, email="b@example.se")
        self.case_a = factories.CaseFactory(creditor=self.creditor_a, reference="A-0001")
        self.case_b = factories.CaseFactory(creditor=self.creditor_b, reference="B-0001")
        self.line_a = factories.ClaimLineFactory(case=self.case_a, capital=Decimal("1234.50"),
                                                 invoice_date=date(2026, 1, 10), due_date=date(2026, 2, 9))
        self.line_b = factories.ClaimLineFactory(case=self.case_b)
        self.objection_a = factories.ObjectionFactory(case=self.case_a)
        self.objection_b = factories.ObjectionFactory(case=self.case_b)
        self.evidence_a = add_evidence(
            self.case_a, self.jurist, kind=EvidenceKind.INVOICE, title="Faktura 1", dated=date(2026, 1, 10),
            proves="Att fakturan skickades med förfallodag.", claim_line_ids=[self.line_a.id],
            upload=check_upload(b"%PDF-1.7 faktura", "faktura.pdf"))
        self.group = IssueGroup(name="Villkor 7.2", question="Är avgiften skälig?")
        db.session.add(self.group)
        self.document_a, _ = generate(self.case_a, "forlikning", date(2026, 11, 23), self.jurist)
        self.job = create_bulk_job("forlikning", [self.case_b.id], self.jurist, date(2026, 11, 23))
        db.session.commit()

    def user(self, role: str):
        return {"admin": self.admin, "jurist": self.jurist, "creditor_a": self.user_a,
                "creditor_b": self.user_b, "anonymous": None}[role]


@pytest.fixture
def world():
    return World()


def login(client, user, password: str = factories.PASSWORD):
    """Log in through the real login form (CSRF token included)."""
    page = client.get("/logga-in")
    token = extract_csrf(page.get_data(as_text=True))
    response = client.post("/logga-in", data={"email": user.email, "password": password, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def form_tokens(html: str) -> dict:
    """What a browser would send back from the page's form: the CSRF token and, on an edit
    form, the version of the record as shown (optimistic locking)."""
    import re

    tokens = {"csrf_token": extract_csrf(html)}
    tag = re.search(r'<input[^>]*name="version"[^>]*>', html)
    if tag:
        value = re.search(r'value="([^"]*)"', tag.group(0))
        tokens["version"] = value.group(1) if value else ""
    return tokens


def extract_csrf(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in page"
    return match.group(1)


@pytest.fixture
def as_user(client):
    def _login(user):
        if user is not None:
            login(client, user)
        return client

    return _login

ROOT = Path(__file__).resolve().parent.parent
