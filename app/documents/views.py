from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.cases.models import Case
from app.cases.status import OPEN_STATUSES, CaseStatus
from app.core import storage
from app.core.access import get_case_or_404, staff_required, visible_cases
from app.core.clock import today
from app.core.listing import bounded_int
from app.core.uploads import safe_display_name
from app.creditors.models import Creditor
from app.documents import services
from app.documents.models import KIND_LABELS, BulkJob, GeneratedDocument, JobStatus
from app.extensions import db
from app.law import tables as law_tables
from filings.kronofogden import ImportErrors
from filings.pdf import PdfConversionFailed, PdfUnavailable, docx_to_pdf, pdf_available

bp = Blueprint("documents", __name__, url_prefix="/dokument")


def _kind_or_404(kind: str) -> str:
    if kind not in KIND_LABELS:
        abort(404)
    return kind


def _document_or_404(document_id: int) -> GeneratedDocument:
    document = db.session.get(GeneratedDocument, document_id)
    if document is None:
        abort(404)
    get_case_or_404(document.case_id)  # 404 unless the user may see the case
    return document


@bp.route("/arende/<int:case_id>")
@login_required
def case_documents(case_id: int):
    case = get_case_or_404(case_id, options=(selectinload(Case.documents).joinedload(GeneratedDocument.created_by),))
    return render_template("documents/case.html", case=case, kinds=KIND_LABELS, pdf=pdf_available())


@bp.route("/arende/<int:case_id>/<kind>", methods=["GET", "POST"])
@staff_required
def preview(case_id: int, kind: str):
    case = get_case_or_404(case_id)
    kind = _kind_or_404(kind)
    on = today()
    problems, data = [], None
    with law_tables.recording() as used:  # the law values the filing rests on
        try:
            data = services.prepare(case, kind, on, current_user)
        except services.CannotGenerate as exc:
            problems = exc.problems
    if request.method == "POST" and not problems:
        document, created = services.generate(case, kind, on, current_user)
        db.session.commit()
        flash(f"{document.label} är upprättad." if created else
              f"{document.label} fanns redan för samma uppgifter; den sparade handlingen används.", "success")
        return redirect(url_for("documents.case_documents", case_id=case.id, ny=document.id))
    return render_template("documents/preview.html", case=case, kind=kind, label=KIND_LABELS[kind],
                           problems=problems, data=data, on=on, unverified=_unverified(used),
                           format_law_value=law_tables.format_value)


def _unverified(used: list) -> list:
    """The ``to_verify`` law values among those used, each once, in the order first used."""
    seen, result = set(), []
    for item, entry in used:
        if not entry.verified and (item.table, item.key, entry.valid_from) not in seen:
            seen.add((item.table, item.key, entry.valid_from))
            result.append((item, entry))
    return result


