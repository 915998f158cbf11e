"""Command-line commands: `flask --app app <command>`."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import datetime
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from werkzeug.serving import run_simple

if TYPE_CHECKING:
    from app.retention.models import RetentionRun

law_cli = AppGroup("law", help="The legal tables (app/law/data) and their sources.")


@law_cli.command("tables")
def law_tables() -> None:
    """Print every legal table with its values, sources and status (values approved in the app included)."""
    from app.course.ledger import load_allocation_rule
    from app.law.tables import render_tables
    from app.lawvalues.services import ensure_current

    ensure_current()
    click.echo(render_tables())
    rule = load_allocation_rule()
    click.echo(f"Avräkningsordning (app/law/data/allocation.toml): {' → '.join(rule.order)}  "
               f"{'verified' if rule.verified else 'TO_VERIFY'}  {rule.source}")


def _law_admin(email: str):
    from app.auth.services import find_user_by_email

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"Ingen användare med e-postadressen {email}.")
    return user


@law_cli.command("add")
@click.argument("series_code", metavar="TABLE.SERIES")
@click.argument("valid_from", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.argument("value")
@click.option("--source", required=True, help="SFS number and section, or the authority")
@click.option("--url", "source_url", default="", help="The source's web address")
@click.option("--status", "verification", type=click.Choice(["verified", "to_verify"]), default="to_verify",
              show_default=True)
@click.option("--note", default="")
@click.option("--by", "by_email", required=True, help="E-mail of the admin proposing the value")
def law_add(series_code: str, valid_from: datetime, value: str, source: str, source_url: str, verification: str,
            note: str, by_email: str) -> None:
    """Propose VALUE for TABLE.SERIES from VALID_FROM (e.g. referensranta.referensranta 2027-01-01 2.00).
    It takes effect when another admin approves it (`flask law approve`)."""
    from app.audit.services import acting_as
    from app.extensions import db
    from app.lawvalues import services

    admin = _law_admin(by_email)
    with acting_as(admin.id):
        try:
            row = services.propose(admin, series_code=series_code, valid_from=valid_from.date(),
                                   value=services.parse_value(value), source=source, source_url=source_url,
                                   verification=verification, note=note)
        except services.LawValueRefused as exc:
            db.session.rollback()
            raise click.ClickException(" ".join(exc.problems)) from None
        db.session.commit()
    click.echo(f"Proposed #{row.id}: {series_code} from {row.valid_from} = {row.value_text} "
               "(takes effect when another admin approves it).")


@law_cli.command("pending")
def law_pending() -> None:
    """List the proposed values waiting for approval."""
    from app.lawvalues import services

    rows = services.pending()
    if not rows:
        click.echo("No proposals are waiting.")
    for row in rows:
        click.echo(f"#{row.id}  {row.table_name}.{row.series_key}  {row.valid_from}  {row.value_text}  "
                   f"{row.verification}  {row.source}  (proposed by {row.proposed_by.email})")


def _law_decide(value_id: int, by_email: str, decide) -> None:
    from app.audit.services import acting_as
    from app.extensions import db
    from app.lawvalues import services

    admin = _law_admin(by_email)
    row = services.get(value_id)
    if row is None:
        raise click.ClickException(f"No proposed value #{value_id}.")
    with acting_as(admin.id):
        try:
            decide(row, admin)
        except services.LawValueRefused as exc:
            db.session.rollback()
            raise click.ClickException(" ".join(exc.problems)) from None
        db.session.commit()
    services.ensure_current()
    click.echo(f"#{row.id} {row.table_name}.{row.series_key} from {row.valid_from}: {row.state.value}.")


@law_cli.command("approve")
@click.argument("value_id", type=int)
@click.option("--by", "by_email", required=True, help="E-mail of the approving admin (not the proposer)")
def law_approve(value_id: int, by_email: str) -> None:
    """Approve proposal VALUE_ID (see `flask law pending`); the value takes effect."""
    from app.lawvalues.services import approve

    _law_decide(value_id, by_email, approve)


@law_cli.command("withdraw")
@click.argument("value_id", type=int)
@click.option("--by", "by_email", required=True, help="E-mail of the admin withdrawing it")
def law_withdraw(value_id: int, by_email: str) -> None:
    """Withdraw a proposal, or an approved value no later value builds on."""
    from app.lawvalues.services import withdraw

    _law_decide(value_id, by_email, withdraw)


audit_cli = AppGroup("audit", help="The tamper-evident audit log.")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Recompute the audit log's keyed hash chain and check it against the last anchor; exit 1 if
    an entry was altered or removed (also at the newest end). When intact, the anchor moves on."""
    from app.audit.anchor import verify_and_anchor
    from app.extensions import db

    result = verify_and_anchor(db.session)
    db.session.rollback()
    if result.problems:
        for line in result.problems:
            click.echo(line, err=True)
        raise SystemExit(1)
    since = f" (anchor of {result.previous.at}: {result.previous.count} entries)" if result.previous else \
        " (no anchor before this one)"
    click.echo(f"Audit log intact: {result.count} entries{since}; anchored at {result.count}.")


