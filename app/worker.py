"""Entry point for the Celery worker and beat: `celery -A app.worker worker`."""
from celery.signals import worker_init, worker_ready

from app import create_app
from app.celery_app import prepare_broker

flask_app = create_app()
celery = flask_app.extensions["celery"]


@worker_init.connect(weak=False)
def prepare_broker_on_start(sender=None, **_kwargs) -> None:
    """Tables and queue rows of the embedded broker exist before this worker consumes, even when
    another worker is creating them at the same moment (see prepare_broker)."""
    prepare_broker(celery)


@worker_ready.connect(weak=False)
def recover_bulk_jobs_on_start(sender=None, **_kwargs) -> None:
    """A worker that was killed (not shut down) may have held bulk chunks that the broker never
    gives back (the SQLite transport restores them only on a clean shutdown; Redis only after
    its visibility timeout). Every starting worker dispatches the unfinished chunks again; a
    duplicate finds its chunk done and does nothing."""
    from app.documents.services import recover_bulk_jobs

    with flask_app.app_context():
        try:
            recover_bulk_jobs(stale_after=None)
        except Exception:  # noqa: BLE001 - the worker must start anyway; beat retries the recovery
            flask_app.logger.exception("Recovering bulk jobs at worker start failed")
        finally:
            from app.extensions import db

            db.session.remove()
            db.engine.dispose()  # no pooled connection is inherited by pool processes forked later
