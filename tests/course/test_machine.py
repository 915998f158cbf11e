"""The case's course as a state machine (issue 5): app.course.machine."""
from __future__ import annotations

from collections import deque

import pytest

from app.cases.status import AWAITING_TRIAGE, OPEN_STATUSES, CaseStatus
from app.course.machine import (
    FACT_LABELS,
    FINAL_STATUSES,
    REOPENINGS,
    TRANSITIONS,
    TRANSITIONS_BY_NAME,
    IllegalTransition,
    Transition,
    allowed_transitions,
    missing_facts,
    transition,
)

S = CaseStatus
ENDINGS = {"pay_in_full", "write_off", "withdraw"}


def _reachable(start: CaseStatus, steps) -> set[CaseStatus]:
    seen = {start}
    queue = deque([start])
    while queue:
        current = queue.popleft()
        for step in steps:
            if current in step.source and step.target not in seen:
                seen.add(step.target)
                queue.append(step.target)
    return seen


def test_every_pair_outside_the_table_is_refused_and_every_allowed_one_gives_its_target():
    refused_wrongly, allowed_wrongly, wrong_target = [], [], []
    for status in CaseStatus:
        for step in TRANSITIONS:
            if status in step.source:
                try:
                    result = transition(status, step.name)
                except IllegalTransition:
                    refused_wrongly.append((status, step.name))
                    continue
                if result.target is not step.target or result is not step:
                    wrong_target.append((status, step.name))
            else:
                with pytest.raises(IllegalTransition) as info:
                    transition(status, step.name)
                if status.label not in str(info.value) or step.label not in str(info.value):
                    allowed_wrongly.append((status, step.name, str(info.value)))
    assert refused_wrongly == []
    assert wrong_target == []
    assert allowed_wrongly == []


def test_allowed_transitions_is_exactly_the_table_rows_for_the_status():
    for status in CaseStatus:
        expected = [t.name for t in TRANSITIONS if status in t.source]
        assert [t.name for t in allowed_transitions(status)] == expected
        assert [t.name for t in allowed_transitions(status.value)] == expected  # stored string value


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        pytest.param(S.NEW, {"register_objection", *ENDINGS}, id="ny: bestridande eller avslut"),
        pytest.param(S.FINAL, {"agree_settlement", "apply_enforcement", *ENDINGS},
                     id="laga kraft: verkställighet, förlikning eller avslut"),
        pytest.param(S.ENFORCEMENT, {"agree_settlement", "register_utslag_reopening", "register_tredskodom_reopening",
                                     "register_partial_attachment", "register_full_attachment", "register_obstacle",
                                     *ENDINGS}, id="verkställighet: utmätning full, delvis, hinder"),
        pytest.param(S.PAYMENT_ORDER, {"agree_settlement", "register_kfm_service", "register_utslag",
                                       "register_kfm_objection", "register_kfm_closure", *ENDINGS},
                     id="betalningsföreläggande: utslag eller bestridande"),
        pytest.param(S.PAID, {"reverse_payment"}, id="betald: endast återförd betalning"),
        pytest.param(S.WRITTEN_OFF, {"reopen_written_off"}, id="avskriven: endast återupptagande"),
        pytest.param(S.WITHDRAWN, set(), id="återkallad: inga steg"),
    ],
)
def test_allowed_steps_of_key_statuses(status, expected):
    assert {t.name for t in allowed_transitions(status)} == expected


def test_refusal_message_is_swedish_and_names_status_and_allowed_steps():
    with pytest.raises(IllegalTransition) as info:
        transition(S.FINAL, "register_judgment")
    allowed = ", ".join(t.label for t in allowed_transitions(S.FINAL))
    assert str(info.value) == (
        f"Ärendet har status 'Laga kraft'; 'Registrera dom' är inte tillåtet. Tillåtna steg: {allowed}."
    )
    assert isinstance(info.value, ValueError)
    assert info.value.status is S.FINAL
    assert [t.name for t in info.value.allowed] == [t.name for t in allowed_transitions(S.FINAL)]


def test_unknown_step_is_refused_with_the_allowed_steps():
    with pytest.raises(IllegalTransition, match="Steget 'no_such_step' finns inte.*Tillåtna steg: Registrera återförd"):
        transition(S.PAID, "no_such_step")
    with pytest.raises(IllegalTransition, match="Tillåtna steg: inga"):
        transition(S.WITHDRAWN, "reopen_written_off")


def test_no_dead_ends_every_open_status_reaches_paid_or_written_off():
    for status in OPEN_STATUSES:
        assert _reachable(status, TRANSITIONS) & {S.PAID, S.WRITTEN_OFF}, status


def test_every_open_status_reaches_paid_through_the_procedure_alone():
    # Without the "end it now" steps available everywhere, the procedure itself must lead to payment.
    procedural = [t for t in TRANSITIONS if t.name not in ENDINGS]
    for status in OPEN_STATUSES:
        assert S.PAID in _reachable(status, procedural), f"{status} cannot reach PAID through the procedure"


