"""The Celery path for real: a worker process on the SQLite-backed broker runs a task."""
from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import update

from app.cases.models import Case
from app.extensions import db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def worker(app, instance_dir, tmp_path):
    """Start `celery -A app.worker worker` against the test database and broker."""
    broker = f"sqla+sqlite:///{tmp_path / 'broker.sqlite'}"
    backend = f"db+sqlite:///{tmp_path / 'results.sqlite'}"
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "CELERY_BROKER_URL": broker, "CELERY_RESULT_BACKEND": backend,
           "SECRET_KEY": "worker-test", "TVIST_STORAGE_DIR": str(tmp_path / "files")}
    log = open(tmp_path / "worker.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "app.worker", "worker", "--pool", "solo",
                             "--loglevel", "INFO", "--without-heartbeat", "--without-gossip", "--without-mingle"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    original = dict(app.config["CELERY"])
    celery = app.extensions["celery"]
    celery.conf.update(broker_url=broker, result_backend=backend)
    try:
        yield celery
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
        celery.conf.update(broker_url=original["broker_url"], result_backend=original["result_backend"])
        if proc.returncode not in (0, -15):
            print((tmp_path / "worker.log").read_text())


@pytest.mark.worker
def test_worker_runs_a_real_task_against_the_sqlite_broker(world, worker, tmp_path):
    # Corrupt the stored total so that the task has real work to do.
    db.session.execute(update(Case).where(Case.id == world.case_a.id).values(total_capital=Decimal("1.00")))
    db.session.commit()
    # The app's own Celery instance (another test may have made a newer one the default).
    refresh_totals = worker.tasks["cases.refresh_totals"]
    result = refresh_totals.delay([world.case_a.id, world.case_b.id])
    outcome = result.get(timeout=90)
    assert outcome == {"cases": 2, "changed": 1}, (tmp_path / "worker.log").read_text()
    db.session.expire_all()
    assert db.session.get(Case, world.case_a.id).total_capital == Decimal("1234.50")
    # idempotent: running again changes nothing
    assert refresh_totals.delay([world.case_a.id]).get(timeout=60) == {"cases": 1, "changed": 0}
