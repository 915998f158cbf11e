"""What the state machine checks beyond the status: does a step fit this case, and may it be taken
with these facts? Pure; reads :class:`app.facts.model.CaseFacts` and the facts the step records.

* :func:`inapplicable` — why a step does not fit the case at all (a tredskodom's återvinning after
  an ordinary dom, an utslag's återvinning after enforcement on a dom): such steps are not offered.
* :func:`refusals` — why the step cannot be taken with these facts (the creditor has not approved,
  laga kraft before the appeal time has run, an award above the claim), as Swedish sentences.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal

from app.cases.status import CaseStatus
from app.course.deadlines import derive_deadlines
from app.course.machine import TRANSITIONS_BY_NAME
from app.facts.model import CaseFacts
from app.law.judgment import award_problems, final_problems

__all__ = ["FILING_STAGES", "filing_refusal", "inapplicable", "refusals", "status_refusal"]

_DEFAULT_ONLY = "Steget gäller bara en tredskodom; ärendets dom är {kind}."
_UTSLAG_ONLY = "Steget gäller bara ett utslag från Kronofogden; ärendets exekutionstitel är {kind}."


def _title_kind(facts: CaseFacts) -> str:
    title = facts.title
    return title.kind_label.lower() if title else "ingen"


def _needs_default_judgment(facts: CaseFacts) -> str | None:
    judgment = facts.judgment
    if judgment is None or judgment.kind != "default_judgment":
        return _DEFAULT_ONLY.format(kind=judgment.kind_label.lower() if judgment else "inte registrerad")
    return None


def _needs_utslag_title(facts: CaseFacts) -> str | None:
    title = facts.title
    if title is None or title.kind != "utslag":
        return _UTSLAG_ONLY.format(kind=_title_kind(facts))
    return None


def _needs_title(facts: CaseFacts) -> str | None:
    if facts.title is None:
        return "Ärendet saknar exekutionstitel (dom, utslag eller stadfäst förlikning, utsökningsbalken 3 kap. 1 §)."
    return None


def _needs_court_judgment(facts: CaseFacts) -> str | None:
    if facts.judgment is None:
        return "Ärendet har ingen dom från tingsrätten att överklaga."
    return None


_APPLIES: dict[str, Callable[[CaseFacts], str | None]] = {
    "register_default_judgment_service": _needs_default_judgment,
    "register_tredskodom_reopening": _needs_default_judgment,
    "register_utslag_reopening": _needs_utslag_title,
    "appeal_utslag": _needs_utslag_title,
    "apply_enforcement": _needs_title,
    "register_appeal": _needs_court_judgment,
    "register_final": _needs_court_judgment,
}


def inapplicable(name: str, facts: CaseFacts) -> str | None:
    """Why step ``name`` does not fit this case (None: it fits)."""
    rule = _APPLIES.get(name)
    return rule(facts) if rule else None


# --- Checks of the recorded facts -----------------------------------------------------------------

def _approval(facts: CaseFacts, step: Mapping[str, object]) -> list[str]:
    """Going to court or Kronofogden from a proposal needs the creditor's approval, unless an admin
    has marked the creditor as not requiring it up to an amount the claim stays within."""
    if facts.status != CaseStatus.LITIGATION_PROPOSED or facts.creditor_approved:
        return []
    limit = facts.approval_not_required_up_to
    if limit is not None and facts.total_capital <= limit:
        return []
    return ["Fordringsägaren har inte godkänt förslaget om rättslig åtgärd. Vänta på beslutet i portalen "
            "(eller registrera det), innan ansökan ges in."]


def _award(facts: CaseFacts, step: Mapping[str, object]) -> list[str]:
    filed = facts.court_filing
    claimed = filed.capital if filed is not None else facts.total_capital
    starts = [line.interest_from for line in facts.lines if line.interest_from is not None]
    return award_problems(awarded_capital=_decimal(step.get("awarded_capital")), claimed_capital=claimed,
                          interest_from=_date(step.get("interest_from")),
                          claimed_interest_from=min(starts) if starts else None)


def _final(facts: CaseFacts, step: Mapping[str, object]) -> list[str]:
    final_on = _date(step.get("final_on"))
    if final_on is None or facts.judgment_on is None:
        return []
    final = next((d for d in derive_deadlines(facts.deadline_facts()) if d.code == "final"), None)
    appeal_final = final.due_on if final is not None else None
    return final_problems(final_on=final_on, appeal_final_on=appeal_final,
                          waiver_on=_date(step.get("waiver_on")), appealed=facts.appealed)


def _enforcement_title(facts: CaseFacts, step: Mapping[str, object]) -> list[str]:
    wanted = step.get("enforceable_title")
    title = facts.title
    if title is None or wanted in (None, ""):
        return []
    matches = {"judgment": ("judgment", "default_judgment", "confirmed_settlement"), "utslag": ("utslag",)}
    if title.kind not in matches.get(str(wanted), ()):
        return [f"Ärendets exekutionstitel är {title.kind_label.lower()} ({title.decided_on.isoformat()}), "
                "inte den valda."]
    return []


_CHECKS: dict[str, tuple[Callable[[CaseFacts, Mapping[str, object]], list[str]], ...]] = {
    "file_summons": (_approval,),
    "file_payment_order": (_approval,),
    "register_judgment": (_award,),
    "register_default_judgment": (_award,),
    "register_confirmed_settlement": (_award,),
    "register_final": (_final,),
    "apply_enforcement": (_enforcement_title,),
}


def refusals(name: str, facts: CaseFacts, step: Mapping[str, object]) -> list[str]:
    """Why step ``name`` cannot be taken with the recorded ``step`` facts (empty: it can)."""
    reason = inapplicable(name, facts)
    if reason:
        return [reason]
    return [problem for check in _CHECKS.get(name, ()) for problem in check(facts, step)]


def _date(value: object) -> date | None:
    return value if isinstance(value, date) else None


def _decimal(value: object) -> Decimal | None:
    return value if isinstance(value, Decimal) else None


# --- Which filing fits which stage of the course ---------------------------------------------------

_S = CaseStatus
#: Per filing kind: the step that gives it in, and the statuses in which it has been given in
#: (a filing may be drafted when its step is allowed, or again while its stage lasts).
FILING_STAGES: dict[str, tuple[str | None, frozenset[CaseStatus]]] = {
    "stamningsansokan": ("file_summons", frozenset({_S.SUMMONS})),
    "betalningsforelaggande": ("file_payment_order", frozenset({_S.PAYMENT_ORDER})),
    "overlamnande": ("request_transfer", frozenset({_S.TRANSFERRED})),
    "verkstallighet": ("apply_enforcement", frozenset({_S.ENFORCEMENT})),
    "kostnadsrakning": (None, frozenset({_S.SUMMONS, _S.TRANSFERRED, _S.PREPARATION, _S.HEARING})),
    "forlikning": ("agree_settlement", frozenset({_S.SETTLEMENT})),
}


def status_refusal(kind: str, status: CaseStatus) -> str | None:
    """Why a filing of ``kind`` never fits a case in ``status`` (None: it may; the case's own facts
    decide in :func:`filing_refusal`). Cheap enough to sort a bulk selection by status."""
    step_name, statuses = FILING_STAGES.get(kind, (None, frozenset()))
    step = TRANSITIONS_BY_NAME.get(step_name) if step_name else None
    if status in statuses or (step is not None and status in step.source):
        return None
    when = f"'{step.label}'" if step is not None else "målet är vid tingsrätten"
    return (f"Handlingen passar inte ärendets läge: ärendet har status '{status.label}', och handlingen "
            f"upprättas när {when} är aktuellt.")


def filing_refusal(kind: str, facts: CaseFacts) -> str | None:
    """Why a filing of ``kind`` does not fit the case's course now (None: it fits). A
    stämningsansokan for a case that awaits the creditor, is paid or is still in triage is refused."""
    step_name, statuses = FILING_STAGES.get(kind, (None, frozenset()))
    if step_name and (reason := inapplicable(step_name, facts)):
        return reason
    if facts.status in statuses:
        return None
    refused = status_refusal(kind, facts.status)
    if refused or step_name is None:
        return refused
    problems = refusals(step_name, facts, {})
    return " ".join(problems) if problems else None
