"""Deadlines derived from a case's recorded facts: app.course.deadlines.

Expected dates below are checked examples (weekday and holiday noted); everything else is compared
with app.law itself, never with hand-written legal constants.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.course.deadlines import (
    DEADLINE_CODES,
    CaseFacts,
    Deadline,
    changed_deadlines,
    derive_deadlines,
    due_soon,
    overdue,
)
from app.law import deadlines as law
from app.law import tables
from app.law.limitation import limitation_after_interruptions


def _by_code(facts: CaseFacts) -> dict[str, date]:
    return {d.code: d.due_on for d in derive_deadlines(facts)}


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        pytest.param(CaseFacts(), {}, id="no facts, no deadlines"),
        pytest.param(CaseFacts(judgment_on=date(2026, 6, 1)),
                     {"appeal": date(2026, 6, 22), "final": date(2026, 6, 23)},
                     id="RB 50:1 dom 2026-06-01 (Mon) -> appeal 2026-06-22, laga kraft 2026-06-23"),
        pytest.param(CaseFacts(judgment_on=date(2026, 6, 1), appealed=True), {"appeal": date(2026, 6, 22)},
                     id="RB 50:1 appealed dom: no laga kraft date"),
        pytest.param(CaseFacts(judgment_on=date(2026, 5, 29)),
                     {"appeal": date(2026, 6, 22), "final": date(2026, 6, 23)},
                     id="RB 50:1 + 1930:173 2§ dom 2026-05-29 -> midsommarafton 06-19 -> 2026-06-22"),
        pytest.param(CaseFacts(kfm_served_on=date(2026, 3, 10)), {"answer": date(2026, 3, 20)},
                     id="BFL 25§ served 2026-03-10, normal 10 days -> 2026-03-20"),
        pytest.param(CaseFacts(kfm_served_on=date(2026, 3, 10), answer_days=14), {"answer": date(2026, 3, 24)},
                     id="BFL 25§ förklaringstid set to 14 days -> 2026-03-24"),
        pytest.param(CaseFacts(kfm_served_on=date(2026, 3, 12)), {"answer": date(2026, 3, 23)},
                     id="BFL 25§ + 1930:173 2§ 2026-03-22 (Sun) -> 2026-03-23"),
        pytest.param(CaseFacts(kfm_objection_notified_on=date(2026, 5, 29)), {"transfer_request": date(2026, 6, 26)},
                     id="BFL 35§ notified 2026-05-29 + 4 weeks -> 2026-06-26"),
        pytest.param(CaseFacts(utslag_on=date(2026, 3, 3)),
                     {"utslag_appeal": date(2026, 3, 24), "utslag_reopening": date(2026, 4, 7)},
                     id="BFL 55§ 3 weeks -> 2026-03-24; BFL 49§ 1 month -> långfredagen 04-03 -> 2026-04-07"),
        pytest.param(CaseFacts(judgment_on=date(2026, 1, 20), default_judgment_served_on=date(2026, 1, 31)),
                     {"appeal": date(2026, 2, 10), "tredskodom_reopening": date(2026, 3, 2),
                      "final": date(2026, 3, 3)},
                     id="RB 44:9 tredskodom served 2026-01-31 -> Sat 02-28 -> 2026-03-02; laga kraft 2026-03-03"),
        pytest.param(CaseFacts(judgment_on=date(2026, 1, 20), default_judgment=True), {"appeal": date(2026, 2, 10)},
                     id="RB 44:9 tredskodom not yet served: no laga kraft date"),
        pytest.param(CaseFacts(claim_arose_on=date(2023, 5, 10), consumer_claim=True),
                     {"limitation": date(2026, 5, 10)},
                     id="preskriptionslag 2§ 2 st consumer 3 years -> 2026-05-10 (Sunday, not moved)"),
        pytest.param(CaseFacts(claim_arose_on=date(2020, 3, 15), consumer_claim=True,
                               limitation_interruptions=(date(2022, 3, 1), date(2024, 2, 29))),
                     {"limitation": date(2027, 2, 28)},
                     id="preskriptionslag 5-6§§ interrupted 2024-02-29 -> 2027-02-28"),
        pytest.param(CaseFacts(claim_arose_on=date(2020, 3, 15)), {"limitation": date(2030, 3, 15)},
                     id="preskriptionslag 2§ 1 st general 10 years -> 2030-03-15"),
    ],
)
def test_derive_deadlines(facts, expected):
    assert _by_code(facts) == expected


def test_deadlines_are_sorted_by_date_and_carry_rule_and_dependencies():
    facts = CaseFacts(kfm_served_on=date(2026, 3, 10), kfm_objection_notified_on=date(2026, 5, 29),
                      utslag_on=date(2026, 3, 3), judgment_on=date(2026, 6, 1),
                      claim_arose_on=date(2023, 5, 10), consumer_claim=True)
    result = derive_deadlines(facts)
    assert [d.due_on for d in result] == sorted(d.due_on for d in result)
    assert {d.code for d in result} <= set(DEADLINE_CODES)
    by_code = {d.code: d for d in result}
    assert "50 kap. 1 §" in by_code["appeal"].source
    assert "25 §" in by_code["answer"].source
    assert "35 §" in by_code["transfer_request"].source
    assert "Preskriptionslag" in by_code["limitation"].source
    assert by_code["answer"].depends_on == ("kfm_served_on", "answer_days")
    assert by_code["final"].depends_on == ("judgment_on", "appealed")
    assert all(d.label and d.label[0].isupper() for d in result)
    # to_verify mirrors the table entry, whatever its status is today.
    entry = tables.lookup("time_limits", "transfer_request", date(2026, 5, 29))
    assert by_code["transfer_request"].to_verify is (not entry.verified)
    assert by_code["appeal"].to_verify is (not tables.lookup("time_limits", "appeal_judgment", date(2026, 6, 1)).verified)


def test_same_day_deadlines_are_ordered_by_code():
    # An utslag and a judgment on the same day: utslag_appeal and appeal both end three weeks later.
    result = derive_deadlines(CaseFacts(utslag_on=date(2026, 6, 1), judgment_on=date(2026, 6, 1)))
    same_day = [d.code for d in result if d.due_on == date(2026, 6, 22)]
    assert same_day == ["utslag_appeal", "appeal"]


_dates = st.dates(date(2016, 1, 1), date(2026, 12, 31))


@settings(max_examples=60, deadline=None)
@given(served=_dates, notified=_dates, utslag=_dates, judgment=_dates, default_served=_dates,
       answer_days=st.none() | st.integers(1, 30), arose=_dates, consumer=st.booleans())
def test_every_deadline_is_the_app_law_date(served, notified, utslag, judgment, default_served, answer_days,
                                            arose, consumer):
    facts = CaseFacts(kfm_served_on=served, answer_days=answer_days, kfm_objection_notified_on=notified,
                      utslag_on=utslag, judgment_on=judgment, default_judgment_served_on=default_served,
                      claim_arose_on=arose, consumer_claim=consumer)
    got = _by_code(facts)
    assert got == {
        "answer": law.answer_deadline(served, answer_days),
        "transfer_request": law.transfer_request_deadline(notified),
        "utslag_reopening": law.utslag_reopening_deadline(utslag),
        "utslag_appeal": law.utslag_appeal_deadline(utslag),
        "appeal": law.appeal_deadline(judgment),
        "tredskodom_reopening": law.tredskodom_reopening_deadline(default_served),
        "final": max(law.final_on(judgment), law.tredskodom_reopening_deadline(default_served) + timedelta(days=1)),
        # A dom or utslag starts a new ten-year period (preskriptionslag 7 §).
        "limitation": limitation_after_interruptions(
            arose, (), consumer_claim=consumer,
            judgment_on=max((d for d in (utslag, judgment) if d >= arose), default=None)),
    }


BASE = CaseFacts(kfm_served_on=date(2026, 3, 10), utslag_on=date(2026, 4, 1), judgment_on=date(2026, 6, 1),
                 claim_arose_on=date(2025, 1, 15), consumer_claim=True)


def test_corrected_service_date_shifts_only_the_answer_deadline():
    changed, removed = changed_deadlines(BASE, replace(BASE, kfm_served_on=date(2026, 3, 12)))
    assert [(d.code, d.due_on) for d in changed] == [("answer", date(2026, 3, 23))]
    assert removed == []


def test_corrected_judgment_date_shifts_appeal_final_and_the_new_limitation_period():
    changed, removed = changed_deadlines(BASE, replace(BASE, judgment_on=date(2026, 6, 3)))
    # Preskriptionslag 7 §: a new ten-year period runs from the dom.
    assert [(d.code, d.due_on) for d in changed] == [("appeal", date(2026, 6, 24)), ("final", date(2026, 6, 25)),
                                                      ("limitation", date(2036, 6, 3))]
    assert removed == []
    assert all("judgment_on" in d.depends_on for d in changed)


def test_correction_that_lands_on_the_same_dates_changes_nothing():
    # 2026-05-29 + 3 weeks = midsommarafton -> 2026-06-22, the same last day as from 2026-06-01.
    # (Without a claim date: the new limitation period of 7 § runs from the dom's own date.)
    base = replace(BASE, claim_arose_on=None)
    assert changed_deadlines(base, replace(base, judgment_on=date(2026, 5, 29))) == ([], [])


def test_recording_an_appeal_removes_the_laga_kraft_date():
    assert changed_deadlines(BASE, replace(BASE, appealed=True)) == ([], ["final"])


def test_new_interruption_changes_only_limitation():
    base = replace(BASE, utslag_on=None, judgment_on=None)  # before any dom or utslag
    changed, removed = changed_deadlines(base, replace(base, limitation_interruptions=(date(2026, 2, 1),)))
    assert [d.code for d in changed] == ["limitation"]
    assert changed[0].due_on == date(2029, 2, 1)
    assert removed == []


def test_an_earlier_interruption_does_not_shorten_the_period_after_a_dom():
    changed, _ = changed_deadlines(BASE, replace(BASE, limitation_interruptions=(date(2026, 2, 1),)))
    assert changed == []  # the dom of 2026-06-01 governs: 2036-06-01


def test_new_fact_adds_and_cleared_fact_removes():
    changed, removed = changed_deadlines(BASE, replace(BASE, kfm_objection_notified_on=date(2026, 5, 29)))
    assert [d.code for d in changed] == ["transfer_request"] and removed == []
    changed, removed = changed_deadlines(BASE, replace(BASE, utslag_on=None))
    assert changed == [] and removed == ["utslag_appeal", "utslag_reopening"]
    assert changed_deadlines(BASE, BASE) == ([], [])


def _d(code: str, due_on: date) -> Deadline:
    return Deadline(code, code, due_on, "regel", ())


def test_due_soon_and_overdue_boundaries():
    today = date(2026, 6, 10)
    items = [_d("yesterday", date(2026, 6, 9)), _d("today", today), _d("in7", date(2026, 6, 17)),
             _d("in8", date(2026, 6, 18))]
    assert [d.code for d in due_soon(items, today, 7)] == ["today", "in7"]
    assert [d.code for d in due_soon(items, today, 0)] == ["today"]
    assert [d.code for d in overdue(items, today)] == ["yesterday"]
    with pytest.raises(ValueError):
        due_soon(items, today, -1)


def test_facts_reject_datetimes_and_accept_lists_of_interruptions():
    from datetime import datetime

    with pytest.raises(TypeError):
        CaseFacts(judgment_on=datetime(2026, 6, 1, 12, 0))
    facts = CaseFacts(claim_arose_on=date(2020, 1, 1), limitation_interruptions=[date(2021, 1, 1)])
    assert facts.limitation_interruptions == (date(2021, 1, 1),)
    hash(facts)  # frozen and hashable