filings_cli = AppGroup("filings", help="Generate filings from the command line.")


@filings_cli.command("render")
@click.argument("case_ref")
@click.argument("kind", type=click.Choice(["stamningsansokan", "betalningsforelaggande", "overlamnande",
                                           "verkstallighet", "kostnadsrakning", "forlikning"]))
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False), help="Output .docx")
def filings_render(case_ref: str, kind: str, output: str) -> None:
    """Render one filing for the case CASE_REF (stored like one made in the web UI)."""
    import shutil

    from sqlalchemy import select

    from app.cases.models import Case
    from app.core import storage
    from app.core.clock import today
    from app.documents.services import CannotGenerate, generate
    from app.extensions import db
    from app.lawvalues.services import ensure_current

    ensure_current()  # values approved in the app
    case = db.session.scalar(select(Case).where(Case.reference == case_ref))
    if case is None:
        raise click.ClickException(f"Inget ärende med referensen {case_ref}.")
    try:
        document, created = generate(case, kind, today())
    except CannotGenerate as exc:
        raise click.ClickException("Handlingen kan inte upprättas:\n  - " + "\n  - ".join(exc.problems))
    db.session.commit()
    shutil.copyfile(storage.path_of(document.stored_name), output)
    click.echo(f"{document.label} for {case_ref} written to {output}" + ("" if created else " (already stored)"))


@filings_cli.command("bulk")
@click.option("--kind", required=True, type=click.Choice(["stamningsansokan", "betalningsforelaggande",
              "overlamnande", "verkstallighet", "kostnadsrakning", "forlikning"]))
@click.option("--creditor", "creditor_org", help="Creditor organisationsnummer (all creditors if omitted)")
@click.option("--status", "status", help="Only cases with this status (e.g. disputed)")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), help="Write the zip here")
def filings_bulk(kind: str, creditor_org: str | None, status: str | None, output: str | None) -> None:
    """Render a filing for many cases in this process, with the same job record as the UI."""
    import shutil

    from sqlalchemy import select

    from app.cases.models import Case
    from app.cases.status import CaseStatus
    from app.core import storage
    from app.core.clock import today
    from app.creditors.models import Creditor
    from app.documents.services import create_bulk_job, run_bulk_job
    from app.extensions import db
    from app.lawvalues.services import ensure_current

    ensure_current()  # values approved in the app
    stmt = select(Case.id).order_by(Case.id)
    if creditor_org:
        creditor = db.session.scalar(select(Creditor).where(Creditor.org_number == creditor_org))
        if creditor is None:
            raise click.ClickException(f"Ingen fordringsägare med organisationsnummer {creditor_org}.")
        stmt = stmt.where(Case.creditor_id == creditor.id)
    if status:
        try:
            stmt = stmt.where(Case.status == CaseStatus(status))
        except ValueError:
            raise click.ClickException(f"Okänd status {status}.") from None
    ids = list(db.session.scalars(stmt))
    job = create_bulk_job(kind, ids, None, today())
    db.session.commit()
    with click.progressbar(length=1, label=f"Rendering {len(ids)} cases") as bar:
        job = run_bulk_job(job.id)
        bar.update(1)
    click.echo(f"Job {job.id}: {job.done} generated, {job.failed} could not be generated.")
    for error in job.errors[:20]:
        click.echo(f"  {error['reference']}: {' '.join(error['problems'])}")
    if output and job.zip_stored_name:
        shutil.copyfile(storage.path_of(job.zip_stored_name), output)
        click.echo(f"Zip written to {output}")


