"""Settings, read from the environment with embedded defaults.

Defaults run everything on one machine with no server installed: SQLite for the
database and an SQLite-backed Celery broker, both under the instance folder.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from celery.schedules import crontab


def _instance_secret(instance_path: Path, env_name: str, file_name: str) -> str:
    """A secret from the environment, else generated once into instance/<file_name> (mode 600).

    There is deliberately no hard-coded fallback. The file is written complete under a temporary
    name and linked into place, so processes starting together (web, workers) all read the one
    that won and never a half-written file."""
    from_env = os.environ.get(env_name)
    if from_env:
        return from_env
    key_file = instance_path / file_name
    if not key_file.exists():
        tmp = instance_path / f".{file_name}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
        try:
            os.link(tmp, key_file)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return key_file.read_text().strip()


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY signs the session cookies: a leaked default key would let anyone forge them."""
    return _instance_secret(instance_path, "SECRET_KEY", "secret_key")


def _audit_key(instance_path: Path) -> str:
    """The audit log's HMAC key (app.audit): kept outside the database, so that write access to
    the database is not enough to rewrite the log and its chain. Every process that writes the
    log (web servers, workers) must have the same key: set TVIST_AUDIT_KEY when they do not
    share the instance folder."""
    return _instance_secret(instance_path, "TVIST_AUDIT_KEY", "audit_key")