def test_every_status_is_reachable_from_new():
    assert _reachable(S.NEW, TRANSITIONS) == set(CaseStatus)


def test_final_statuses_have_only_documented_reopenings():
    assert FINAL_STATUSES == {S.PAID, S.WRITTEN_OFF, S.WITHDRAWN}
    for status in FINAL_STATUSES:
        assert {t.name for t in allowed_transitions(status)} <= REOPENINGS, status
    for name in REOPENINGS:
        assert TRANSITIONS_BY_NAME[name].source <= FINAL_STATUSES
        assert TRANSITIONS_BY_NAME[name].target in OPEN_STATUSES


def test_payment_write_off_and_withdrawal_from_every_open_status():
    for status in OPEN_STATUSES:
        assert transition(status, "pay_in_full").target is S.PAID
        assert transition(status, "write_off").target is S.WRITTEN_OFF
        assert transition(status, "withdraw").target is S.WITHDRAWN


@pytest.mark.parametrize(
    ("status", "name", "target"),
    [
        pytest.param(S.PAYMENT_ORDER, "register_utslag", S.UTSLAG, id="betalningsföreläggande -> utslag"),
        pytest.param(S.UTSLAG, "apply_enforcement", S.ENFORCEMENT, id="utslag -> verkställighet"),
        pytest.param(S.PAYMENT_ORDER, "register_kfm_objection", S.KFM_DISPUTED, id="bestridd hos KFM"),
        pytest.param(S.KFM_DISPUTED, "request_transfer", S.TRANSFERRED, id="överlämnad till tingsrätt"),
        pytest.param(S.LITIGATION_PROPOSED, "file_summons", S.SUMMONS, id="stämningsansökan"),
        pytest.param(S.TRANSFERRED, "start_preparation", S.PREPARATION, id="förberedelse efter överlämnande"),
        pytest.param(S.PREPARATION, "schedule_hearing", S.HEARING, id="muntlig förberedelse / huvudförhandling"),
        pytest.param(S.HEARING, "register_judgment", S.JUDGMENT, id="dom"),
        pytest.param(S.SUMMONS, "register_default_judgment", S.JUDGMENT, id="tredskodom"),
        pytest.param(S.HEARING, "agree_settlement", S.SETTLEMENT, id="förlikning i rätten"),
        pytest.param(S.PREPARATION, "register_dismissal", S.INVESTIGATING, id="avvisning -> tillbaka till utredning"),
        pytest.param(S.JUDGMENT, "register_final", S.FINAL, id="laga kraft"),
        pytest.param(S.JUDGMENT, "register_tredskodom_reopening", S.PREPARATION, id="återvinning av tredskodom"),
        pytest.param(S.FINAL, "apply_enforcement", S.ENFORCEMENT, id="verkställighet av dom"),
        pytest.param(S.ENFORCEMENT, "register_full_attachment", S.PAID, id="utmätning full -> betald"),
        pytest.param(S.ENFORCEMENT, "register_partial_attachment", S.ENFORCEMENT, id="utmätning delvis"),
        pytest.param(S.ENFORCEMENT, "register_obstacle", S.MONITORING, id="hinder -> efterbevakning"),
        pytest.param(S.MONITORING, "apply_enforcement", S.ENFORCEMENT, id="efterbevakning -> ny verkställighet"),
    ],
)
def test_the_course_from_the_issue(status, name, target):
    assert transition(status, name).target is target


def test_triage_decisions_are_steps_from_the_triage_queue():
    from app.triage.services import STEP_AFTER_DECISION

    for status in AWAITING_TRIAGE:
        names = {t.name for t in allowed_transitions(status)}
        missing = set(STEP_AFTER_DECISION.values()) - names
        assert not missing, f"triage from {status} can decide {missing}, which the machine refuses"


def test_required_facts_have_labels_and_missing_facts_reports_them():
    for step in TRANSITIONS:
        assert step.label and step.label[0].isupper()
        for fact in step.requires:
            assert FACT_LABELS[fact]
    step = transition(S.PAYMENT_ORDER, "register_utslag")
    assert step.requires == ("utslag_on", "court_case_number")
    assert missing_facts(step, {"utslag_on": None, "court_case_number": ""}) == ("utslag_on", "court_case_number")
    assert missing_facts(step, {"utslag_on": "2026-03-03"}) == ("court_case_number",)
    assert missing_facts(step, {"utslag_on": "2026-03-03", "court_case_number": "BFL-1"}) == ()


def test_transition_rejects_malformed_rows():
    with pytest.raises(ValueError):
        Transition("x", "X", frozenset(), S.PAID)
    with pytest.raises(ValueError, match="unknown facts"):
        Transition("x", "X", frozenset({S.NEW}), S.PAID, ("no_such_fact",))
    with pytest.raises(ValueError):
        Transition("not an identifier", "X", frozenset({S.NEW}), S.PAID)
