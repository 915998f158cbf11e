"""Tvist's document engine: Swedish court and Kronofogden filings as .docx (and PDF).

Plain data in (frozen dataclasses from :mod:`filings.model`, built by the
application; amounts, interest, fees, track and deadlines precomputed by
``app.law``), documents out.  This package never imports ``app``, Flask or
the ORM, so the web app, the Celery worker and the CLI can all call it.

    from filings import render, validate, FilingIncomplete
    problems = validate("stamningsansokan", data)     # Swedish messages
    docx_bytes = render("stamningsansokan", data)     # raises FilingIncomplete

See ``filings/README.md``.
"""

from .engine import KINDS, Engine, TemplateUnsupported, default_engine, render, render_to_path, template_version
from .model import (
    INPUT_TYPES,
    AwardLine,
    BetalningsforelaggandeInput,
    ClaimLine,
    CostClaimLine,
    CostLine,
    Counsel,
    EnforceableTitle,
    EvidenceItem,
    FilingInput,
    ForlikningInput,
    Instalment,
    InterestPeriod,
    InterestSpec,
    KostnadsrakningInput,
    OverlamnandeInput,
    Party,
    StamningsansokanInput,
    VerkstallighetInput,
    from_jsonable,
    input_hash,
    kind_of,
    to_jsonable,
)
from .validation import FilingIncomplete, find_forbidden_characters, identity_number_problem, validate

__all__ = [
    "KINDS",
    "INPUT_TYPES",
    "Engine",
    "TemplateUnsupported",
    "default_engine",
    "render",
    "render_to_path",
    "template_version",
    "validate",
    "FilingIncomplete",
    "find_forbidden_characters",
    "identity_number_problem",
    "to_jsonable",
    "from_jsonable",
    "input_hash",
    "kind_of",
    "FilingInput",
    "Party",
    "Counsel",
    "ClaimLine",
    "InterestPeriod",
    "InterestSpec",
    "EvidenceItem",
    "CostLine",
    "CostClaimLine",
    "AwardLine",
    "EnforceableTitle",
    "Instalment",
    "StamningsansokanInput",
    "BetalningsforelaggandeInput",
    "OverlamnandeInput",
    "VerkstallighetInput",
    "KostnadsrakningInput",
    "ForlikningInput",
]
