from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.audit.services import record_view
from app.auth.services import jurists
from app.cases import services
from app.cases.forms import CaseForm, ClaimLineForm, ObjectionForm
from app.cases.models import Case, ClaimLine, Objection, ObjectionCategory, ObjectionChannel, TimelineEvent
from app.cases.status import CaseStatus
from app.core import searching
from app.core.access import get_case_or_404, staff_required
from app.core.editing import assign, is_stale, stale_conflict
from app.core.listing import bounded_int, paginate, parse_sort
from app.creditors.models import Creditor
from app.db import utcnow
from app.debtors.models import Debtor
from app.extensions import db

bp = Blueprint("cases", __name__, url_prefix="/arenden")


@bp.app_context_processor
def _helpers():
    return {"CaseStatus": CaseStatus, "creditor_visible": services.creditor_visible}


def _creditor_choices() -> list[tuple[int, str]]:
    return [(c.id, c.name) for c in db.session.scalars(select(Creditor).order_by(Creditor.name))]


def _jurist_choices() -> list[tuple[int, str]]:
    return [(0, "— ingen —")] + [(u.id, u.name) for u in jurists()]


@bp.route("/", methods=["GET", "POST"])
@login_required
def list_cases():
    target = searching.search_redirect()
    if target:
        return redirect(target)
    filters = services.CaseFilters(
        q=searching.current_term(),
        status=request.args.get("status", ""),
        creditor_id=request.args.get("fordringsagare", type=bounded_int) if current_user.is_staff else None,
        jurist_id=request.args.get("jurist", type=bounded_int) if current_user.is_staff else None,
    )
    sort = parse_sort(request.args.get("sortera"), services.CASE_SORTS, services.DEFAULT_CASE_SORT)
    page = paginate(services.case_list_query(current_user, filters, sort), current_app.config["CASES_PER_PAGE"])
    return render_template(
        "cases/list.html", page=page, filters=filters, sort=sort,
        creditors=_creditor_choices() if current_user.is_staff else [],
        jurists=_jurist_choices()[1:] if current_user.is_staff else [],
        statuses=CaseStatus.choices(),
    )


@bp.route("/<int:case_id>")
@login_required
def show_case(case_id: int):
    case = get_case_or_404(case_id, options=(selectinload(Case.timeline).joinedload(TimelineEvent.actor),))
    from app.core.clock import today
    from app.hearings.services import ledger

    record_view(db.session, case.debtor, case_id=case.id)  # the page shows the debtor's personal data
    db.session.commit()
    return render_template("cases/detail.html", case=case, ledger=ledger(case, today()) if case.claim_lines else None)


@bp.route("/nytt", methods=["GET", "POST"])
@staff_required
def new_case():
    form = CaseForm()
    form.creditor_id.choices = _creditor_choices()
    form.assigned_jurist_id.choices = _jurist_choices()
    if request.method == "GET":
        # The debtor comes by id: a personnummer never travels in a URL.
        debtor_id = request.args.get("galdenar", type=bounded_int)
        prefill = db.session.get(Debtor, debtor_id) if debtor_id else None
        form.debtor_identity.data = prefill.identity_number if prefill else ""
        form.creditor_id.data = request.args.get("fordringsagare", type=bounded_int)
        form.assigned_jurist_id.data = current_user.id if current_user.role.value == "jurist" else 0
    if form.validate_on_submit():
        debtor = services.find_debtor(form.debtor_identity.data)
        creditor = db.session.get(Creditor, form.creditor_id.data)
        if debtor is None:
            form.debtor_identity.errors.append(
                "Ingen gäldenär med det numret är registrerad. Registrera gäldenären först.")
        elif creditor is None:
            form.creditor_id.errors.append("Välj en fordringsägare i listan.")
        else:
            case = services.create_case(
                creditor=creditor, debtor=debtor, actor=current_user,
                **{k: v for k, v in form.values(CaseForm.FIELDS).items() if k != "creditor_id"},
                assigned_jurist_id=form.assigned_jurist_id.data or None,
            )
            db.session.commit()
            flash(f"Ärende {case.reference} är registrerat. Lägg till fordringarna.", "success")
            return redirect(url_for("cases.new_claim_line", case_id=case.id))
    return render_template("cases/form.html", form=form, case=None)


@bp.route("/<int:case_id>/andra", methods=["GET", "POST"])
@staff_required
def edit_case(case_id: int):
    case = get_case_or_404(case_id)
    form = CaseForm(obj=case if request.method == "GET" else None)
    form.creditor_id.choices = _creditor_choices()
    form.assigned_jurist_id.choices = _jurist_choices()
    if request.method == "GET":
        form.debtor_identity.data = case.debtor.identity_number
        form.assigned_jurist_id.data = case.assigned_jurist_id or 0
    if form.validate_on_submit():
        debtor = services.find_debtor(form.debtor_identity.data)
        if is_stale(form.version.data, case):
            stale_conflict(case, form)
        elif debtor is None:
            form.debtor_identity.errors.append("Ingen gäldenär med det numret är registrerad.")
        else:
            assign(case, form, CaseForm.FIELDS)
            case.debtor = debtor
            case.assigned_jurist_id = form.assigned_jurist_id.data or None
            services.facts_changed(case)  # the fee and interest basis feed triage, deadlines and filings
            services.record_event(case, "edited", "Ärendets uppgifter ändrades.", current_user)
            if _commit_or_conflict(case, form):
                flash(f"Ärende {case.reference} är sparat.", "success")
                return redirect(url_for("cases.show_case", case_id=case.id))
    return render_template("cases/form.html", form=form, case=case)


