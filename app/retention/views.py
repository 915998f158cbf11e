"""Admin page: the log of retention runs (gallring), newest first."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template
from sqlalchemy import select

from app.core.access import admin_required
from app.extensions import db
from app.retention.models import RetentionRun

bp = Blueprint("retention", __name__, url_prefix="/admin/gallring")

RUNS_SHOWN = 200


@bp.route("/")
@admin_required
def runs():
    rows = db.session.scalars(select(RetentionRun).order_by(RetentionRun.ran_at.desc(), RetentionRun.id.desc())
                              .limit(RUNS_SHOWN)).all()
    return render_template("retention/runs.html", runs=rows, months=current_app.config["RETENTION_MONTHS"],
                           shown=RUNS_SHOWN)
