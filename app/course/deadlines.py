"""Deadlines (frister) derived from the dates a case has recorded.

Every date is computed by :mod:`app.law` (time limits counted under lag 1930:173, lengths and sources
from ``app/law/data/time_limits.toml``); this module only decides which rule applies to which recorded
fact. A deadline exists as soon as the fact that starts it is recorded, and stays (a passed deadline is
history, reported by :func:`overdue`), with two exceptions:

* ``final`` (laga kraft) is not derived when the dom has been appealed (``appealed``), and not for a
  tredskodom whose service is not yet recorded (the återvinning period has not started);
* for a tredskodom (``default_judgment`` or ``default_judgment_served_on``) laga kraft comes only when
  both the appeal time (RB 50 kap. 1 §) and the återvinning time (RB 44 kap. 9 §) have run out: the
  later of :func:`app.law.deadlines.final_on` and the day after
  :func:`app.law.deadlines.tredskodom_reopening_deadline` — the same "first day no longer open"
  convention as ``final_on``.

``settlement_on`` starts no statutory deadline. A settlement interrupts limitation only if the debtor
acknowledges the claim in it (preskriptionslag 1981:130 5 § 1); the caller then adds the date to
``limitation_interruptions`` — it is not assumed here.

A corrected date recomputes exactly the deadlines that depend on it: :func:`changed_deadlines`.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date, timedelta

from app.cases.status import OPEN_STATUSES, CaseStatus
from app.law import deadlines as law
from app.law import tables
from app.law.limitation import limitation_status

__all__ = [
    "DEADLINE_CODES",
    "DEADLINE_STATES",
    "LIVE_IN",
    "closing_state",
    "CaseFacts",
    "Deadline",
    "changed_deadlines",
    "derive_deadlines",
    "due_soon",
    "overdue",
]

#: Every deadline code, in the order used to break ties between deadlines on the same day.
DEADLINE_CODES: tuple[str, ...] = (
    "answer",
    "transfer_request",
    "utslag_appeal",
    "utslag_reopening",
    "appeal",
    "tredskodom_reopening",
    "final",
    "limitation",
)

#: The life of a stored deadline: open until a step meets it (``met``), a later stage of the course
#: makes it moot (``superseded``) or the case ends (``cancelled``).
DEADLINE_STATES: tuple[str, ...] = ("open", "met", "superseded", "cancelled")

_S = CaseStatus
#: The statuses in which each deadline is live: outside them it is closed. The efterbevakning
#: check (``monitoring_check``, app.enforcement) is not derived here but closes the same way.
LIVE_IN: dict[str, frozenset[CaseStatus]] = {
    "answer": frozenset({_S.PAYMENT_ORDER}),
    "transfer_request": frozenset({_S.KFM_DISPUTED}),
    "utslag_appeal": frozenset({_S.UTSLAG}),
    "utslag_reopening": frozenset({_S.UTSLAG}),
    "appeal": frozenset({_S.JUDGMENT}),
    "tredskodom_reopening": frozenset({_S.JUDGMENT}),
    "final": frozenset({_S.JUDGMENT}),
    "limitation": OPEN_STATUSES,
    "monitoring_check": frozenset({_S.MONITORING}),
}

#: The steps that fulfil a deadline (it closes as ``met``, not ``superseded``).
MET_BY: dict[str, frozenset[str]] = {
    "answer": frozenset({"register_kfm_objection", "register_utslag"}),
    "transfer_request": frozenset({"request_transfer"}),
    "appeal": frozenset({"register_final", "register_appeal"}),
    "final": frozenset({"register_final"}),
    "tredskodom_reopening": frozenset({"register_final"}),
    "monitoring_check": frozenset({"register_monitoring_check"}),
}


def closing_state(code: str, status: CaseStatus, step: str | None) -> str:
    """The state of deadline ``code`` once the case is in ``status`` after ``step``: ``open``
    while the status is one it is live in, else ``met`` (the step fulfils it), ``cancelled``
    (the case has ended) or ``superseded``."""
    if status in LIVE_IN.get(code, OPEN_STATUSES):
        return "open"
    if step is not None and step in MET_BY.get(code, frozenset()):
        return "met"
    if status not in OPEN_STATUSES:
        return "cancelled"
    return "superseded"


_LABELS = {
    "answer": "Förklaringstid hos Kronofogden",
    "transfer_request": "Begäran om överlämnande till tingsrätt",
    "utslag_appeal": "Överklagande av utslag",
    "utslag_reopening": "Återvinning av utslag",
    "appeal": "Överklagandefrist",
    "tredskodom_reopening": "Återvinning av tredskodom",
    "final": "Laga kraft",
    "limitation": "Preskription",
}


@dataclass(frozen=True)
class CaseFacts:
    """The plain facts a case has recorded that deadlines run from (all optional).

    * ``kfm_served_on`` — delgivning of the betalningsföreläggande; ``answer_days`` — the förklaringstid
      Kronofogden set (None: the normal time, BFL 25 §);
    * ``kfm_objection_notified_on`` — the applicant was told of the debtor's bestridande (BFL 35 §);
    * ``utslag_on`` — Kronofogden's utslag;
    * ``judgment_on`` — the tingsrätt's dom (or tredskodom) was given; ``appealed`` — it was appealed;
    * ``default_judgment`` — the dom is a tredskodom; ``default_judgment_served_on`` — it was served
      (implies ``default_judgment``);
    * ``settlement_on`` — förlikning (no deadline of its own, see the module docstring);
    * ``claim_arose_on`` — the claim arose (earliest invoice date), ``consumer_claim`` — a business's claim
      on a consumer (3 years instead of 10), ``limitation_interruptions`` — dates of preskriptionsavbrott.
    """

    kfm_served_on: date | None = None
    answer_days: int | None = None
    kfm_objection_notified_on: date | None = None
    utslag_on: date | None = None
    judgment_on: date | None = None
    default_judgment: bool = False
    default_judgment_served_on: date | None = None
    settlement_on: date | None = None
    claim_arose_on: date | None = None
    consumer_claim: bool = False
    limitation_interruptions: tuple[date, ...] = field(default=())
    appealed: bool = False

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name.endswith("_on") and value is not None:
                if not isinstance(value, date) or hasattr(value, "hour"):
                    raise TypeError(f"{f.name} must be a datetime.date, got {type(value).__name__}")
        if not isinstance(self.limitation_interruptions, tuple):
            object.__setattr__(self, "limitation_interruptions", tuple(self.limitation_interruptions))
        for when in self.limitation_interruptions:
            if not isinstance(when, date) or hasattr(when, "hour"):
                raise TypeError("limitation_interruptions must hold datetime.date values")

    @property
    def is_default_judgment(self) -> bool:
        """True when the recorded dom is a tredskodom (flagged, or its service recorded)."""
        return self.default_judgment or self.default_judgment_served_on is not None


@dataclass(frozen=True)
class Deadline:
    """One deadline of a case.

    ``code`` is the stable id (:data:`DEADLINE_CODES`), ``label`` the Swedish name, ``due_on`` the last
    day (for ``final``: the day the dom becomes final; for ``limitation``: the last day the claim is
    alive), ``source`` the rule, ``depends_on`` the :class:`CaseFacts` fields it was computed from and
    ``to_verify`` whether the rule's table entry is marked ``to_verify`` in ``time_limits.toml``.
    """

    code: str
    label: str
    due_on: date
    source: str
    depends_on: tuple[str, ...]
    to_verify: bool = False


def _entry(key: str, trigger: date) -> tables.Entry:
    return tables.lookup("time_limits", key, trigger)


def _deadline(code: str, due_on: date, entry_key: str, trigger: date, depends_on: tuple[str, ...],
              *, source_suffix: str = "") -> Deadline:
    entry = _entry(entry_key, trigger)
    return Deadline(code, _LABELS[code], due_on, entry.source + source_suffix, depends_on,
                    to_verify=not entry.verified)


def derive_deadlines(facts: CaseFacts) -> tuple[Deadline, ...]:
    """The case's deadlines, sorted by date (ties in :data:`DEADLINE_CODES` order).

    * ``answer`` — förklaringstid, BFL (1990:746) 25 §: :func:`app.law.deadlines.answer_deadline`;
    * ``transfer_request`` — BFL 35 §: :func:`app.law.deadlines.transfer_request_deadline`;
    * ``utslag_reopening`` / ``utslag_appeal`` — BFL 49 § / 55 §;
    * ``appeal`` — RB 50 kap. 1 §; ``final`` — laga kraft (see the module docstring);
    * ``tredskodom_reopening`` — RB 44 kap. 9 §;
    * ``limitation`` — preskriptionslag (1981:130) 2, 5-6 §§: :func:`app.law.limitation.limitation_status`.
    """
    result: list[Deadline] = []
    if facts.kfm_served_on is not None:
        result.append(_deadline(
            "answer", law.answer_deadline(facts.kfm_served_on, facts.answer_days), "answer_period",
            facts.kfm_served_on, ("kfm_served_on", "answer_days"),
        ))
    if facts.kfm_objection_notified_on is not None:
        result.append(_deadline(
            "transfer_request", law.transfer_request_deadline(facts.kfm_objection_notified_on),
            "transfer_request", facts.kfm_objection_notified_on, ("kfm_objection_notified_on",),
        ))
    if facts.utslag_on is not None:
        result.append(_deadline(
            "utslag_reopening", law.utslag_reopening_deadline(facts.utslag_on), "utslag_reopening",
            facts.utslag_on, ("utslag_on",),
        ))
        result.append(_deadline(
            "utslag_appeal", law.utslag_appeal_deadline(facts.utslag_on), "utslag_appeal",
            facts.utslag_on, ("utslag_on",),
        ))
    if facts.judgment_on is not None:
        result.append(_deadline(
            "appeal", law.appeal_deadline(facts.judgment_on), "appeal_judgment", facts.judgment_on,
            ("judgment_on",),
        ))
    if facts.default_judgment_served_on is not None:
        result.append(_deadline(
            "tredskodom_reopening", law.tredskodom_reopening_deadline(facts.default_judgment_served_on),
            "tredskodom_reopening", facts.default_judgment_served_on, ("default_judgment_served_on",),
        ))
    final = _final(facts)
    if final is not None:
        result.append(final)
    if facts.claim_arose_on is not None:
        # A dom or utslag starts a new period (preskriptionslag 7 §); one dated before the claim
        # arose is a recording error and is left out here.
        titled_on = max((d for d in (facts.judgment_on, facts.utslag_on)
                         if d is not None and d >= facts.claim_arose_on), default=None)
        status = limitation_status(
            facts.claim_arose_on, facts.limitation_interruptions, consumer_claim=facts.consumer_claim,
            judgment_on=titled_on,
        )
        if titled_on is not None:
            result.append(_deadline(
                "limitation", status.limitation_date, "limitation_after_judgment", titled_on,
                ("claim_arose_on", "judgment_on", "utslag_on", "limitation_interruptions"),
                source_suffix="; därefter avbrott enligt 5-6 §§",
            ))
        else:
            key = "limitation_consumer" if facts.consumer_claim else "limitation_general"
            result.append(_deadline(
                "limitation", status.limitation_date, key, facts.claim_arose_on,
                ("claim_arose_on", "consumer_claim", "limitation_interruptions"),
                source_suffix="; avbrott och ny preskriptionstid 5-6 §§",
            ))
    return tuple(sorted(result, key=lambda d: (d.due_on, DEADLINE_CODES.index(d.code))))


def _final(facts: CaseFacts) -> Deadline | None:
    """Laga kraft: the day after the appeal time (RB 50 kap. 1 §) and, for a tredskodom, the
    återvinning time (RB 44 kap. 9 §) have run out; none when appealed or when an unserved tredskodom."""
    if facts.judgment_on is None or facts.appealed:
        return None
    appeal = _entry("appeal_judgment", facts.judgment_on)
    due = law.final_on(facts.judgment_on)
    if not facts.is_default_judgment:
        return Deadline("final", _LABELS["final"], due,
                        appeal.source + " (laga kraft när överklagandetiden löpt ut)",
                        ("judgment_on", "appealed"), to_verify=not appeal.verified)
    if facts.default_judgment_served_on is None:
        return None
    reopening = _entry("tredskodom_reopening", facts.default_judgment_served_on)
    reopening_over = law.tredskodom_reopening_deadline(facts.default_judgment_served_on) + timedelta(days=1)
    return Deadline(
        "final", _LABELS["final"], max(due, reopening_over),
        f"{appeal.source} och {reopening.source} (laga kraft när överklagande- och återvinningstiden löpt ut)",
        ("judgment_on", "default_judgment", "default_judgment_served_on", "appealed"),
        to_verify=not (appeal.verified and reopening.verified),
    )


def changed_deadlines(old_facts: CaseFacts, new_facts: CaseFacts) -> tuple[list[Deadline], list[str]]:
    """What a change of facts (e.g. a corrected service date) does to the deadlines.

    Returns ``(added_or_changed, removed_codes)``: the deadlines of ``new_facts`` that are new or differ
    from those of ``old_facts`` (date, source or dependencies), sorted like :func:`derive_deadlines`, and
    the codes of deadlines that no longer exist. A deadline that does not depend on a changed fact is
    in neither list.
    """
    old = {d.code: d for d in derive_deadlines(old_facts)}
    new = derive_deadlines(new_facts)
    new_codes = {d.code for d in new}
    changed = [d for d in new if old.get(d.code) != d]
    removed = [code for code in DEADLINE_CODES if code in old and code not in new_codes]
    return changed, removed


def due_soon(deadlines: Iterable[Deadline], today: date, within_days: int) -> list[Deadline]:
    """Deadlines whose last day is today or within the next ``within_days`` days (inclusive), by date."""
    if isinstance(within_days, bool) or not isinstance(within_days, int) or within_days < 0:
        raise ValueError("within_days must be a non-negative int")
    horizon = today + timedelta(days=within_days)
    return sorted((d for d in deadlines if today <= d.due_on <= horizon), key=lambda d: d.due_on)


def overdue(deadlines: Iterable[Deadline], today: date) -> list[Deadline]:
    """Deadlines whose last day is before ``today`` (the time has run out), by date."""
    return sorted((d for d in deadlines if d.due_on < today), key=lambda d: d.due_on)
