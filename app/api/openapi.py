"""The API's contract, OpenAPI 3.1, served at /api/openapi.json.

Kept true by tests/test_api.py: schemathesis generates requests from this description, sends them
to the app with a real token, and checks every answer against it (status codes, content types,
response bodies), besides the tests that one creditor's token never reads another's data.
"""
from __future__ import annotations

from app.cases.models import ObjectionCategory, ObjectionChannel
from app.cases.status import CaseStatus
from app.enforcement.models import PaymentSource
from app.hearings.models import HearingKind, OutcomeKind

MAX_PAGE = 1_000_000
MAX_PER_PAGE = 100
MAX_CASES = 100
MAX_CLAIM_LINES = 50

MONEY = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "description": "Belopp i kronor med två decimaler.",
         "examples": ["1234.50"]}
NULLABLE_MONEY = {**MONEY, "type": ["string", "null"]}
DATE = {"type": "string", "format": "date"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
INSTANT = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601."}


def _obj(properties: dict, required: list[str] | None = None, **extra) -> dict:
    return {"type": "object", "properties": properties,
            "required": list(properties) if required is None else required,
            "additionalProperties": False, **extra}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str, headers: dict | None = None) -> dict:
    out = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        out["headers"] = headers
    return out


def _schemas() -> dict:
    statuses = [s.value for s in CaseStatus]
    summary = {
        "reference": {"type": "string", "description": "Vår referens (ärendenummer)."},
        "creditor_reference": {"type": "string", "description": "Er referens."},
        "status": {"type": "string", "enum": statuses},
        "status_label": {"type": "string"},
        "consumer_claim": {"type": "boolean"},
        "total_capital": MONEY,
        "currency": {"const": "SEK"},
        "track": {"type": ["string", "null"], "enum": ["simplified", "ordinary", None],
                  "description": "Måltyp enligt triage (förenklat/ordinärt tvistemål)."},
        "debtor": _ref("Debtor"),
        "created_at": INSTANT,
        "updated_at": INSTANT,
    }
    return {
        "Error": _obj({"error": _obj({"status": {"type": "integer"}, "title": {"type": "string"},
                                      "detail": {"type": "string"}})}),
        "Errors": _obj({"errors": {"type": "array", "items": _obj({
            "item": {"type": ["integer", "null"], "description": "Index i listan `cases` (null: hela begäran)."},
            "field": {"type": "string", "description": "Fältets sökväg, t.ex. `claim_lines[1].capital`."},
            "message": {"type": "string", "description": "Felet på svenska."}})}}),
        "Debtor": _obj({"name": {"type": "string"}, "is_company": {"type": "boolean"},
                        "identity_number": {"type": "string",
                                            "description": "Organisationsnummer i sin helhet; personnummer maskerat "
                                                           "(ÅÅÅÅMMDD-XXXX)."}}),
        "CaseSummary": _obj(summary),
        "CaseList": _obj({"cases": {"type": "array", "items": _ref("CaseSummary")},
                          "page": {"type": "integer", "minimum": 1}, "per_page": {"type": "integer", "minimum": 1},
                          "total": {"type": "integer", "minimum": 0}, "pages": {"type": "integer", "minimum": 1}}),
        "CaseDetail": _obj({
            **summary,
            "recovered": MONEY,
            "court_case_number": {"type": ["string", "null"]},
            "kfm_case_number": {"type": ["string", "null"]},
            "claim_lines": {"type": "array", "items": _obj({
                "invoice_number": {"type": "string"}, "invoice_date": DATE, "due_date": DATE, "capital": MONEY,
                "description": {"type": "string"}})},
            "objections": {"type": "array", "items": _obj({
                "received_on": DATE, "channel": {"type": "string", "enum": [c.value for c in ObjectionChannel]},
                "category": {"type": "string", "enum": [c.value for c in ObjectionCategory]},
                "category_label": {"type": "string"}})},
            "outcomes": {"type": "array", "items": _obj({
                "kind": {"type": "string", "enum": [k.value for k in OutcomeKind]}, "kind_label": {"type": "string"},
                "decided_on": DATE, "authority": {"type": "string"}, "case_number": {"type": "string"},
                "awarded_capital": NULLABLE_MONEY, "awarded_costs": NULLABLE_MONEY, "final_on": NULLABLE_DATE})},
            "payments": {"type": "array", "items": _obj({
                "paid_on": DATE, "amount": MONEY, "source": {"type": "string", "enum": [s.value for s in PaymentSource]}})},
            "hearings": {"type": "array", "items": _obj({
                "kind": {"type": "string", "enum": [k.value for k in HearingKind]}, "kind_label": {"type": "string"},
                "starts_at": INSTANT, "court": {"type": "string"}})},
        }),
        "Timeline": _obj({"reference": {"type": "string"}, "events": {"type": "array", "items": _obj({
            "at": INSTANT, "kind": {"type": "string"}, "message": {"type": "string"}})}}),
        "Deadlines": _obj({"reference": {"type": "string"}, "deadlines": {"type": "array", "items": _obj({
            "code": {"type": "string"}, "label": {"type": "string"}, "due_on": DATE, "source": {"type": "string"}})}}),
        "Documents": _obj({"reference": {"type": "string"}, "documents": {"type": "array", "items": _obj({
            "id": {"type": "integer"}, "kind": {"type": "string"}, "label": {"type": "string"},
            "created_at": INSTANT, "size": {"type": "integer"}, "sha256": {"type": "string"},
            "download_url": {"type": "string", "description": "Sökväg till GET /api/documents/{id}."}})}}),
        "Submission": _obj({"cases": {"type": "array", "minItems": 1, "maxItems": MAX_CASES,
                                      "items": _ref("SubmittedCase")}}),
        "SubmittedCase": _obj({
            "creditor_reference": {"type": "string", "minLength": 1, "maxLength": 60,
                                   "description": "Er referens; en per ärende."},
            "debtor": _obj({
                "is_company": {"type": "boolean"},
                "name": {"type": "string", "minLength": 1, "maxLength": 200},
                "identity_number": {"type": "string", "pattern": r"^([0-9]{2})?[0-9]{6}[-+]?[0-9]{4}$",
                                    "description": "Personnummer (ÅÅÅÅMMDD-NNNN) eller organisationsnummer "
                                                   "(NNNNNN-NNNN); kontrollsiffran prövas."},
                "street": {"type": "string", "minLength": 1, "maxLength": 200},
                "postal_code": {"type": "string", "pattern": r"^[0-9]{3} ?[0-9]{2}$"},
                "city": {"type": "string", "minLength": 1, "maxLength": 100},
                "email": {"type": "string", "format": "email", "maxLength": 254},
                "phone": {"type": "string", "pattern": r"^\+?[0-9 ()-]{6,20}$"},
                "registered_municipality": {"type": "string", "maxLength": 100},
            }, required=["is_company", "name", "identity_number", "street", "postal_code", "city"],
                description="En gäldenär som redan finns hos oss (samma nummer) återanvänds som den är."),
            "consumer_claim": {"type": "boolean", "description": "Näringsidkare mot konsument."},
            "reminder_fee_agreed": {"type": "boolean", "default": False},
            "description": {"type": "string", "maxLength": 10000},
            "claim_lines": {"type": "array", "minItems": 1, "maxItems": MAX_CLAIM_LINES, "items": _obj({
                "invoice_number": {"type": "string", "minLength": 1, "maxLength": 60},
                "invoice_date": DATE,
                "due_date": {**DATE, "description": "Inte före fakturadatumet."},
                "capital": {"type": "string", "pattern": r"^[0-9]{1,12}([.,][0-9]+)?$",
                            "description": "Kapitalbelopp i kronor som text, större än noll, högst två decimaler."},
                "description": {"type": "string", "maxLength": 500},
            }, required=["invoice_number", "invoice_date", "due_date", "capital"])},
            "objection": _obj({
                "received_on": {**DATE, "description": "När bestridandet kom in; inte i framtiden."},
                "channel": {"type": "string", "enum": [c.value for c in ObjectionChannel]},
                "category": {"type": "string", "enum": [c.value for c in ObjectionCategory]},
                "text": {"type": "string", "minLength": 1, "maxLength": 10000},
            }),
        }, required=["creditor_reference", "debtor", "consumer_claim", "claim_lines", "objection"]),
        "SubmissionResult": _obj({"cases": {"type": "array", "items": _obj({
            "item": {"type": "integer"}, "reference": {"type": "string"}, "creditor_reference": {"type": "string"},
            "status": {"type": "string", "enum": statuses}, "debtor_reused": {"type": "boolean"},
            "url": {"type": "string"}})}}),
    }


