from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.audit.services import record_view
from app.auth.services import jurists
from app.cases.models import Case, Objection, ObjectionCategory
from app.cases.services import record_event
from app.cases.status import AWAITING_TRIAGE
from app.core import storage
from app.core.access import get_case_or_404, staff_required
from app.core.clock import today
from app.core.editing import assign, valid_and_current
from app.core.listing import bounded_int, paginate_parts
from app.core.uploads import UploadLimits, UploadRejected, check_upload
from app.creditors.models import Creditor
from app.debtors.models import Debtor
from app.extensions import db
from app.law.errors import LawDataMissing
from app.triage import services
from app.triage.forms import (
    AbilityForm,
    AssignForm,
    DecisionForm,
    EvidenceForm,
    GroupDecisionForm,
    IssueGroupForm,
    PrincipleForm,
    StepForm,
)
from app.triage.kinds import AbilitySource, EvidenceKind, OptionKind
from app.triage.models import Evidence, IssueGroup, StepKind

bp = Blueprint("triage", __name__, url_prefix="/triage")


# --- Queue -----------------------------------------------------------------------------

def queue_query(creditor_id: int | None, jurist_id: int | None, category: str, track: str) -> list[Select]:
    """The ids of the queue's cases, in queue order: most urgent legal date first (no date last),
    then the largest expected net recovery; as two statements to paginate one after the other."""
    # The statuses as literals, not parameters: the queue reads the partial index
    # ix_cases_triage_order over exactly these statuses, and SQLite uses a partial index only when
    # the query's condition is the index's own.
    awaiting = bindparam("awaiting", sorted(s.value for s in AWAITING_TRIAGE), expanding=True, literal_execute=True)
    stmt = select(Case.id).where(Case.status.in_(awaiting))
    if creditor_id:
        stmt = stmt.where(Case.creditor_id == creditor_id)
    if jurist_id:
        stmt = stmt.where(Case.assigned_jurist_id == jurist_id)
    if category in {c.value for c in ObjectionCategory}:
        stmt = stmt.where(Case.objections.any(Objection.category == ObjectionCategory(category)))
    if track in ("simplified", "ordinary"):
        stmt = stmt.where(Case.triage_track == track)
    # Two parts, each an index walk: the cases with a legal date, soonest first; then those
    # without one. (One ORDER BY with the undated last cannot use an index on SQLite.)
    return [stmt.where(Case.triage_urgent_on.is_not(None))
            .order_by(Case.triage_urgent_on.asc(), Case.triage_expected_net.desc(), Case.id),
            stmt.where(Case.triage_urgent_on.is_(None)).order_by(Case.triage_expected_net.desc(), Case.id)]


def _load_in_order(ids: list[int]) -> list[Case]:
    """The page's cases with what the queue shows, in the order of ``ids`` (one query)."""
    cases = db.session.scalars(select(Case).where(Case.id.in_(ids)).options(
        joinedload(Case.debtor, innerjoin=True), joinedload(Case.creditor, innerjoin=True),
        joinedload(Case.assigned_jurist))).unique().all()
    by_id = {case.id: case for case in cases}
    return [by_id[i] for i in ids if i in by_id]


@bp.route("/")
@staff_required
def queue():
    creditor_id = request.args.get("fordringsagare", type=bounded_int)
    jurist_id = request.args.get("jurist", type=bounded_int)
    category = request.args.get("grund", "")
    track = request.args.get("spar", "")
    # The page is chosen on ids (an index-only read), then only its rows are loaded.
    page = paginate_parts(queue_query(creditor_id, jurist_id, category, track), current_app.config["CASES_PER_PAGE"])
    page.items = _load_in_order(page.items)
    creditors = [(c.id, c.name) for c in db.session.scalars(select(Creditor).order_by(Creditor.name))]
    return render_template("triage/queue.html", page=page, creditors=creditors,
                           jurists=[(u.id, u.name) for u in jurists()], categories=ObjectionCategory.choices(),
                           filters={"creditor_id": creditor_id, "jurist_id": jurist_id, "category": category,
                                    "track": track}, today=today(), OptionKind=OptionKind)


