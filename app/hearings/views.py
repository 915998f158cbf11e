from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.cases.models import Case
from app.cases.status import OPEN_STATUSES
from app.core.access import get_case_or_404, staff_required
from app.core.clock import today
from app.core.editing import is_stale, stale_conflict
from app.core.listing import bounded_int
from app.course.machine import TRANSITIONS_BY_NAME, IllegalTransition, allowed_transitions
from app.db import utcnow
from app.enforcement.models import PaymentSource
from app.extensions import db
from app.hearings import services
from app.hearings.forms import PaymentForm, step_form_class
from app.hearings.models import CaseDeadline, Hearing, Notification

bp = Blueprint("course", __name__)


@bp.app_context_processor
def _course_helpers():
    return {"offered_steps": services.offered_steps}


@bp.route("/arenden/<int:case_id>/steg/<name>", methods=["GET", "POST"])
@staff_required
def step(case_id: int, name: str):
    case = get_case_or_404(case_id)
    transition = TRANSITIONS_BY_NAME.get(name) or abort(404)
    form = step_form_class(transition)()
    if request.method == "GET":
        form.version.data = case.version
        for fact in transition.requires:  # optional facts (a nöjdförklaring) are never pre-filled
            if fact.endswith("_on") or fact == "decision_date":
                getattr(form, fact).data = today()
    allowed = transition in allowed_transitions(case.status)
    if request.method == "POST" and not allowed:  # refused whatever was typed; the input is kept
        if is_stale(form.version.data, case):  # the case moved on since the form was opened
            stale_conflict(case, form)
            return render_template("hearings/step_form.html", form=form, case=case, transition=transition), 409
        flash(str(IllegalTransition(case.status, name, allowed_transitions(case.status))), "error")
        return render_template("hearings/step_form.html", form=form, case=case, transition=transition), 422
    if form.validate_on_submit():
        if is_stale(form.version.data, case):
            stale_conflict(case, form)
            return render_template("hearings/step_form.html", form=form, case=case, transition=transition), 409
        facts = {fact: getattr(form, fact).data for fact in form.fact_names}
        try:
            services.take_step(case, name, facts, current_user)
        except services.StepRefused as exc:
            db.session.rollback()
            for problem in exc.problems:
                flash(problem, "error")
            case = get_case_or_404(case_id)
            return render_template("hearings/step_form.html", form=form, case=case, transition=transition), 422
        db.session.commit()
        flash(f"{transition.label}: registrerat. Ny status: {case.status.label}.", "success")
        return redirect(url_for("cases.show_case", case_id=case.id) + "#forlopp")
    if not allowed:
        flash(f"Ärendet har status '{case.status.label}'; '{transition.label}' är inte tillåtet nu.", "error")
        return redirect(url_for("cases.show_case", case_id=case.id))
    return render_template("hearings/step_form.html", form=form, case=case, transition=transition)


@bp.route("/arenden/<int:case_id>/betalningar/ny", methods=["GET", "POST"])
@staff_required
def new_payment(case_id: int):
    case = get_case_or_404(case_id)
    form = PaymentForm()
    if request.method == "GET":
        form.paid_on.data = today()
    if form.validate_on_submit():
        services.record_payment(case, current_user, paid_on=form.paid_on.data, amount=form.amount.data,
                                source=PaymentSource(form.source.data), note=form.note.data or "")
        db.session.commit()
        flash("Betalningen är registrerad.", "success")
        return redirect(url_for("cases.show_case", case_id=case.id) + "#reskontra")
    return render_template("hearings/payment_form.html", form=form, case=case)


@bp.route("/frister/")
@staff_required
def deadlines():
    days = min(max(request.args.get("dagar", 30, type=bounded_int), 1), 365)
    mine = request.args.get("alla") != "1"
    horizon = today() + timedelta(days=days)
    stmt = (select(CaseDeadline).join(CaseDeadline.case)
            .where(Case.status.in_(OPEN_STATUSES), CaseDeadline.state == "open", CaseDeadline.due_on <= horizon)
            .options(selectinload(CaseDeadline.case)).order_by(CaseDeadline.due_on, CaseDeadline.id))
    if mine:
        stmt = stmt.where(Case.assigned_jurist_id == current_user.id)
    rows = db.session.scalars(stmt.limit(500)).all()
    return render_template("hearings/deadlines.html", rows=rows, days=days, mine=mine, today=today())


@bp.route("/forhandlingar/")
@staff_required
def agenda():
    stmt = (select(Hearing).where(Hearing.starts_at >= utcnow() - timedelta(days=1))
            .options(selectinload(Hearing.case)).order_by(Hearing.starts_at))
    if request.args.get("alla") != "1":
        stmt = stmt.where(Hearing.lawyer_id == current_user.id)
    return render_template("hearings/agenda.html", hearings=db.session.scalars(stmt.limit(200)).all(),
                           mine=request.args.get("alla") != "1")


@bp.route("/notiser/", methods=["GET", "POST"])
@staff_required
def notifications():
    if request.method == "POST":
        for note in db.session.scalars(select(Notification).where(Notification.user_id == current_user.id,
                                                                  Notification.read_at.is_(None))):
            note.read_at = utcnow()
        db.session.commit()
        return redirect(url_for("course.notifications"))
    notes = db.session.scalars(select(Notification).where(Notification.user_id == current_user.id)
                               .options(selectinload(Notification.case))
                               .order_by(Notification.created_at.desc()).limit(200)).all()
    return render_template("hearings/notifications.html", notes=notes)


@bp.route("/kalender/", methods=["GET", "POST"])
@staff_required
def calendar_settings():
    token = None
    if request.method == "POST":
        if request.form.get("action") == "revoke":
            current_user.calendar_token_hash = None
            flash("Kalenderlänken är återkallad. Prenumerationer med den gamla länken slutar fungera.", "success")
        else:
            token = services.new_calendar_token(current_user)
            flash("En ny kalenderlänk är skapad. Kopiera den nu – den visas bara en gång.", "success")
        db.session.commit()
    feed_url = url_for("course.calendar_feed", token=token, _external=True) if token else None
    return render_template("hearings/calendar.html", feed_url=feed_url,
                           has_token=current_user.calendar_token_hash is not None)


@bp.route("/kalender/<token>.ics")
def calendar_feed(token: str):
    """The personal feed: authenticated by the revocable token alone (calendar apps have no login)."""
    user = services.user_for_calendar_token(token)
    if user is None:
        abort(404)
    body = services.calendar_for(user, lambda case: url_for("cases.show_case", case_id=case.id, _external=True))
    return Response(body, mimetype="text/calendar", headers={"Cache-Control": "no-store"})