@bp.route("/<int:document_id>/ladda-ned")
@login_required
def download(document_id: int):
    document = _document_or_404(document_id)
    return send_file(storage.path_of(document.stored_name), as_attachment=True,
                     download_name=document.download_name,
                     mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document")


@bp.route("/<int:document_id>/pdf")
@login_required
def download_pdf(document_id: int):
    document = _document_or_404(document_id)
    try:
        pdf = docx_to_pdf(storage.path_of(document.stored_name).read_bytes())
    except PdfUnavailable:
        flash("PDF kan inte skapas: LibreOffice är inte installerat på servern. Ladda ned .docx i stället.", "error")
        return redirect(url_for("documents.case_documents", case_id=document.case_id))
    except PdfConversionFailed:
        flash("PDF-konverteringen misslyckades. Ladda ned .docx i stället.", "error")
        return redirect(url_for("documents.case_documents", case_id=document.case_id))
    return send_file(io.BytesIO(pdf), as_attachment=True, mimetype="application/pdf",
                     download_name=document.download_name.replace(".docx", ".pdf"))


# --- Bulk --------------------------------------------------------------------------------

def _bulk_selection() -> list[int]:
    """Cases chosen in the form: explicit ids, or all cases of a creditor with a status."""
    ids = [int(v) for v in request.form.getlist("case_ids") if v.isascii() and v.isdigit() and len(v) <= 9]
    stmt = visible_cases(current_user, select(Case.id))
    if ids:
        return list(db.session.scalars(stmt.where(Case.id.in_(ids))))
    creditor_id = request.form.get("creditor_id", type=bounded_int)
    status = request.form.get("status", "")
    if creditor_id:
        stmt = stmt.where(Case.creditor_id == creditor_id)
    if status in {s.value for s in CaseStatus}:
        stmt = stmt.where(Case.status == CaseStatus(status))
    if not creditor_id and not status:
        return []
    if not status:  # "all statuses" means all open cases, never paid or written-off ones
        stmt = stmt.where(Case.status.in_(OPEN_STATUSES))
    return list(db.session.scalars(stmt.order_by(Case.id)))


@bp.route("/massutskick", methods=["GET", "POST"])
@staff_required
def bulk():
    creditors = db.session.scalars(select(Creditor).order_by(Creditor.name)).all()
    preview = None
    if request.method == "POST":
        kind = request.form.get("kind", "")
        selection = _bulk_selection()
        if kind not in KIND_LABELS:
            flash("Välj vilken handling som ska upprättas.", "error")
        elif not selection:
            flash("Inga ärenden valdes. Välj fordringsägare och/eller status, eller markera ärenden.", "error")
        else:
            preview = services.bulk_preview(kind, selection)
            if request.form.get("action") == "start" and preview.allowed_ids:
                job = services.create_bulk_job(kind, preview.allowed_ids, current_user, today())
                db.session.commit()
                current_app.extensions["celery"].tasks["documents.run_bulk_job"].delay(job.id)
                flash(f"{len(preview.allowed_ids)} ärenden köades för {KIND_LABELS[kind].lower()}"
                      + (f"; {preview.refused_count} passade inte ärendets läge och togs inte med."
                         if preview.refused_count else "."), "success")
                return redirect(url_for("documents.job", job_id=job.id))
            if request.form.get("action") == "start":
                flash("Handlingen passar inte något av de valda ärendena; inget jobb startades.", "error")
    jobs = db.session.scalars(select(BulkJob).order_by(BulkJob.id.desc()).limit(20)).all()
    return render_template("documents/bulk.html", creditors=creditors, kinds=KIND_LABELS, jobs=jobs,
                           statuses=CaseStatus.choices(), default_status=CaseStatus.DISPUTED.value,
                           preview=preview, form=request.form)


def _job_or_404(job_id: int) -> BulkJob:
    job = db.session.get(BulkJob, job_id)
    if job is None:
        abort(404)
    return job


@bp.route("/jobb/<int:job_id>")
@staff_required
def job(job_id: int):
    return render_template("documents/job.html", job=_job_or_404(job_id))


@bp.route("/jobb/<int:job_id>.json")
@staff_required
def job_status(job_id: int):
    job = _job_or_404(job_id)
    return jsonify(id=job.id, status=job.status.value, status_label=job.outcome_label, total=job.total,
                   nothing_made=job.nothing_made,
                   done=job.done, failed=job.failed, percent=job.percent,
                   finished=job.status in (JobStatus.DONE, JobStatus.FAILED),
                   zip_url=url_for("documents.job_zip", job_id=job.id) if job.zip_stored_name else None,
                   errors=[{**e, "case_url": url_for("cases.show_case", case_id=e["case_id"]) if e.get("case_id") else None}
                           for e in job.errors or []])


@bp.route("/jobb/<int:job_id>/zip")
@staff_required
def job_zip(job_id: int):
    job = _job_or_404(job_id)
    if not job.zip_stored_name:
        abort(404)
    return send_file(storage.path_of(job.zip_stored_name), as_attachment=True, mimetype="application/zip",
                     download_name=f"{job.kind}-jobb-{job.id}.zip")


# --- Kronofogden files ---------------------------------------------------------------------

@bp.route("/kronofogden", methods=["GET", "POST"])
@staff_required
def kronofogden():
    creditors = db.session.scalars(select(Creditor).order_by(Creditor.name)).all()
    if request.method == "POST" and request.form.get("action") == "export":
        creditor_id = request.form.get("creditor_id", type=bounded_int)
        fmt = request.form.get("format", "jsonl")
        fmt = fmt if fmt in ("jsonl", "csv") else "jsonl"
        cases = db.session.scalars(visible_cases(current_user).where(
            Case.creditor_id == creditor_id, Case.status == CaseStatus.PAYMENT_ORDER).order_by(Case.id)).all()
        if not cases:
            flash("Fordringsägaren har inga ärenden med beslut om betalningsföreläggande.", "info")
        else:
            content, skipped = services.kronofogden_export(cases, today(), fmt, current_user)
            if skipped:
                flash(f"{len(skipped)} ärenden kunde inte tas med: " + "; ".join(
                    f"{s['reference']}: {' '.join(s['problems'])}" for s in skipped[:5]), "warning")
            if content:
                return send_file(io.BytesIO(content), as_attachment=True,
                                 download_name=f"kronofogden-ansokningar-{today()}.{fmt}",
                                 mimetype="text/csv" if fmt == "csv" else "application/x-ndjson")
    import_errors: list[str] = []
    if request.method == "POST" and request.form.get("action") == "import":
        upload = request.files.get("file")
        if not upload or not upload.filename:
            import_errors = ["Välj en fil från Kronofogden att läsa in."]
        else:
            try:
                summary = services.kronofogden_import(upload.read(current_app.config["MAX_UPLOAD_BYTES"] + 1),
                                                      current_user, today())
            except ImportErrors as exc:
                db.session.rollback()
                import_errors = exc.messages
            else:
                db.session.commit()
                flash(f"{summary.applied} händelser från {safe_display_name(upload.filename)} lästes in; "
                      f"{summary.disputed} ärenden blev bestridda.", "success")
                return redirect(url_for("documents.kronofogden"))
    return render_template("documents/kronofogden.html", creditors=creditors, import_errors=import_errors)


@bp.app_template_global()
def filing_kinds() -> dict[str, str]:
    return KIND_LABELS

