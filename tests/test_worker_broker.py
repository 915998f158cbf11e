"""Two workers started at once on a fresh SQLite broker both come up.

Each worker declares its queue on start. kombu's SQLAlchemy transport looks the queue row up
and inserts it when missing, so two processes starting together on a new broker file can both
insert it, and one then dies with ``UNIQUE constraint failed: kombu_queue.name``. The broker is
made ready (tables and queue rows) before a worker consumes, in a way that tolerates the race.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

ROUNDS = 3


def _start(env: dict, name: str, log_path: Path) -> subprocess.Popen:
    log = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "app.worker", "worker", "-n", name,
                             "--pool", "solo", "--loglevel", "INFO",
                             "--without-heartbeat", "--without-gossip", "--without-mingle"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    return proc


def _wait_all_ready(procs: list[subprocess.Popen], logs: list[Path], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    waiting = set(range(len(procs)))
    while waiting and time.monotonic() < deadline:
        for i in list(waiting):
            text = logs[i].read_text()
            if " ready." in text:
                waiting.discard(i)
            elif procs[i].poll() is not None:
                pytest.fail(f"worker {i} exited with {procs[i].returncode}:\n{text[-3000:]}")
        time.sleep(0.1)
    if waiting:
        pytest.fail("workers did not start:\n" + "\n----\n".join(logs[i].read_text()[-2000:] for i in waiting))


@pytest.mark.worker
def test_two_workers_start_together_on_a_fresh_sqlite_broker(app, tmp_path):
    for round_no in range(ROUNDS):
        where = tmp_path / f"round{round_no}"
        where.mkdir()
        env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
               "CELERY_BROKER_URL": f"sqla+sqlite:///{where / 'broker.sqlite'}",
               "CELERY_RESULT_BACKEND": f"db+sqlite:///{where / 'results.sqlite'}",
               "SECRET_KEY": "broker-race-test", "TVIST_STORAGE_DIR": app.config["STORAGE_DIR"]}
        logs = [where / "w1.log", where / "w2.log"]
        procs = [_start(env, f"w{i + 1}@race", logs[i]) for i in range(2)]
        try:
            _wait_all_ready(procs, logs)
            # and both stay up (a failed queue declaration can also surface just after "ready")
            time.sleep(1.0)
            for proc, log in zip(procs, logs):
                assert proc.poll() is None, log.read_text()[-3000:]
        finally:
            for proc in procs:
                if proc.poll() is None:
                    proc.terminate()
            for proc in procs:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
        for log in logs:
            text = log.read_text()
            assert "UNIQUE constraint failed" not in text, text[-3000:]
            assert "already exists" not in text, text[-3000:]


def test_prepare_broker_creates_the_tables_and_queue_rows_once(tmp_path):
    import sqlite3

    from celery import Celery

    from app.celery_app import prepare_broker

    path = tmp_path / "broker.sqlite"
    celery = Celery("prep", broker=f"sqla+sqlite:///{path}")
    prepare_broker(celery)
    prepare_broker(celery)  # again: nothing new, no error
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM kombu_queue").fetchall() == [("celery",)]


def test_prepare_broker_leaves_other_brokers_alone():
    from celery import Celery

    from app.celery_app import prepare_broker

    prepare_broker(Celery("prep", broker="redis://127.0.0.1:1/0"))  # would fail if it connected