def _commit_or_conflict(record, form) -> bool:
    """Commit; if someone saved the same record between our check and our write, the
    versioned UPDATE matches no row: roll back and report the conflict instead."""
    try:
        db.session.commit()
        return True
    except StaleDataError:
        db.session.rollback()
        db.session.refresh(record)
        stale_conflict(record, form)
        return False


# --- Claim lines ------------------------------------------------------------------------

def _line_or_404(case, line_id: int) -> ClaimLine:
    line = db.session.get(ClaimLine, line_id)
    if line is None or line.case_id != case.id:
        abort(404)
    return line


@bp.route("/<int:case_id>/fordringar/ny", methods=["GET", "POST"])
@staff_required
def new_claim_line(case_id: int):
    case = get_case_or_404(case_id)
    form = ClaimLineForm()
    if form.validate_on_submit():
        services.add_claim_line(case, current_user, **form.values(ClaimLineForm.FIELDS))
        db.session.commit()
        flash("Fordringen är tillagd.", "success")
        if request.form.get("next") == "another":
            return redirect(url_for("cases.new_claim_line", case_id=case.id))
        return redirect(url_for("cases.show_case", case_id=case.id))
    return render_template("cases/claim_line_form.html", form=form, case=case, line=None)


@bp.route("/<int:case_id>/fordringar/<int:line_id>", methods=["GET", "POST"])
@staff_required
def edit_claim_line(case_id: int, line_id: int):
    case = get_case_or_404(case_id)
    line = _line_or_404(case, line_id)
    form = ClaimLineForm(obj=line if request.method == "GET" else None)
    if form.validate_on_submit():
        if is_stale(form.version.data, line):
            stale_conflict(line, form)
        else:
            services.update_claim_line(line, current_user, **form.values(ClaimLineForm.FIELDS))
            if _commit_or_conflict(line, form):
                flash("Fordringen är sparad.", "success")
                return redirect(url_for("cases.show_case", case_id=case.id))
    return render_template("cases/claim_line_form.html", form=form, case=case, line=line)


@bp.route("/<int:case_id>/fordringar/<int:line_id>/ta-bort", methods=["POST"])
@staff_required
def delete_claim_line(case_id: int, line_id: int):
    case = get_case_or_404(case_id)
    line = _line_or_404(case, line_id)
    services.remove_claim_line(line, current_user)
    db.session.commit()
    flash(f"Faktura {line.invoice_number} är borttagen.", "success")
    return redirect(url_for("cases.show_case", case_id=case.id))


# --- Objections -------------------------------------------------------------------------

@bp.route("/<int:case_id>/bestridanden/nytt", methods=["GET", "POST"])
@staff_required
def new_objection(case_id: int):
    case = get_case_or_404(case_id)
    form = ObjectionForm()
    if request.method == "GET":
        form.received_on.data = utcnow().date()
    if form.validate_on_submit():
        services.register_objection(case, current_user, received_on=form.received_on.data,
                                    channel=ObjectionChannel(form.channel.data),
                                    category=ObjectionCategory(form.category.data), text=form.text.data,
                                    setoff_amount=form.setoff_amount.data, response=form.response.data or "")
        db.session.commit()
        flash("Bestridandet är registrerat.", "success")
        return redirect(url_for("cases.show_case", case_id=case.id))
    return render_template("cases/objection_form.html", form=form, case=case, objection=None)


@bp.route("/<int:case_id>/bestridanden/<int:objection_id>", methods=["GET", "POST"])
@staff_required
def edit_objection(case_id: int, objection_id: int):
    case = get_case_or_404(case_id)
    objection = db.session.get(Objection, objection_id)
    if objection is None or objection.case_id != case.id:
        abort(404)
    form = ObjectionForm(obj=objection if request.method == "GET" else None)
    if request.method == "GET":
        form.channel.data = objection.channel.value
        form.category.data = objection.category.value
    if form.validate_on_submit():
        if is_stale(form.version.data, objection):
            stale_conflict(objection, form)
        else:
            assign(objection, form, ObjectionForm.FIELDS)
            objection.channel = ObjectionChannel(form.channel.data)
            objection.category = ObjectionCategory(form.category.data)
            services.facts_changed(case)  # a set-off amount changes the claim value
            services.record_event(case, "objection", "Bestridandet ändrades.", current_user)
            if _commit_or_conflict(objection, form):
                flash("Bestridandet är sparat.", "success")
                return redirect(url_for("cases.show_case", case_id=case.id))
    return render_template("cases/objection_form.html", form=form, case=case, objection=objection)
