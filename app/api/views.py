"""The JSON API (``/api/``): token-authenticated, CSRF-exempt (no cookies are used), and every
answer holds only the token's creditor's data; another creditor's case or document is 404.
The contract is app/api/openapi.py, served at /api/openapi.json and checked by the tests."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from decimal import Decimal

from flask import Blueprint, abort, current_app, g, jsonify, request, send_file, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.api import services
from app.api.auth import token_required
from app.api.body import BodyRefused, read_json
from app.api.models import IdempotencyRecord
from app.api.openapi import MAX_PAGE, MAX_PER_PAGE, spec
from app.api.submission import validate
from app.audit.services import record_view
from app.cases.models import Case, TimelineEvent
from app.cases.services import creditor_visible
from app.cases.status import CaseStatus
from app.core import storage
from app.core.clock import STOCKHOLM
from app.creditors.models import Creditor
from app.documents.models import GeneratedDocument
from app.extensions import csrf, db
from app.hearings.models import CaseDeadline

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)

IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.after_request
def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


def _bad_request(field: str, message: str):
    return {"errors": [{"item": None, "field": field, "message": message}]}, 400


# --- Description ---------------------------------------------------------------------------

@bp.route("/openapi.json")
def openapi():
    """The API's description (OpenAPI 3.1); public, it holds no data."""
    return jsonify(spec())


# --- Reading ----------------------------------------------------------------------------------

