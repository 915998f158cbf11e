from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.audit.services import record_view
from app.cases.models import Case
from app.cases.services import contains_text
from app.core import searching
from app.core.access import staff_required
from app.core.editing import assign, is_stale, stale_conflict
from app.core.listing import paginate
from app.debtors.forms import DebtorForm
from app.debtors.models import Debtor
from app.extensions import db

bp = Blueprint("debtors", __name__, url_prefix="/galdenarer")


def _identity_taken(identity_number: str, own_id: int | None) -> bool:
    other = db.session.scalar(select(Debtor).where(Debtor.identity_number == identity_number))
    return other is not None and other.id != own_id


def _assign_debtor(debtor: Debtor, form: DebtorForm) -> None:
    assign(debtor, form, DebtorForm.FIELDS)
    debtor.is_company = form.kind.data == "company"


@bp.route("/", methods=["GET", "POST"])
@staff_required
def list_debtors():
    target = searching.search_redirect()
    if target:
        return redirect(target)
    q = searching.current_term()
    stmt = select(Debtor).order_by(Debtor.name, Debtor.id)
    if q:
        stmt = stmt.where(or_(contains_text(Debtor.name, q), Debtor.identity_number.like(f"%{q.replace('%', '')}%")))
    page = paginate(stmt, current_app.config["CASES_PER_PAGE"])
    return render_template("debtors/list.html", page=page, q=q)


@bp.route("/<int:debtor_id>")
@staff_required
def show_debtor(debtor_id: int):
    debtor = db.session.get(Debtor, debtor_id) or abort(404)
    cases = db.session.scalars(select(Case).where(Case.debtor_id == debtor.id).options(joinedload(Case.creditor))
                               .order_by(Case.reference)).all()
    record_view(db.session, debtor)
    db.session.commit()
    return render_template("debtors/detail.html", debtor=debtor, cases=cases)


@bp.route("/ny", methods=["GET", "POST"])
@staff_required
def new_debtor():
    form = DebtorForm()
    if form.validate_on_submit():
        if _identity_taken(form.identity_number.data, None):
            form.identity_number.errors.append("Gäldenären finns redan registrerad.")
        else:
            debtor = Debtor()
            _assign_debtor(debtor, form)
            db.session.add(debtor)
            db.session.commit()
            flash(f"Gäldenären {debtor.name} är registrerad.", "success")
            return redirect(url_for("debtors.show_debtor", debtor_id=debtor.id))
    return render_template("debtors/form.html", form=form, debtor=None)


@bp.route("/<int:debtor_id>/andra", methods=["GET", "POST"])
@staff_required
def edit_debtor(debtor_id: int):
    debtor = db.session.get(Debtor, debtor_id) or abort(404)
    form = DebtorForm(obj=debtor if request.method == "GET" else None)
    if request.method == "GET":
        form.kind.data = "company" if debtor.is_company else "person"
    if form.validate_on_submit():
        if is_stale(form.version.data, debtor):
            stale_conflict(debtor, form)
        elif _identity_taken(form.identity_number.data, debtor.id):
            form.identity_number.errors.append("En annan gäldenär har redan det numret.")
        else:
            _assign_debtor(debtor, form)
            db.session.commit()
            flash(f"Gäldenären {debtor.name} är sparad.", "success")
            return redirect(url_for("debtors.show_debtor", debtor_id=debtor.id))
    return render_template("debtors/form.html", form=form, debtor=debtor)
