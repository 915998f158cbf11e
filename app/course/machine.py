"""The case's course as a state machine: which step (Transition) may be taken from which status.

The course of a contested claim (issue 5)::

    ny → bestridd → utredning (triage)
        → förlikning / avbetalningsplan
        → ansökan om betalningsföreläggande (BFL, lag 1990:746)
              → utslag → verkställighet
              → bestridd hos Kronofogden → överlämnad till tingsrätt
        → förslag om rättslig åtgärd → stämningsansökan (RB 42 kap.)
              → förberedelse ⇄ förhandling (muntlig förberedelse / huvudförhandling)
              → dom / tredskodom (RB 44 kap.) / förlikning / återkallelse / avvisning
              → laga kraft → verkställighet (utsökningsbalken)
                    → utmätning: full betalning / delredovisning / hinder → efterbevakning
        → betald / avskriven / återkallad

Conventions:

* Every open status (``app.cases.status.OPEN_STATUSES``) may be paid in full, written off or
  withdrawn: money is owed in every open status, and the agency or the creditor may always stop.
* :data:`FINAL_STATUSES` (betald, avskriven, återkallad) have no outgoing steps except the documented
  :data:`REOPENINGS`: a written-off claim may be taken up again (new assets, not time-barred), and a
  payment that is reversed (returned, recovered by a bankruptcy estate) reopens a paid case.
* Some steps keep the status (``source`` contains ``target``): they record an event the deadlines
  depend on, e.g. service of the betalningsföreläggande or an appeal of the dom.
* ``requires`` names the facts the step needs (see :data:`FACT_LABELS`); the caller collects them in the
  form and checks them with :func:`missing_facts`. A step that only makes sense for some cases in its
  source statuses names the fact that proves it applies, e.g. ``apply_enforcement`` needs an
  ``enforceable_title`` (dom or utslag, utsökningsbalken 3 kap. 1 §).

Statuses the enum lacks (candidates: DISMISSED, DEFAULT_JUDGMENT, APPEALED), modelled with the nearest
existing one:
a tredskodom is ``JUDGMENT`` (its återvinning deadline follows from the service date), a court's or
Kronofogden's avvisning/avskrivning sends the case back to ``INVESTIGATING``, and an appeal to the
hovrätt keeps ``JUDGMENT``.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from app.cases.status import AWAITING_TRIAGE, OPEN_STATUSES, CaseStatus

__all__ = [
    "FACT_LABELS",
    "FINAL_STATUSES",
    "REOPENINGS",
    "TRANSITIONS",
    "TRANSITIONS_BY_NAME",
    "IllegalTransition",
    "Transition",
    "allowed_transitions",
    "missing_facts",
    "transition",
]

S = CaseStatus

#: Statuses where the case is closed: betald, avskriven, återkallad.
FINAL_STATUSES: frozenset[CaseStatus] = frozenset(CaseStatus) - OPEN_STATUSES

#: The facts a step may require, with the Swedish label for the form field.
FACT_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "objection_received_on": "Datum då bestridandet kom in",
        "decision_date": "Beslutsdatum",
        "reason": "Motivering",
        "track": "Måltyp (förenklat eller ordinärt tvistemål)",
        "settlement_on": "Datum för förlikningen",
        "breached_on": "Datum då förlikningen bröts",
        "filed_on": "Datum då ansökan gavs in",
        "kfm_served_on": "Datum då betalningsföreläggandet delgavs",
        "utslag_on": "Datum för utslaget",
        "court_case_number": "Målnummer",
        "kfm_objection_notified_on": "Datum då sökanden underrättades om bestridandet",
        "transfer_requested_on": "Datum för begäran om överlämnande",
        "reopening_applied_on": "Datum för ansökan om återvinning",
        "appealed_on": "Datum för överklagandet",
        "hearing_on": "Datum för förhandlingen",
        "hearing_kind": "Typ av förhandling (muntlig förberedelse eller huvudförhandling)",
        "judgment_on": "Datum då domen meddelades",
        "default_judgment_served_on": "Datum då tredskodomen delgavs",
        "final_on": "Datum då domen vann laga kraft",
        "awarded_capital": "Utdömt kapital (kr)",
        "enforceable_title": "Exekutionstitel (dom eller utslag)",
        "enforcement_applied_on": "Datum för ansökan om verkställighet",
        "accounted_on": "Datum för Kronofogdens redovisning",
        "amount": "Belopp",
        "obstacle_on": "Datum för hinderbeskedet",
        "checked_on": "Datum för kontrollen",
        "paid_on": "Betalningsdatum",
        "withdrawn_on": "Datum för återkallelsen",
        "reversed_on": "Datum då betalningen återfördes",
    }
)


@dataclass(frozen=True)
class Transition:
    """One step in the case's course.

    ``name`` is the stable code (stored in the case's history), ``label`` the Swedish verb phrase for
    the button, ``source`` the statuses the step may be taken from, ``target`` the status after it and
    ``requires`` the names of the facts (:data:`FACT_LABELS`) the step needs.
    """

    name: str
    label: str
    source: frozenset[CaseStatus]
    target: CaseStatus
    requires: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.name or not self.name.isidentifier():
            raise ValueError(f"transition name must be an identifier, got {self.name!r}")
        if not self.label:
            raise ValueError(f"transition {self.name} needs a label")
        if not isinstance(self.source, frozenset) or not self.source:
            raise ValueError(f"transition {self.name} needs a non-empty frozenset of source statuses")
        if not all(isinstance(s, CaseStatus) for s in self.source) or not isinstance(self.target, CaseStatus):
            raise TypeError(f"transition {self.name}: statuses must be CaseStatus members")
        unknown = [fact for fact in self.requires if fact not in FACT_LABELS]
        if unknown:
            raise ValueError(f"transition {self.name} requires unknown facts {unknown}")


def _t(name: str, label: str, source: Iterable[CaseStatus], target: CaseStatus, *requires: str) -> Transition:
    return Transition(name, label, frozenset(source), target, tuple(requires))


_COURT = {S.SUMMONS, S.TRANSFERRED, S.PREPARATION, S.HEARING}

#: The steps, in the order the UI offers them.
TRANSITIONS: tuple[Transition, ...] = (
    # --- Objection and triage ------------------------------------------------------------------
    _t("register_objection", "Registrera bestridande", {S.NEW}, S.DISPUTED, "objection_received_on"),
    _t("start_investigation", "Påbörja utredning", {S.DISPUTED}, S.INVESTIGATING),
    _t("propose_litigation", "Föreslå rättslig åtgärd för fordringsägaren", AWAITING_TRIAGE,
       S.LITIGATION_PROPOSED, "track"),
    _t("creditor_declines_litigation", "Registrera att fordringsägaren avböjer", {S.LITIGATION_PROPOSED},
       S.INVESTIGATING, "decision_date"),
    _t("start_monitoring", "Lägg i efterbevakning", AWAITING_TRIAGE, S.MONITORING, "decision_date"),
    _t("agree_settlement", "Registrera förlikning eller avbetalningsplan",
       OPEN_STATUSES - {S.NEW, S.SETTLEMENT}, S.SETTLEMENT, "settlement_on"),
    _t("settlement_breached", "Registrera att förlikningen inte fullföljs", {S.SETTLEMENT}, S.INVESTIGATING,
       "breached_on"),
    # --- Kronofogden: betalningsföreläggande (lag 1990:746) -------------------------------------
    _t("file_payment_order", "Ansök om betalningsföreläggande", AWAITING_TRIAGE | {S.LITIGATION_PROPOSED},
       S.PAYMENT_ORDER, "filed_on"),
    _t("register_kfm_service", "Registrera delgivning av betalningsföreläggandet", {S.PAYMENT_ORDER},
       S.PAYMENT_ORDER, "kfm_served_on"),
    _t("register_utslag", "Registrera utslag", {S.PAYMENT_ORDER}, S.UTSLAG, "utslag_on", "court_case_number"),
    _t("register_kfm_objection", "Registrera bestridande hos Kronofogden", {S.PAYMENT_ORDER}, S.KFM_DISPUTED,
       "kfm_objection_notified_on"),
    _t("request_transfer", "Begär överlämnande till tingsrätt", {S.KFM_DISPUTED}, S.TRANSFERRED,
       "transfer_requested_on"),
    _t("register_kfm_closure", "Registrera att Kronofogden avvisat eller avskrivit målet",
       {S.PAYMENT_ORDER, S.KFM_DISPUTED}, S.INVESTIGATING, "decision_date"),
    _t("register_utslag_reopening", "Registrera ansökan om återvinning av utslaget", {S.UTSLAG, S.ENFORCEMENT},
       S.TRANSFERRED, "utslag_on", "reopening_applied_on"),
    _t("appeal_utslag", "Överklaga utslaget", {S.UTSLAG}, S.TRANSFERRED, "utslag_on", "appealed_on"),
    # --- Tingsrätten (RB) ------------------------------------------------------------------------
    _t("file_summons", "Ge in stämningsansökan", {S.LITIGATION_PROPOSED}, S.SUMMONS, "filed_on"),
    _t("start_preparation", "Registrera att förberedelsen inletts", {S.SUMMONS, S.TRANSFERRED}, S.PREPARATION,
       "court_case_number"),
    _t("schedule_hearing", "Registrera kallelse till förhandling", {S.PREPARATION}, S.HEARING,
       "hearing_on", "hearing_kind"),
    _t("end_hearing", "Återgå till förberedelse efter förhandlingen", {S.HEARING}, S.PREPARATION),
    _t("register_judgment", "Registrera dom", {S.PREPARATION, S.HEARING}, S.JUDGMENT,
       "judgment_on", "court_case_number", "awarded_capital"),
    _t("register_default_judgment", "Registrera tredskodom", _COURT, S.JUDGMENT,
       "judgment_on", "court_case_number", "awarded_capital"),
    _t("register_confirmed_settlement", "Registrera förlikning som stadfästs av tingsrätten",
       {S.PREPARATION, S.HEARING}, S.JUDGMENT, "judgment_on", "court_case_number", "awarded_capital"),
    _t("register_reclassification", "Registrera att tingsrätten ändrat måltyp",
       {S.PREPARATION}, S.PREPARATION, "track", "reason"),
    _t("register_dismissal", "Registrera avvisning eller avskrivning", _COURT, S.INVESTIGATING, "decision_date"),
    _t("register_default_judgment_service", "Registrera delgivning av tredskodomen", {S.JUDGMENT}, S.JUDGMENT,
       "default_judgment_served_on"),
    _t("register_appeal", "Registrera överklagande", {S.JUDGMENT}, S.JUDGMENT, "appealed_on"),
    _t("register_tredskodom_reopening", "Registrera ansökan om återvinning av tredskodomen",
       {S.JUDGMENT, S.ENFORCEMENT}, S.PREPARATION, "default_judgment_served_on", "reopening_applied_on"),
    _t("register_final", "Registrera laga kraft", {S.JUDGMENT}, S.FINAL, "final_on"),
    # --- Verkställighet (utsökningsbalken) -----------------------------------------------------------
    _t("apply_enforcement", "Ansök om verkställighet", {S.UTSLAG, S.FINAL, S.INVESTIGATING, S.MONITORING},
       S.ENFORCEMENT, "enforceable_title", "enforcement_applied_on"),
    _t("register_partial_attachment", "Registrera delredovisning från Kronofogden", {S.ENFORCEMENT},
       S.ENFORCEMENT, "accounted_on", "amount"),
    _t("register_full_attachment", "Registrera slutredovisning med full betalning", {S.ENFORCEMENT}, S.PAID,
       "accounted_on", "amount"),
    _t("register_obstacle", "Registrera hinder för utmätning", {S.ENFORCEMENT}, S.MONITORING, "obstacle_on"),
    _t("register_monitoring_check", "Registrera kontroll av betalningsförmåga", {S.MONITORING}, S.MONITORING,
       "checked_on"),
    _t("resume_investigation", "Återuppta utredningen", {S.MONITORING}, S.INVESTIGATING, "decision_date"),
    # --- Ending: from every open status ------------------------------------------------------------
    _t("pay_in_full", "Registrera full betalning", OPEN_STATUSES, S.PAID, "paid_on"),
    _t("write_off", "Skriv av ärendet", OPEN_STATUSES, S.WRITTEN_OFF, "decision_date", "reason"),
    _t("withdraw", "Återkalla ärendet", OPEN_STATUSES, S.WITHDRAWN, "withdrawn_on"),
    # --- Documented reopenings of final statuses ----------------------------------------------------
    _t("reopen_written_off", "Återuppta avskrivet ärende", {S.WRITTEN_OFF}, S.INVESTIGATING,
       "decision_date", "reason"),
    _t("reverse_payment", "Registrera återförd betalning", {S.PAID}, S.INVESTIGATING, "reversed_on"),
)

#: The steps by name.
TRANSITIONS_BY_NAME: Mapping[str, Transition] = MappingProxyType({t.name: t for t in TRANSITIONS})
if len(TRANSITIONS_BY_NAME) != len(TRANSITIONS):  # pragma: no cover - guards the table above
    raise RuntimeError("duplicate transition names in TRANSITIONS")

#: The only steps out of a final status (see the module docstring).
REOPENINGS: frozenset[str] = frozenset({"reopen_written_off", "reverse_payment"})


class IllegalTransition(ValueError):
    """A step that is not allowed from the case's current status (the message is Swedish, for the UI)."""

    def __init__(self, status: CaseStatus, name: str, allowed: list[Transition]):
        self.status = status
        self.name = name
        self.allowed = allowed
        known = TRANSITIONS_BY_NAME.get(name)
        allowed_text = ", ".join(t.label for t in allowed) if allowed else "inga"
        if known is not None:
            message = (f"Ärendet har status '{status.label}'; '{known.label}' är inte tillåtet. "
                       f"Tillåtna steg: {allowed_text}.")
        else:
            message = (f"Steget '{name}' finns inte. Ärendet har status '{status.label}'. "
                       f"Tillåtna steg: {allowed_text}.")
        super().__init__(message)


def _status(status: CaseStatus | str) -> CaseStatus:
    return status if isinstance(status, CaseStatus) else CaseStatus(status)


def allowed_transitions(status: CaseStatus | str) -> list[Transition]:
    """The steps that may be taken from ``status``, in table order (issue 5)."""
    current = _status(status)
    return [t for t in TRANSITIONS if current in t.source]


def transition(status: CaseStatus | str, name: str) -> Transition:
    """The step ``name`` from ``status``; raises :class:`IllegalTransition` (Swedish message naming the
    current status and the allowed steps) when the step is unknown or not allowed from ``status``."""
    current = _status(status)
    step = TRANSITIONS_BY_NAME.get(name)
    if step is None or current not in step.source:
        raise IllegalTransition(current, name, allowed_transitions(current))
    return step


def missing_facts(step: Transition, facts: Mapping[str, object]) -> tuple[str, ...]:
    """The names in ``step.requires`` that ``facts`` lacks (absent, ``None`` or an empty string)."""
    return tuple(name for name in step.requires if facts.get(name) in (None, ""))
