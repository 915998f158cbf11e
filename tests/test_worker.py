"""The Celery path for real: a worker process on the SQLite-backed broker runs a task."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import update

from app.cases.models import Case
from app.extensions import db


@pytest.mark.worker
def test_worker_runs_a_real_task_against_the_sqlite_broker(world, worker):
    # Corrupt the stored total so that the task has real work to do.
    db.session.execute(update(Case).where(Case.id == world.case_a.id).values(total_capital=Decimal("1.00")))
    db.session.commit()
    # The app's own Celery instance (another test may have made a newer one the default).
    refresh_totals = worker.tasks["cases.refresh_totals"]
    result = refresh_totals.delay([world.case_a.id, world.case_b.id])
    outcome = result.get(timeout=90)
    assert outcome == {"cases": 2, "changed": 1}, worker.log_path.read_text()
    db.session.expire_all()
    assert db.session.get(Case, world.case_a.id).total_capital == Decimal("1234.50")
    # idempotent: running again changes nothing
    assert refresh_totals.delay([world.case_a.id]).get(timeout=60) == {"cases": 1, "changed": 0}


@pytest.mark.worker
def test_a_pickle_message_is_refused_by_the_worker(worker):
    """Only JSON is accepted: a pickled message (which could run code when loaded) is refused."""
    import time

    result = worker.send_task("cases.refresh_totals", args=[[]], serializer="pickle")
    log = ""
    for _ in range(80):
        log = worker.log_path.read_text()
        if "pickle" in log.lower():
            break
        time.sleep(0.25)
    assert "refusing to deserialize untrusted content of type pickle" in log.lower(), log[-2000:]
    assert result.state == "PENDING"  # never ran
