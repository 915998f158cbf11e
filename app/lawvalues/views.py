"""Admin pages for legal values added in the app (the list itself is on Rättsregler)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.core.access import admin_required
from app.core.clock import today
from app.extensions import db
from app.lawvalues import services
from app.lawvalues.forms import ProposalForm

bp = Blueprint("lawvalues", __name__, url_prefix="/admin/rattsregler")


@bp.before_app_request
def _law_values_current() -> None:
    """An approval made in another process reaches this one here (one primary-key read)."""
    if request.endpoint != "static":
        services.ensure_current()


@bp.app_template_global()
def law_value_warnings():
    """The values missing now or in the coming period, for the admin start page."""
    return services.upcoming_missing(today(), current_app.config["LAW_VALUES_WARNING_DAYS"])


@bp.route("/nytt-varde", methods=["GET", "POST"])
@admin_required
def propose():
    form = ProposalForm()
    choices = services.series_choices()
    form.series_code.choices = [(c.code, f"{c.table_title} – {c.title} (senast från {c.last_valid_from})")
                                for c in choices]
    if request.method == "GET" and request.args.get("serie"):
        form.series_code.data = request.args["serie"]
        if request.args.get("fran"):
            form.valid_from.raw_data = [request.args["fran"]]
    if form.validate_on_submit():
        try:
            value = services.parse_value(form.value.data)
            row = services.propose(current_user, series_code=form.series_code.data, valid_from=form.valid_from.data,
                                   value=value, source=form.source.data, source_url=form.source_url.data or "",
                                   verification=form.verification.data, note=form.note.data or "")
        except services.LawValueRefused as exc:
            db.session.rollback()
            form.value.errors = list(form.value.errors) + exc.problems
        else:
            db.session.commit()
            flash(f"{services.series_title(row)} från {row.valid_from}: {services.format_row_value(row)} är "
                  "föreslaget. Värdet gäller först när en annan administratör har godkänt det.", "success")
            return redirect(url_for("auth.law_tables"))
    return render_template("lawvalues/propose.html", form=form)


def _value_or_404(value_id: int):
    row = services.get(value_id)
    if row is None:
        abort(404)
    return row


def _decide(value_id: int, action, done: str):
    """Approve or withdraw a value: the service decides, the page says what happened."""
    row = _value_or_404(value_id)
    try:
        action(row, current_user)
    except services.LawValueRefused as exc:
        db.session.rollback()
        flash(" ".join(exc.problems), "error")
    else:
        db.session.commit()
        services.ensure_current()
        flash(f"{services.series_title(row)} från {row.valid_from} {done}.", "success")
    return redirect(url_for("auth.law_tables"))


@bp.route("/varden/<int:value_id>/godkann", methods=["POST"])
@admin_required
def approve(value_id: int):
    return _decide(value_id, services.approve, "är godkänt och gäller nu")


@bp.route("/varden/<int:value_id>/aterkalla", methods=["POST"])
@admin_required
def withdraw(value_id: int):
    return _decide(value_id, services.withdraw, "är återkallat")
