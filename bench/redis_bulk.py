"""One bulk job on PostgreSQL (or any DATABASE_URL) with Redis as broker and two workers.

    python -m bench.redis_bulk --redis-url redis://127.0.0.1:63799/0 \
        --database-url postgresql+psycopg://postgres@127.0.0.1:54329/tvist_bulk --cases 2000

Migrates the database, generates the cases with bench/datagen.py (when it has none yet),
starts the workers (`celery -A app.worker worker`, one process each, named w1, w2 …) on the
Redis broker, runs one bulk job over every case and waits for it. Then checks that every
document exists exactly once (rows, files, zip), that the counters add up, and that every
worker did chunks (the worker's name is recorded per chunk). Prints the throughput; exits
non-zero on any failure, a task retry included (e.g. a deadlock between two workers). CI runs it (.ci/run) against its PostgreSQL and a loopback Redis.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis-url", required=True, help="e.g. redis://127.0.0.1:63799/0")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="SQLAlchemy URL (default: $DATABASE_URL)")
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--kind", default="stamningsansokan")
    parser.add_argument("--chunk-size", type=int, default=None, help="default: BULK_CHUNK_SIZE")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--storage-dir", default=None, help="default: a new temporary directory")
    args = parser.parse_args(argv)
    if not args.database_url:
        parser.error("--database-url or DATABASE_URL is required")

    from bench.bench_bulk import run_job, stage_shares, start_workers, stop_workers, task_retries, verify

    tmp = Path(tempfile.mkdtemp(prefix="tvist-redis-bulk-"))
    env = {"DATABASE_URL": args.database_url, "CELERY_BROKER_URL": args.redis_url,
           "CELERY_RESULT_BACKEND": args.redis_url, "TVIST_STORAGE_DIR": args.storage_dir or str(tmp / "files"),
           "SECRET_KEY": "bench-redis-bulk", "TVIST_AUDIT_KEY": "bench-redis-bulk"}
    os.environ.update(env)

    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from app import create_app
    from app.cases.models import Case
    from app.extensions import db
    from bench import datagen

    app = create_app({"INSTANCE_PATH": str(tmp)})
    with app.app_context():
        upgrade()
        existing = db.session.scalar(select(func.count(Case.id)))
        if existing == 0:
            print(f"generating {args.cases} cases …", flush=True)
            datagen.generate(args.cases, status_shares=stage_shares(args.kind))
            db.session.commit()
        else:
            print(f"using the {existing} cases already in the database", flush=True)
        db.session.remove()
        db.engine.dispose()

    print(f"starting {args.workers} workers on {args.redis_url} …", flush=True)
    workers = start_workers(args.workers, env, tmp)
    try:
        result = run_job(app, args.kind, args.timeout, args.chunk_size)
    finally:
        stop_workers(workers)
    problems, per_worker = verify(app, result["job_id"])
    retried = task_retries(tmp, args.workers)
    if retried:
        problems.append(f"{len(retried)} task retries (each finished in the end, but none should be needed): "
                        + "; ".join(retried[:3]))
    idle = [f"w{k}" for k in range(1, args.workers + 1) if not per_worker.get(f"w{k}")]
    if idle:
        problems.append(f"workers without a chunk: {idle} (chunks per worker: {dict(per_worker)})")
    rate = result["done"] / result["seconds"]
    print(f"bulk job {result['job_id']}: {result['status']}, {result['done']} generated, {result['failed']} refused "
          f"of {result['total']} in {result['seconds']:.1f} s = {rate:.1f} filings/s with {args.workers} workers "
          f"(chunks per worker: {dict(sorted(per_worker.items()))})")
    if problems:
        for problem in problems:
            print(f"FAIL: {problem}", file=sys.stderr)
        for k in range(1, args.workers + 1):
            print(f"--- worker{k}.log (end) ---\n{(tmp / f'worker{k}.log').read_text()[-2000:]}", file=sys.stderr)
        return 1
    print("OK: every document exactly once; every worker did chunks; no task retried")
    shutil.rmtree(tmp, ignore_errors=True)  # kept on failure, for the logs
    return 0


if __name__ == "__main__":
    sys.exit(main())