def _int_env(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _broker_transport_options(broker: str) -> dict:
    """Redis: a message taken but not acknowledged (tasks are acknowledged late) is delivered
    again after the visibility timeout, by default one hour. Bulk chunks take seconds, so ten
    minutes brings back a killed worker's chunk sooner while staying far above any task's run
    time (a shorter timeout would deliver a still-running task a second time: harmless for the
    idempotent tasks, but wasted work). No task is scheduled further ahead than this (retries
    wait seconds; beat sends when due). Recovery does not depend on it: see
    documents.recover_bulk_jobs. The SQLite broker gives such a message back only on a clean
    shutdown, never after a kill."""
    if broker.startswith(("redis://", "rediss://", "redis+socket://")):
        return {"broker_transport_options": {"visibility_timeout": 600}}
    return {}


def load_settings(instance_path: Path) -> dict:
    instance_path.mkdir(parents=True, exist_ok=True)
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'tvist.sqlite'}"
    broker = os.environ.get("CELERY_BROKER_URL") or f"sqla+sqlite:///{instance_path / 'celery-broker.sqlite'}"
    backend = os.environ.get("CELERY_RESULT_BACKEND") or (
        f"db+sqlite:///{instance_path / 'celery-results.sqlite'}" if broker.startswith("sqla+") else broker
    )
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "AUDIT_KEY": _audit_key(instance_path),
        # The signed checkpoint (count and head hash) of the audit log, outside the database.
        "AUDIT_ANCHOR_PATH": os.environ.get("TVIST_AUDIT_ANCHOR") or str(instance_path / "audit_anchor.json"),
        "SQLALCHEMY_DATABASE_URI": db_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "STORAGE_DIR": os.environ.get("TVIST_STORAGE_DIR") or str(instance_path / "files"),
        "CASES_PER_PAGE": _int_env("TVIST_CASES_PER_PAGE", 25),
        "MAX_UPLOAD_BYTES": _int_env("TVIST_MAX_UPLOAD_MB", 20) * 1024 * 1024,
        # The request itself may not exceed the upload limit by more than the form's overhead.
        "MAX_CONTENT_LENGTH": (_int_env("TVIST_MAX_UPLOAD_MB", 20) + 1) * 1024 * 1024,
        "TRIAGE_WEIGHTS": None,
        "DEADLINE_WARNING_DAYS": _int_env("TVIST_DEADLINE_WARNING_DAYS", 7),
        # efterbevakning warns this long before limitation, so that it can be interrupted in time
        "MONITORING_LIMITATION_WARNING_DAYS": _int_env("TVIST_MONITORING_LIMITATION_WARNING_DAYS", 180),
        # Legal values (app.lawvalues): from this many days before a period starts (1 January,
        # 1 July) the admin start page and the nightly job name the values it still lacks.
        # A setting of the agency, not a legal value.
        "LAW_VALUES_WARNING_DAYS": _int_env("TVIST_LAW_VALUES_WARNING_DAYS", 60),
        "MAIL_SERVER": os.environ.get("TVIST_SMTP_HOST", ""),  # empty: no e-mail, in-app notifications only
        "MAIL_PORT": _int_env("TVIST_SMTP_PORT", 25),
        "MAIL_FROM": os.environ.get("TVIST_MAIL_FROM", "tvist@localhost"),
        # The agency acting as ombud in filings (business facts, not law).
        "AGENCY": {
            "firm": os.environ.get("TVIST_AGENCY_FIRM", "Tvist Inkasso AB, juridiska avdelningen"),
            "street": os.environ.get("TVIST_AGENCY_STREET", "Sveavägen 44"),
            "postal_code": os.environ.get("TVIST_AGENCY_POSTAL_CODE", "111 34"),
            "city": os.environ.get("TVIST_AGENCY_CITY", "Stockholm"),
            "phone": os.environ.get("TVIST_AGENCY_PHONE", "08-410 200 00"),
            "email": os.environ.get("TVIST_AGENCY_EMAIL", "juridik@tvist.test"),
            "bankgiro": os.environ.get("TVIST_AGENCY_BANKGIRO", "5050-1055"),
            "hourly_rate": os.environ.get("TVIST_AGENCY_HOURLY_RATE", "1800"),
            # hours of legal work claimed in a kostnadsräkning, per track
            "cost_claim_hours": {"simplified": 1, "ordinary": 6},
            # the agency's standard settlement terms (contract terms, not law)
            "settlement_instalments": _int_env("TVIST_SETTLEMENT_INSTALMENTS", 6),
            "settlement_grace_days": _int_env("TVIST_SETTLEMENT_GRACE_DAYS", 10),
        },  # None: app/triage/weights.toml; a mapping overrides it
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_IDLE_MINUTES": _int_env("TVIST_SESSION_IDLE_MINUTES", 30),
        "SESSION_MAX_HOURS": _int_env("TVIST_SESSION_MAX_HOURS", 12),
        # Login throttling (app.auth.throttle): failed attempts within the window, per account
        # (the e-mail typed) and per client address. A throttled account opens again when the
        # window has passed: nobody is locked out for good.
        "LOGIN_WINDOW_MINUTES": _int_env("TVIST_LOGIN_WINDOW_MINUTES", 15),
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": _int_env("TVIST_LOGIN_MAX_FAILURES_PER_ACCOUNT", 5),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": _int_env("TVIST_LOGIN_MAX_FAILURES_PER_ADDRESS", 30),
        # TOTP two-factor authentication; when required, admins and jurists must set it up.
        "TOTP_REQUIRED_FOR_STAFF": os.environ.get("TVIST_TOTP_REQUIRED", "0") == "1",
        "TOTP_ISSUER": os.environ.get("TVIST_TOTP_ISSUER", "Tvist"),
        # Re-authentication is asked for before a password or 2FA change, unless the password
        # was typed within this many minutes.
        "REAUTH_MINUTES": _int_env("TVIST_REAUTH_MINUTES", 5),
        # Retention (app.retention): months after closing before a case's personal data is
        # removed. Agency policy under GDPR art. 5.1 e; the bookkeeping period is law (app.law).
        "RETENTION_MONTHS": _int_env("TVIST_RETENTION_MONTHS", 36),
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("TVIST_SECURE_COOKIES", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_I18N_ENABLED": False,  # use WTForms' own Swedish catalogue (Meta.locales), not Flask-Babel
        "WTF_CSRF_TIME_LIMIT": None,  # tied to the session instead; long forms must not expire mid-typing
        # Bulk filing jobs: cases per chunk (one Celery task each), and how long a chunk may show
        # no sign of life before the periodic recovery dispatches it again.
        "BULK_CHUNK_SIZE": _int_env("TVIST_BULK_CHUNK_SIZE", 100),
        "BULK_STALE_SECONDS": _int_env("TVIST_BULK_STALE_SECONDS", 300),
        "CELERY": {
            "broker_url": broker,
            "result_backend": backend,
            "task_serializer": "json",
            "result_serializer": "json",
            "accept_content": ["json"],
            "task_acks_late": True,
            "task_reject_on_worker_lost": True,
            "worker_prefetch_multiplier": 1,
            "task_ignore_result": False,
            "broker_connection_retry_on_startup": True,
            "timezone": "Europe/Stockholm",
            **_broker_transport_options(broker),
            "beat_schedule": {
                "daily-deadline-scan": {"task": "course.scan_deadlines",
                                        "schedule": crontab(hour=6, minute=30)},
                "daily-monitoring-review": {"task": "enforcement.review_monitoring",
                                            "schedule": crontab(hour=6, minute=45)},
                "nightly-law-values-warning": {"task": "lawvalues.warn_missing",
                                               "schedule": crontab(hour=2, minute=45)},
                # Bulk chunks lost with a killed worker are dispatched again (also on worker start).
                "bulk-job-recovery": {"task": "documents.recover_bulk_jobs", "schedule": 300.0,
                                      "options": {"expires": 240}},
                "nightly-retention": {"task": "retention.run", "schedule": crontab(hour=2, minute=15)},
                "nightly-login-attempts-purge": {"task": "auth.purge_login_attempts",
                                                 "schedule": crontab(hour=2, minute=30)},
                "nightly-audit-anchor": {"task": "audit.verify_and_anchor",
                                         "schedule": crontab(hour=2, minute=45)},
                "nightly-idempotency-purge": {"task": "api.purge_idempotency_records",
                                              "schedule": crontab(hour=2, minute=35)},
            },
        },
    }
