"""Efterbevakning: long-term monitoring of debtors without means.

A periodic review (interval from app.law: ``monitoring_next_check``, by default every three
months) asks the jurist for a fresh ability-to-pay record when one is due, flags a record that
shows improvement (time for new enforcement), and warns well before the limitation date so that
limitation can be interrupted. Each warning is given once.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.cases.models import Case, TimelineEvent
from app.cases.services import record_event
from app.cases.status import CaseStatus
from app.debtors.models import Debtor
from app.extensions import db
from app.hearings.models import CaseDeadline, Notification
from app.law.deadlines import monitoring_next_check
from app.triage.models import AbilityRecord

CHECK_CODE = "monitoring_check"


@dataclass
class ReviewSummary:
    cases: int = 0
    checks_due: int = 0
    improved: int = 0
    limitation_warnings: int = 0


def improved(latest: AbilityRecord, previous: AbilityRecord) -> bool:
    """Better income, a better score, fewer payment remarks or new assets."""
    def more(a, b):
        return a is not None and (b is None or a > b)

    def fewer(a, b):
        return a is not None and b is not None and a < b

    return (more(latest.monthly_income, previous.monthly_income) or more(latest.score, previous.score)
            or more(latest.known_assets, previous.known_assets)
            or fewer(latest.payment_remarks, previous.payment_remarks))


def _monitoring_since(case: Case) -> date:
    """When the case last entered efterbevakning (else when it was last changed)."""
    event = db.session.scalar(
        select(TimelineEvent).where(TimelineEvent.case_id == case.id,
                                    TimelineEvent.kind.in_(("step:start_monitoring", "step:register_obstacle",
                                                            "triage")))
        .order_by(TimelineEvent.at.desc()).limit(1))
    return (event.at if event else case.updated_at).date()


def _notify(case: Case, message: str) -> None:
    if case.assigned_jurist_id is not None:
        db.session.add(Notification(user_id=case.assigned_jurist_id, case_id=case.id, message=message))


def review_monitoring(today: date, limitation_warning_days: int) -> ReviewSummary:
    summary = ReviewSummary()
    cases = db.session.scalars(
        select(Case).where(Case.status == CaseStatus.MONITORING).options(
            selectinload(Case.deadlines), selectinload(Case.debtor).selectinload(Debtor.ability_records))).all()
    for case in cases:
        summary.cases += 1
        records = case.debtor.ability_records  # newest first
        # From the latest ability-to-pay record; without one, from when monitoring began.
        last_check = records[0].recorded_on if records else _monitoring_since(case)
        due = monitoring_next_check(last_check)
        row = next((d for d in case.deadlines if d.code == CHECK_CODE), None)
        if row is None or row.due_on != due:
            if row is None:
                row = CaseDeadline(code=CHECK_CODE, label="Efterbevakning: ny kontroll av betalningsförmåga",
                                   due_on=due, source="Branschpraxis, app/law/data/time_limits.toml")
                case.deadlines.append(row)
            row.due_on, row.notified_on = due, None
        row.state, row.closed_by, row.closed_on = "open", "", None
        if due <= today and row.notified_on is None:
            row.notified_on = today
            summary.checks_due += 1
            _notify(case, f"{case.reference}: efterbevakning – begär ny kreditupplysning eller skuldsaldo "
                          f"(senaste uppgift {last_check}).")
        if len(records) >= 2 and improved(records[0], records[1]):
            marker = f"[uppgift #{records[0].id}]"
            seen = db.session.scalar(select(TimelineEvent.id).where(
                TimelineEvent.case_id == case.id, TimelineEvent.kind == "monitoring_improvement",
                TimelineEvent.message.contains(marker)))
            if seen is None:
                summary.improved += 1
                record_event(case, "monitoring_improvement",
                             f"Efterbevakning: betalningsförmågan har förbättrats {marker}; överväg ny "
                             f"ansökan om verkställighet.", None)
                _notify(case, f"{case.reference}: betalningsförmågan har förbättrats – överväg ny verkställighet.")
        limitation = next((d for d in case.deadlines if d.code == "limitation" and d.is_open), None)
        if limitation is not None and limitation.due_on - timedelta(days=limitation_warning_days) <= today:
            marker = f"[preskription {limitation.due_on}]"
            warned = db.session.scalar(select(TimelineEvent.id).where(
                TimelineEvent.case_id == case.id, TimelineEvent.kind == "monitoring_limitation",
                TimelineEvent.message.contains(marker)))
            if warned is not None:
                continue
            record_event(case, "monitoring_limitation", f"Efterbevakning: preskription närmar sig {marker}.", None)
            summary.limitation_warnings += 1
            _notify(case, f"{case.reference}: preskription inträder {limitation.due_on} – avbryt preskriptionen "
                          f"(t.ex. skriftligt krav som gäldenären tar emot, preskriptionslagen 5 §).")
    return summary
