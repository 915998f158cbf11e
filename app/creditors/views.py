from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from app.cases.models import Case
from app.core.access import staff_required
from app.core.editing import assign, is_stale, stale_conflict
from app.creditors.forms import creditor_form
from app.creditors.models import Creditor
from app.extensions import db

bp = Blueprint("creditors", __name__, url_prefix="/fordringsagare")


def _org_number_taken(org_number: str, own_id: int | None) -> bool:
    other = db.session.scalar(select(Creditor).where(Creditor.org_number == org_number))
    return other is not None and other.id != own_id


@bp.route("/")
@staff_required
def list_creditors():
    counts = (select(Case.creditor_id, func.count(Case.id).label("n"), func.sum(Case.total_capital).label("capital"))
              .group_by(Case.creditor_id).subquery())
    rows = db.session.execute(
        select(Creditor, counts.c.n, counts.c.capital)
        .outerjoin(counts, counts.c.creditor_id == Creditor.id).order_by(Creditor.name)
    ).all()
    return render_template("creditors/list.html", rows=rows)


@bp.route("/ny", methods=["GET", "POST"])
@staff_required
def new_creditor():
    form, names = creditor_form()
    if form.validate_on_submit():
        if _org_number_taken(form.org_number.data, None):
            form.org_number.errors.append("Det finns redan en fordringsägare med det organisationsnumret.")
        else:
            creditor = Creditor()
            assign(creditor, form, names)
            db.session.add(creditor)
            db.session.commit()
            flash(f"Fordringsägaren {creditor.name} är registrerad.", "success")
            return redirect(url_for("creditors.list_creditors"))
    return render_template("creditors/form.html", form=form, creditor=None)


@bp.route("/<int:creditor_id>/andra", methods=["GET", "POST"])
@staff_required
def edit_creditor(creditor_id: int):
    creditor = db.session.get(Creditor, creditor_id) or abort(404)
    form, names = creditor_form(obj=creditor if request.method == "GET" else None)
    if form.validate_on_submit():
        if is_stale(form.version.data, creditor):
            stale_conflict(creditor, form)
        elif _org_number_taken(form.org_number.data, creditor.id):
            form.org_number.errors.append("Det finns redan en fordringsägare med det organisationsnumret.")
        else:
            assign(creditor, form, names)
            db.session.commit()
            flash(f"Fordringsägaren {creditor.name} är sparad.", "success")
            return redirect(url_for("creditors.list_creditors"))
    return render_template("creditors/form.html", form=form, creditor=creditor)