def _responses(ok: dict, *, bad_request: bool = False, not_found: bool = False) -> dict:
    out = {"200": ok, "401": {"$ref": "#/components/responses/Unauthorized"}}
    if bad_request:
        out["400"] = {"$ref": "#/components/responses/BadRequest"}
    if not_found:
        out["404"] = {"$ref": "#/components/responses/NotFound"}
    return out


REFERENCE = {"name": "reference", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1},
             "description": "Vår referens (ärendenummer), t.ex. TV-0000123."}


def spec() -> dict:
    schemas = _schemas()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Tvist API för fordringsägare",
            "version": "1.0.0",
            "description": (
                "Följ era tvistiga ärenden och lämna in nya. Autentisering: `Authorization: Bearer <API-nyckel>` "
                "(nyckeln skapas av oss och visas en gång). Varje svar innehåller bara er egen data; ett ärende "
                "eller en handling som inte är er ger 404. Belopp är text med två decimaler, datum ÅÅÅÅ-MM-DD, "
                "tidpunkter UTC. Personnummer visas maskerade."),
        },
        "security": [{"bearerAuth": []}],
        "paths": {
            "/api/openapi.json": {"get": {
                "operationId": "openapi", "summary": "Den här beskrivningen", "security": [],
                "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {
                    "schema": {"type": "object"}}}}}}},
            "/api/cases": {
                "get": {
                    "operationId": "listCases", "summary": "Era ärenden, sidvis",
                    "parameters": [
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                                   "maximum": MAX_PAGE, "default": 1}},
                        {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1,
                                                                       "maximum": MAX_PER_PAGE, "default": 25}},
                        {"name": "status", "in": "query",
                         "schema": {"type": "string", "enum": [s.value for s in CaseStatus]}},
                        {"name": "updated_since", "in": "query", "schema": DATE,
                         "description": "Bara ärenden vars uppgifter (t.ex. status) ändrats från och med dagen."},
                    ],
                    "responses": _responses(_json(_ref("CaseList"), "En sida ärenden, äldst registrerade först."),
                                            bad_request=True),
                },
                "post": {
                    "operationId": "submitCases", "summary": "Lämna in ett eller flera bestridda ärenden",
                    "description": (
                        "Allt valideras först; är någon post fel sparas ingenting och svaret (422) anger post och fält. "
                        "Med huvudet `Idempotency-Key` ger ett nytt försök med samma nyckel och samma innehåll samma "
                        "svar utan att något skapas igen; samma nyckel med annat innehåll ger 409. Nyckeln gäller i 30 dagar. "
                        "Innehållet får vara högst 2 MB och nästlat i högst 10 nivåer (annars 413 respektive 400)."),
                    "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                                    "schema": {"type": "string", "pattern": r"^[\x21-\x7e]{1,255}$"}}],
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": _ref("Submission")}}},
                    "responses": {
                        "201": _json(_ref("SubmissionResult"), "Ärendena är registrerade.", headers={
                            "Idempotent-Replayed": {"description": "`true` när svaret är ett sparat svar på ett "
                                                                   "tidigare försök.",
                                                    "schema": {"type": "string", "enum": ["true"]}}}),
                        "400": {"$ref": "#/components/responses/BadRequest"},
                        "401": {"$ref": "#/components/responses/Unauthorized"},
                        "409": _json(_ref("Errors"), "Nyckeln är redan använd för en annan begäran."),
                        "413": _json(_ref("Error"), "Begäran är för stor."),
                        "422": _json(_ref("Errors"), "Valideringsfel; ingenting sparades."),
                    },
                },
            },
            "/api/cases/{reference}": {"get": {
                "operationId": "showCase", "summary": "Ett ärende", "parameters": [REFERENCE],
                "responses": _responses(_json(_ref("CaseDetail"), "Ärendet."), not_found=True)}},
            "/api/cases/{reference}/timeline": {"get": {
                "operationId": "caseTimeline", "summary": "Ärendets händelser, äldst först", "parameters": [REFERENCE],
                "responses": _responses(_json(_ref("Timeline"), "Händelserna."), not_found=True)}},
            "/api/cases/{reference}/deadlines": {"get": {
                "operationId": "caseDeadlines", "summary": "Ärendets frister", "parameters": [REFERENCE],
                "responses": _responses(_json(_ref("Deadlines"), "Fristerna."), not_found=True)}},
            "/api/cases/{reference}/documents": {"get": {
                "operationId": "caseDocuments", "summary": "Upprättade handlingar", "parameters": [REFERENCE],
                "responses": _responses(_json(_ref("Documents"), "Handlingarna."), not_found=True)}},
            "/api/documents/{document_id}": {"get": {
                "operationId": "downloadDocument", "summary": "Ladda ned en handling (.docx)",
                "parameters": [{"name": "document_id", "in": "path", "required": True,
                                "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}],
                "responses": _responses({"description": "Handlingen.", "content": {
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
                        "schema": {"type": "string", "contentMediaType": "application/vnd.openxmlformats-"
                                                                         "officedocument.wordprocessingml.document"}}}},
                    not_found=True)}},
        },
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "API-nyckel från Tvist (tvist_…)."}},
            "schemas": schemas,
            "responses": {
                "Unauthorized": _json(_ref("Error"), "API-nyckel saknas, är okänd eller återkallad.", headers={
                    "WWW-Authenticate": {"schema": {"type": "string"}}}),
                "NotFound": _json(_ref("Error"), "Finns inte, eller tillhör inte er."),
                "BadRequest": _json(_ref("Errors"), "Felaktig parameter eller begäran."),
            },
        },
    }
