"""Celery wired the Flask way: every task runs inside an application context."""
from __future__ import annotations

from celery import Celery, Task
from flask import Flask


def celery_init_app(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with app.app_context():
                # Legal values approved in another process since the last task (one primary-key read).
                from app.lawvalues.services import ensure_current

                ensure_current()
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app


def prepare_broker(celery_app: Celery, attempts: int = 40) -> None:
    """Create the embedded (SQLAlchemy/SQLite) broker's tables and queue rows, tolerating a race.

    kombu's SQLAlchemy transport creates its tables (``create_all``: check, then CREATE) and a
    queue's row (look up, then INSERT) the first time a process uses them, with a lock that only
    holds within one process. Two workers starting together on a fresh broker file can both
    create: one then fails with ``table kombu_queue already exists`` or ``UNIQUE constraint
    failed: kombu_queue.name``. Called before a worker consumes (``worker_init``) and by
    ``flask serve`` before it starts one: a lost race is rolled back and tried again, and the
    second try finds what the other process made. Other brokers (Redis) need nothing here.
    """
    import time

    from sqlalchemy.exc import IntegrityError, OperationalError

    if not str(celery_app.conf.broker_url or "").startswith("sqla+"):
        return
    queues = list(celery_app.amqp.queues.values())
    for attempt in range(1, attempts + 1):
        try:
            with celery_app.connection_for_write() as conn:
                channel = conn.default_channel
                for queue in queues:
                    queue.bind(channel).declare()
            break
        except (IntegrityError, OperationalError):
            if attempt == attempts:
                raise
            time.sleep(min(0.02 * attempt, 0.25))
    # kombu keeps one engine per broker URL for the process: no pooled SQLite connection from
    # here may be inherited by the worker's pool processes forked later.
    from kombu.transport.sqlalchemy import Channel

    for engine, _session_factory in Channel._engines.values():
        engine.dispose()
