"""Command-line commands: `flask --app app <command>`."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from werkzeug.serving import run_simple

law_cli = AppGroup("law", help="The legal tables (app/law/data) and their sources.")


@law_cli.command("tables")
def law_tables() -> None:
    """Print every legal table with its values, sources and status."""
    from app.law.tables import render_tables

    click.echo(render_tables())


audit_cli = AppGroup("audit", help="The tamper-evident audit log.")


@audit_cli.command("verify")
def audit_verify() -> None:
    """Recompute the audit log's hash chain; exit 1 if any entry was altered or removed."""
    from app.audit.services import verify_chain
    from app.extensions import db

    problems = verify_chain(db.session)
    if problems:
        for line in problems:
            click.echo(line, err=True)
        raise SystemExit(1)
    click.echo("Audit log intact.")


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


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
def serve(host: str, port: int) -> None:
    """Start a Celery worker and the web server together; Ctrl-C stops both."""
    from app.demo.seed import print_logins

    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "app.worker", "worker", "--loglevel", "INFO",
         "--concurrency", "2", "--hostname", f"tvist-dev@{os.uname().nodename}"],
        env=os.environ.copy(),
    )
    click.echo(f"\nTvist is running on http://{host}:{port}/  (Celery worker pid {worker.pid})")
    print_logins()
    try:
        # app.run() is a no-op inside the flask CLI; serve with Werkzeug directly.
        run_simple(host, port, current_app._get_current_object(), threaded=True, use_reloader=False)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def init_app(app: Flask) -> None:
    app.cli.add_command(law_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(seed_demo)
    app.cli.add_command(serve)