@bp.route("/cases", methods=["GET"])
@token_required
def list_cases():
    args = request.args
    page = _int_arg("page", 1, 1, MAX_PAGE)
    per_page = _int_arg("per_page", 25, 1, MAX_PER_PAGE)
    if isinstance(page, tuple):
        return page
    if isinstance(per_page, tuple):
        return per_page
    stmt = services.creditor_cases(g.api_creditor_id)
    if args.get("status") is not None:
        try:
            stmt = stmt.where(Case.status == CaseStatus(args["status"]))
        except ValueError:
            return _bad_request("status", "Okänd status. Tillåtna värden: " + ", ".join(s.value for s in CaseStatus)
                                + ".")
    if args.get("updated_since") is not None:
        try:
            since = date.fromisoformat(args["updated_since"])
        except ValueError:
            return _bad_request("updated_since", "Ange ett datum som ÅÅÅÅ-MM-DD.")
        since = max(since, date(1900, 1, 1))
        start = datetime.combine(since, time(0), tzinfo=STOCKHOLM).astimezone(timezone.utc)
        stmt = stmt.where(Case.updated_at >= start)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    cases = db.session.scalars(stmt.options(joinedload(Case.debtor)).order_by(Case.id)
                               .limit(per_page).offset((page - 1) * per_page)).unique().all()
    return {"cases": [services.case_summary(c) for c in cases], "page": page, "per_page": per_page,
            "total": total, "pages": max(1, -(-total // per_page))}


def _int_arg(name: str, default: int, low: int, high: int):
    raw = request.args.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"\d{1,9}", raw) or not low <= int(raw) <= high:
        return _bad_request(name, f"Ange ett heltal från {low} till {high}.")
    return int(raw)


def _case_or_404(reference: str) -> Case:
    case = db.session.scalar(services.creditor_cases(g.api_creditor_id).where(Case.reference == reference))
    if case is None:
        abort(404)
    return case


@bp.route("/cases/<reference>", methods=["GET"])
@token_required
def show_case(reference: str):
    case = db.session.scalar(services.creditor_cases(g.api_creditor_id).where(Case.reference == reference).options(
        joinedload(Case.debtor), selectinload(Case.claim_lines), selectinload(Case.objections),
        selectinload(Case.outcomes), selectinload(Case.payments), selectinload(Case.hearings)))
    if case is None:
        abort(404)
    body = services.case_detail(case, sum((p.amount for p in case.payments), Decimal("0.00")))
    record_view(db.session, case.debtor, case_id=case.id)  # the debtor's personal data was read (by the key)
    db.session.commit()
    return body


@bp.route("/cases/<reference>/timeline", methods=["GET"])
@token_required
def case_timeline(reference: str):
    case = _case_or_404(reference)
    events = db.session.scalars(select(TimelineEvent).where(TimelineEvent.case_id == case.id)
                                .order_by(TimelineEvent.at, TimelineEvent.id))
    return {"reference": case.reference,
            "events": [services.timeline_entry(e) for e in events if creditor_visible(e.kind)]}


@bp.route("/cases/<reference>/deadlines", methods=["GET"])
@token_required
def case_deadlines(reference: str):
    case = _case_or_404(reference)
    rows = db.session.scalars(select(CaseDeadline).where(CaseDeadline.case_id == case.id, CaseDeadline.state == "open")
                              .order_by(CaseDeadline.due_on, CaseDeadline.id))
    return {"reference": case.reference, "deadlines": [services.deadline_entry(d) for d in rows]}


@bp.route("/cases/<reference>/documents", methods=["GET"])
@token_required
def case_documents(reference: str):
    case = _case_or_404(reference)
    rows = db.session.scalars(select(GeneratedDocument).where(GeneratedDocument.case_id == case.id)
                              .order_by(GeneratedDocument.created_at.desc(), GeneratedDocument.id.desc()))
    return {"reference": case.reference,
            "documents": [services.document_entry(d, url_for("api.download_document", document_id=d.id))
                          for d in rows]}


@bp.route("/documents/<int:document_id>", methods=["GET"])
@token_required
def download_document(document_id: int):
    if not 1 <= document_id <= 2**31 - 1:  # an INTEGER key; larger ids cannot exist
        abort(404)
    document = db.session.scalar(select(GeneratedDocument).join(Case, GeneratedDocument.case_id == Case.id)
                                 .where(GeneratedDocument.id == document_id, Case.creditor_id == g.api_creditor_id)
                                 .options(joinedload(GeneratedDocument.case)))
    if document is None:
        abort(404)
    return send_file(storage.path_of(document.stored_name), as_attachment=True,
                     download_name=document.download_name, mimetype=DOCX)


# --- Submitting -------------------------------------------------------------------------------

@bp.route("/cases", methods=["POST"])
@token_required
def submit_cases():
    """One or many disputed claims. With an Idempotency-Key, a retry of the same request gets the
    first answer and creates nothing; the same key with another body is refused (409)."""
    creditor_id = g.api_creditor_id
    key = request.headers.get("Idempotency-Key")
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        return _bad_request("Idempotency-Key", "Nyckeln ska vara 1–255 synliga ASCII-tecken.")
    try:
        payload = read_json(request)
    except BodyRefused as refused:
        if refused.status == 413:  # the same shape as the server's own 413 (the description's Error)
            return {"error": {"status": 413, "title": "För stor begäran", "detail": str(refused)}}, 413
        return _bad_request("", str(refused))
    if payload is None:
        return _bad_request("", "Begärans innehåll ska vara JSON (Content-Type: application/json).")
    digest = services.request_hash(payload)
    if key is not None:
        stored = services.stored_response(creditor_id, key)
        if stored is not None:
            return _replay(stored, digest)
    items, errors = validate(payload, creditor_id)
    if errors:
        return {"errors": errors}, 422
    creditor = db.session.get(Creditor, creditor_id)
    created = services.create_cases(creditor, items)
    body = {"cases": [{**c, "url": url_for("api.show_case", reference=c["reference"])} for c in created]}
    if key is not None:
        db.session.add(IdempotencyRecord(creditor_id=creditor_id, key=key, request_hash=digest, status_code=201,
                                         body=body))
    try:
        db.session.commit()
    except IntegrityError:
        # A concurrent request with the same key won: nothing of ours is kept; answer as a retry.
        db.session.rollback()
        stored = services.stored_response(creditor_id, key) if key is not None else None
        if stored is None:
            raise
        return _replay(stored, digest)
    current_app.logger.info("API: creditor %s submitted %d case(s)", creditor_id, len(created))
    return body, 201


def _replay(stored: IdempotencyRecord, digest: str):
    if stored.request_hash != digest:
        return {"errors": [{"item": None, "field": "Idempotency-Key",
                            "message": "Nyckeln har redan använts för en annan begäran. Använd en ny nyckel."}]}, 409
    return stored.body, stored.status_code, {"Idempotent-Replayed": "true"}