retention_cli = AppGroup("retention", help="Retention (gallring) of closed cases' personal data.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Show what would be done; change nothing.")
@click.option("--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), help="Run as of this day (default: today).")
def retention_run(dry_run: bool, on: datetime | None) -> None:
    """Anonymise closed cases past RETENTION_MONTHS and delete those past the bookkeeping period."""
    from app.core.clock import today
    from app.extensions import db
    from app.retention.services import run_retention

    run = run_retention(on.date() if on else today(), current_app.config["RETENTION_MONTHS"], None, dry_run=dry_run)
    db.session.commit()
    click.echo(retention_summary(run))


def retention_summary(run: RetentionRun) -> str:
    """The run in Swedish, as printed by ``flask retention run``."""
    def did(supine: str, infinitive: str) -> str:
        return f"skulle {infinitive}" if run.dry_run else f"har {supine}"

    head = "Provkörning, inget ändrades" if run.dry_run else "Gallring klar"
    lines = [f"{head}: {run.run_on.isoformat()}, ärenden avslutade senast {run.anonymise_closed_before.isoformat()}.",
             f"  Ärenden som {did('anonymiserats', 'anonymiseras')}: {run.cases_anonymised}",
             f"  Gäldenärer som {did('anonymiserats', 'anonymiseras')}: {run.debtors_anonymised}",
             f"  Filer som {did('raderats', 'raderas')}: {run.files_removed}",
             f"  Ärenden som {did('raderats', 'raderas')} (bokföringstiden har löpt ut): {run.cases_deleted}"]
    labels = ("Att anonymisera", "Att radera") if run.dry_run else ("Anonymiserade", "Raderade")
    for label, key in zip(labels, ("anonymised_cases", "deleted_cases")):
        references = (run.details or {}).get(key) or []
        if references:
            lines.append(f"  {label}: {', '.join(references[:50])}" + (" …" if len(references) > 50 else ""))
    return "\n".join(lines)


@click.command("backup")
@click.argument("target", type=click.Path(file_okay=False))
def backup_command(target: str) -> None:
    """Consistent online backup of the database and the stored files into TARGET."""
    from pathlib import Path

    from app.audit.services import audit_key_id
    from app.core.backup import BackupError, backup
    from app.extensions import db

    try:
        manifest = backup(db.engine, Path(current_app.config["STORAGE_DIR"]), Path(target),
                          audit_key_id=audit_key_id())
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Backup written to {target} (schema {manifest['schema_revision']}).")


@click.command("restore")
@click.argument("source", type=click.Path(file_okay=False, exists=True))
def restore_command(source: str) -> None:
    """Restore a backup into an empty database and storage directory."""
    from pathlib import Path

    from app.audit.services import audit_key_id
    from app.core.backup import BackupError, restore
    from app.extensions import db

    try:
        manifest = restore(db.engine, Path(current_app.config["STORAGE_DIR"]), Path(source),
                           audit_key_id=audit_key_id())
    except BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Restored the backup of {manifest['created_at']} (schema {manifest['schema_revision']}).")


@click.command("seed-demo")
@click.option("--cases", default=200, show_default=True, help="Number of demo cases.")
@click.option("--force", is_flag=True, help="Seed even if the database already holds data.")
def seed_demo(cases: int, force: bool) -> None:
    """Load demo data (creditors, jurists, ~200 cases) if the database is empty."""
    from app.demo.seed import DEMO_PASSWORD, database_is_empty, seed

    if not force and not database_is_empty():
        click.echo("The database already holds data; demo data not loaded (use --force to add anyway).")
        return
    summary = seed(n_cases=cases)
    click.echo(f"Demo data loaded: {summary}. Password for every demo user: {DEMO_PASSWORD}")


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
WORKER_STOP_SECONDS = 20


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the worker gets SIGTERM when `flask serve` dies, however it dies (even SIGKILL)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _start_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "app.worker", "worker", "--loglevel", "INFO",
         "--concurrency", "2", "--hostname", f"tvist-dev@{os.uname().nodename}"],
        env=os.environ.copy(), preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )


def _stop_worker(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.send_signal(signal.SIGTERM)  # warm shutdown: running tasks finish, the pool is ended
    try:
        worker.wait(timeout=WORKER_STOP_SECONDS)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=5)


def _raise_on_stop_signals() -> None:
    """SIGTERM, SIGINT and SIGHUP end the web server by an exception, so that the worker is
    stopped on the way out (Python's default for SIGTERM and SIGHUP would end the process at
    once and leave the worker running)."""
    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    for sig in STOP_SIGNALS:
        signal.signal(sig, stop)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
def serve(host: str, port: int) -> None:
    """Start a Celery worker and the web server together; any signal to this process (SIGTERM,
    SIGINT/Ctrl-C, SIGHUP, even SIGKILL) stops both."""
    from app.celery_app import prepare_broker
    from app.demo.seed import print_logins

    _raise_on_stop_signals()
    prepare_broker(current_app.extensions["celery"])  # tables and queues made once, before any worker
    worker = _start_worker()
    try:
        click.echo(f"\nTvist is running on http://{host}:{port}/  (Celery worker pid {worker.pid})")
        print_logins()
        # app.run() is a no-op inside the flask CLI; serve with Werkzeug directly.
        run_simple(host, port, current_app._get_current_object(), threaded=True, use_reloader=False)
    finally:
        for sig in STOP_SIGNALS:  # a second signal must not interrupt stopping the worker
            signal.signal(sig, signal.SIG_IGN)
        _stop_worker(worker)


def init_app(app: Flask) -> None:
    app.cli.add_command(law_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(filings_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(seed_demo)
    app.cli.add_command(serve)
