"""The creditor portal's pages. Creditor users only (staff have the full case pages); every
lookup is scoped to the user's creditor, and another creditor's case answers 404."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from app.audit.services import record_view
from app.auth.models import Role
from app.cases import services as case_services
from app.cases.status import CaseStatus
from app.core import searching
from app.core.access import get_case_or_404, roles_required
from app.core.clock import today
from app.core.listing import paginate, parse_sort
from app.extensions import db
from app.hearings.services import ledger
from app.portal import charts, reports, services
from app.portal.forms import DecisionForm

bp = Blueprint("portal", __name__, url_prefix="/portal")
creditor_required = roles_required(Role.CREDITOR)

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@bp.route("/")
@creditor_required
def overview():
    data = services.overview(current_user)
    db.session.commit()  # a recomputed overview is stored for the next view
    status_chart = charts.horizontal_bars([
        (charts.short_label(status.label), n, f"{n} st", charts.PHASE_COLOURS[charts.STATUS_PHASE[status]])
        for status, n, _ in data.by_status])
    outcome_chart = charts.horizontal_bars([(kind.label, n, f"{n} st", "#14426b") for kind, n in data.outcomes])
    judgment_chart = charts.columns([(label, n, str(n)) for label, n in data.judgment_buckets])
    recovery = charts.share(data.recovered, data.total_capital)
    phases = [(charts.PHASE_LABELS[p], colour) for p, colour in charts.PHASE_COLOURS.items()]
    return render_template("portal/overview.html", data=data, status_chart=status_chart,
                           outcome_chart=outcome_chart, judgment_chart=judgment_chart, recovery=recovery,
                           phases=phases)


def _filters() -> case_services.CaseFilters:
    return case_services.CaseFilters(q=searching.current_term(), status=request.args.get("status", ""))


def _sort():
    return parse_sort(request.args.get("sortera"), case_services.CASE_SORTS, case_services.DEFAULT_CASE_SORT)


@bp.route("/arenden/", methods=["GET", "POST"])
@creditor_required
def list_cases():
    target = searching.search_redirect()
    if target:
        return redirect(target)
    filters, sort = _filters(), _sort()
    page = paginate(case_services.case_list_query(current_user, filters, sort), current_app.config["CASES_PER_PAGE"])
    paid = services.recovered_by_case([c.id for c in page.items])
    export_args = searching.carried_args("status", "sortera")
    return render_template("portal/list.html", page=page, filters=filters, sort=sort, paid=paid,
                           statuses=CaseStatus.choices(), export_args=export_args)


@bp.route("/arenden/<int:case_id>")
@creditor_required
def show_case(case_id: int):
    case = get_case_or_404(case_id)
    form = DecisionForm(version=case.version)
    record_view(db.session, case.debtor, case_id=case.id)  # the page shows the debtor's personal data
    db.session.commit()
    return render_template(
        "portal/case.html", case=case, explained=services.STATUS_EXPLAINED[case.status],
        upcoming=services.upcoming(case), recommendation=services.recommendation(case),
        decision=services.current_decision(case), form=form,
        recovered=sum((p.amount for p in case.payments), services.ZERO),
        ledger=ledger(case, today()) if case.claim_lines else None)


@bp.route("/arenden/<int:case_id>/beslut", methods=["POST"])
@creditor_required
def decide(case_id: int):
    case = get_case_or_404(case_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error if isinstance(error, str) else "Formuläret kunde inte skickas. Försök igen.", "error")
        return redirect(url_for("portal.show_case", case_id=case.id))
    if form.version.data != case.version:
        flash("Ärendet har ändrats sedan ni öppnade sidan. Ert beslut är inte registrerat; "
              "läs igenom det aktuella förslaget och besluta igen.", "error")
        return redirect(url_for("portal.show_case", case_id=case.id))
    approved = form.decision.data == "approve"
    try:
        services.decide(case, current_user, approved=approved, comment=form.comment.data or "")
    except services.DecisionRefused as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("portal.show_case", case_id=case.id))
    db.session.commit()
    if approved:
        flash("Tack. Ni har godkänt att ärendet drivs i domstol; juristen är underrättad.", "success")
    else:
        flash("Ni har avböjt rättslig åtgärd. Ärendet går tillbaka till utredning; juristen är underrättad.",
              "success")
    return redirect(url_for("portal.show_case", case_id=case.id))


@bp.route("/rapporter/")
@creditor_required
def reports_page():
    month = services.parse_month(request.args.get("manad"))
    report = reports.month_report(current_user, month)
    return render_template("portal/reports.html", report=report, month=month, this_month=today().replace(day=1))


@bp.route("/rapporter/arenden.<fmt>")
@creditor_required
def export_cases(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    table = reports.case_table(case_services.case_list_query(current_user, _filters(), _sort()))
    return _download(table, fmt, f"arenden-{today().isoformat()}")


@bp.route("/rapporter/manad.<fmt>")
@creditor_required
def monthly_report(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    month = services.parse_month(request.args.get("manad"))
    table = reports.month_report(current_user, month).table()
    return _download(table, fmt, f"manadsrapport-{month:%Y-%m}")


def _download(table: reports.Table, fmt: str, name: str) -> Response:
    body = reports.to_csv(table) if fmt == "csv" else reports.to_xlsx(table)
    return Response(body, mimetype=FORMATS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})