@bp.route("/tilldela", methods=["POST"])
@staff_required
def assign_cases():
    form = AssignForm()
    form.jurist_id.choices = [(u.id, u.name) for u in jurists()]
    posted = [int(v) for v in request.form.getlist("case_ids") if v.isascii() and v.isdigit() and len(v) <= 9]
    form.case_ids.choices = [(i, str(i)) for i in posted]
    if not posted:
        flash("Markera minst ett ärende att tilldela.", "error")
    elif form.validate_on_submit():
        jurist = next(u for u in jurists() if u.id == form.jurist_id.data)
        cases = db.session.scalars(select(Case).where(Case.id.in_(posted), Case.status.in_(AWAITING_TRIAGE))).all()
        for case in cases:
            case.assigned_jurist_id = jurist.id
            record_event(case, "assigned", f"Ärendet tilldelades {jurist.name}.", current_user)
        db.session.commit()
        flash(f"{len(cases)} ärenden tilldelades {jurist.name}.", "success")
    else:
        flash("Välj en jurist att tilldela ärendena.", "error")
    return redirect(request.form.get("tillbaka") if (request.form.get("tillbaka") or "").startswith("/triage")
                    else url_for("triage.queue"))


# --- One case --------------------------------------------------------------------------

@bp.route("/arende/<int:case_id>", methods=["GET", "POST"])
@staff_required
def triage_case(case_id: int):
    case = get_case_or_404(case_id)
    if request.method == "GET":
        record_view(db.session, case.debtor, case_id=case.id)
        db.session.commit()
    if not case.claim_lines:  # nothing to weigh yet: scoring needs the claim
        flash("Registrera fordringarna innan ärendet triageras.", "info")
        return redirect(url_for("cases.show_case", case_id=case.id))
    try:
        result = services.evaluate(case)
    except LawDataMissing as exc:
        flash(f"Triage kan inte beräknas: {exc.user_message}", "error")
        return redirect(url_for("cases.show_case", case_id=case.id))
    form = DecisionForm()
    form.chosen.choices = [(o.kind.value, o.kind.label) for o in result.options if o.available]
    if request.method == "GET":
        form.chosen.data = result.recommended.value
        form.recommended.data = result.recommended.value
        form.version.data = case.version
    if valid_and_current(form, case):
        try:
            services.decide(case, current_user, chosen=OptionKind(form.chosen.data), reason=form.reason.data or "")
        except ValueError as exc:  # e.g. the facts changed since the page was shown
            db.session.rollback()
            form.reason.errors.append(str(exc))
        else:
            services.refresh_summary(case)
            db.session.commit()
            flash(f"Beslutet är registrerat: {OptionKind(form.chosen.data).label}.", "success")
            return redirect(url_for("cases.show_case", case_id=case.id))
    form.recommended.data = result.recommended.value
    return render_template("triage/case.html", case=case, result=result, form=form, OptionKind=OptionKind)


# --- Evidence --------------------------------------------------------------------------

def _upload_limits() -> UploadLimits:
    return UploadLimits(max_bytes=current_app.config["MAX_UPLOAD_BYTES"])


@bp.route("/arende/<int:case_id>/bevis/nytt", methods=["GET", "POST"])
@staff_required
def new_evidence(case_id: int):
    case = get_case_or_404(case_id)
    form = EvidenceForm()
    form.claim_line_ids.choices = [(line.id, f"Faktura {line.invoice_number}") for line in case.claim_lines]
    if request.method == "GET":
        form.claim_line_ids.data = [line.id for line in case.claim_lines]
    if form.validate_on_submit():
        upload = None
        file = form.file.data
        try:
            if file and file.filename:
                upload = check_upload(file.read(_upload_limits().max_bytes + 1), file.filename, _upload_limits())
        except UploadRejected as exc:
            form.file.errors.append(str(exc))
        else:
            services.add_evidence(case, current_user, kind=EvidenceKind(form.kind.data), title=form.title.data,
                                  dated=form.dated.data, proves=form.proves.data,
                                  claim_line_ids=form.claim_line_ids.data or [], upload=upload)
            db.session.commit()
            flash("Beviset är registrerat.", "success")
            return redirect(url_for("triage.triage_case", case_id=case.id) + "#bevis")
    return render_template("triage/evidence_form.html", form=form, case=case)


@bp.route("/arende/<int:case_id>/bevis/<int:evidence_id>/fil")
@login_required
def download_evidence(case_id: int, evidence_id: int):
    case = get_case_or_404(case_id)
    evidence = db.session.get(Evidence, evidence_id)
    if evidence is None or evidence.case_id != case.id or not evidence.stored_name:
        abort(404)
    return send_file(storage.path_of(evidence.stored_name), mimetype=evidence.content_type, as_attachment=True,
                     download_name=evidence.original_name or f"bevis-{evidence.id}.{evidence.stored_name.rsplit('.', 1)[-1]}")


# --- Objection investigation -------------------------------------------------------------

