"""Bulk filing through a real Celery worker, end to end.

Synthetic cases (bench/datagen.py) in a fresh SQLite database; one bulk job for all of them,
sent to `celery -A app.worker worker` on the SQLite-backed broker; timed from submission until
the job row says done (database reads, rendering, file storage, zip and commits included).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _env(tmp: Path) -> dict:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite'}",
            "CELERY_BROKER_URL": f"sqla+sqlite:///{tmp / 'broker.sqlite'}",
            "CELERY_RESULT_BACKEND": f"db+sqlite:///{tmp / 'results.sqlite'}",
            "TVIST_STORAGE_DIR": str(tmp / "files"), "SECRET_KEY": "bench"}


def run(n_cases: int = 10_000, kind: str = "stamningsansokan", timeout: float = 900) -> list[dict]:
    tmp = Path(tempfile.mkdtemp(prefix="tvist-bench-bulk-"))
    env = _env(tmp)
    os.environ.update({k: v for k, v in env.items() if k != "SECRET_KEY"} | {"SECRET_KEY": "bench"})
    from flask_migrate import upgrade
    from sqlalchemy import select

    from app import create_app
    from app.cases.models import Case
    from app.documents.models import BulkJob, JobStatus
    from app.documents.services import create_bulk_job
    from app.extensions import db
    from bench import datagen

    app = create_app({"INSTANCE_PATH": str(tmp)})
    with app.app_context():
        upgrade()
        datagen.generate(n_cases)
        ids = list(db.session.scalars(select(Case.id)))
        job = create_bulk_job(kind, ids, None, date(2026, 11, 23))
        db.session.commit()
        job_id = job.id
    log = open(tmp / "worker.log", "w")
    worker = subprocess.Popen([sys.executable, "-m", "celery", "-A", "app.worker", "worker", "--pool", "solo",
                               "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        time.sleep(3)  # worker start-up is not part of the job's time
        with app.app_context():
            started = time.perf_counter()
            app.extensions["celery"].tasks["documents.run_bulk_job"].delay(job_id)
            while time.perf_counter() - started < timeout:
                db.session.expire_all()
                job = db.session.get(BulkJob, job_id)
                if job.status in (JobStatus.DONE, JobStatus.FAILED):
                    break
                time.sleep(0.5)
            elapsed = time.perf_counter() - started
            done, failed = job.done, job.failed
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
    return [
        {"figure": f"bulk job, {n_cases:_} {kind} via Celery (1 worker, SQLite), seconds".replace("_", " "),
         "target": "< 60", "measured": round(elapsed, 1), "baseline": None, "ratio": None},
        {"figure": "bulk job throughput, filings/s (database reads, rendering, storage, zip)",
         "target": "> 167", "measured": round(done / elapsed, 1), "baseline": None, "ratio": None,
         "note": f"{done} generated, {failed} refused"},
    ]


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    for row in run(n):
        print(f"{row['figure']}: {row['measured']} (target {row['target']})")