@bp.route("/arende/<int:case_id>/bestridanden/<int:objection_id>/utredning", methods=["GET", "POST"])
@staff_required
def new_step(case_id: int, objection_id: int):
    case = get_case_or_404(case_id)
    objection = db.session.get(Objection, objection_id)
    if objection is None or objection.case_id != case.id:
        abort(404)
    form = StepForm()
    if request.method == "GET":
        form.on.data = today()
    if form.validate_on_submit():
        services.add_investigation_step(objection, current_user, kind=StepKind(form.kind.data), on=form.on.data,
                                        note=form.note.data or "")
        db.session.commit()
        flash("Utredningsåtgärden är registrerad.", "success")
        return redirect(url_for("triage.triage_case", case_id=case.id) + "#utredning")
    return render_template("triage/step_form.html", form=form, case=case, objection=objection)


# --- Ability to pay ----------------------------------------------------------------------

@bp.route("/galdenar/<int:debtor_id>/betalningsformaga/ny", methods=["GET", "POST"])
@staff_required
def new_ability(debtor_id: int):
    debtor = db.session.get(Debtor, debtor_id) or abort(404)
    back_case = request.args.get("arende", type=bounded_int)
    form = AbilityForm()
    if request.method == "GET":
        form.recorded_on.data = today()
    if form.validate_on_submit():
        services.add_ability_record(debtor, current_user, source=AbilitySource(form.source.data),
                                    **form.values(AbilityForm.FIELDS))
        db.session.commit()
        flash("Uppgiften om betalningsförmåga är registrerad.", "success")
        if back_case:
            return redirect(url_for("triage.triage_case", case_id=back_case))
        return redirect(url_for("debtors.show_debtor", debtor_id=debtor.id))
    return render_template("triage/ability_form.html", form=form, debtor=debtor, back_case=back_case)


# --- Principle: test cases and groups ----------------------------------------------------

def _group_choices() -> list[tuple[int, str]]:
    return [(0, "— ingen grupp —")] + [(g.id, g.name) for g in db.session.scalars(select(IssueGroup).order_by(IssueGroup.name))]


@bp.route("/arende/<int:case_id>/princip", methods=["GET", "POST"])
@staff_required
def principle(case_id: int):
    case = get_case_or_404(case_id)
    form = PrincipleForm(obj=case if request.method == "GET" else None)
    form.issue_group_id.choices = _group_choices()
    if request.method == "GET":
        form.issue_group_id.data = case.issue_group_id or 0
    if valid_and_current(form, case):
        group = db.session.get(IssueGroup, form.issue_group_id.data) if form.issue_group_id.data else None
        services.set_principle(case, current_user, test_case=bool(form.test_case.data), group=group)
        db.session.commit()
        flash("Principfrågan är sparad.", "success")
        return redirect(url_for("triage.triage_case", case_id=case.id))
    return render_template("triage/principle_form.html", form=form, case=case)


@bp.route("/fragor/")
@staff_required
def groups():
    counts = (select(Case.issue_group_id, func.count(Case.id).label("n"), func.sum(Case.total_capital).label("capital"))
              .group_by(Case.issue_group_id).subquery())
    rows = db.session.execute(select(IssueGroup, counts.c.n, counts.c.capital)
                              .outerjoin(counts, counts.c.issue_group_id == IssueGroup.id)
                              .order_by(IssueGroup.name)).all()
    return render_template("triage/groups.html", rows=rows)


@bp.route("/fragor/ny", methods=["GET", "POST"])
@staff_required
def new_group():
    form = IssueGroupForm()
    if form.validate_on_submit():
        group = IssueGroup()
        assign(group, form, ("name", "question"))
        db.session.add(group)
        db.session.commit()
        flash(f"Gruppen '{group.name}' är skapad. Koppla ärenden till den från ärendets triagesida.", "success")
        return redirect(url_for("triage.show_group", group_id=group.id))
    return render_template("triage/group_form.html", form=form)


@bp.route("/fragor/<int:group_id>", methods=["GET", "POST"])
@staff_required
def show_group(group_id: int):
    group = db.session.get(IssueGroup, group_id, options=[selectinload(IssueGroup.cases).joinedload(Case.debtor)]) \
        or abort(404)
    form = GroupDecisionForm(obj=group if request.method == "GET" else None)
    if request.method == "GET" and not group.decided_on:
        form.decided_on.data = today()
    if valid_and_current(form, group):
        if group.test_case_id is None:
            flash("Gruppen har inget pilotmål. Markera ett ärende som pilotmål först.", "error")
        else:
            n = services.apply_group_decision(group, current_user, decision=form.decision.data,
                                              decided_on=form.decided_on.data)
            db.session.commit()
            flash(f"Avgörandet är tillämpat på gruppens {n} ärenden.", "success")
            return redirect(url_for("triage.show_group", group_id=group.id))
    return render_template("triage/group.html", group=group, form=form)
