"""Efterbevakning: periodic checks, improvement flagged, limitation warned in time — each once."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.cases.status import CaseStatus
from app.enforcement.services import review_monitoring
from app.extensions import db
from app.hearings.models import CaseDeadline, Notification
from app.hearings.services import refresh_deadlines
from app.law.deadlines import monitoring_next_check
from app.triage.kinds import AbilitySource
from app.triage.services import add_ability_record

TODAY = date(2026, 11, 23)


def _monitored(world, recorded_on: date):
    case = world.case_a
    case.status = CaseStatus.MONITORING
    case.assigned_jurist = world.jurist
    add_ability_record(case.debtor, None, source=AbilitySource.CREDIT_REPORT, recorded_on=recorded_on,
                       monthly_income=Decimal("0"), payment_remarks=6, kfm_debt_total=Decimal("90000"),
                       known_assets=Decimal("0"), score=10, note="")
    db.session.commit()
    return case


def messages(user) -> list[str]:
    return list(db.session.scalars(select(Notification.message).where(Notification.user_id == user.id)))


def test_a_check_is_asked_for_when_the_interval_has_passed_and_only_once(world):
    case = _monitored(world, recorded_on=TODAY - timedelta(days=200))
    summary = review_monitoring(TODAY, limitation_warning_days=180)
    assert summary.checks_due == 1
    check = db.session.scalar(select(CaseDeadline).where(CaseDeadline.case_id == case.id,
                                                         CaseDeadline.code == "monitoring_check"))
    assert check.due_on == monitoring_next_check(TODAY - timedelta(days=200))
    assert any("begär ny kreditupplysning" in m for m in messages(world.jurist))
    assert review_monitoring(TODAY, 180).checks_due == 0


def test_no_check_before_the_interval(world):
    _monitored(world, recorded_on=TODAY - timedelta(days=10))
    assert review_monitoring(TODAY, 180).checks_due == 0


def test_improved_ability_is_flagged_for_new_enforcement_once(world):
    case = _monitored(world, recorded_on=TODAY - timedelta(days=120))
    add_ability_record(case.debtor, None, source=AbilitySource.CREDIT_REPORT, recorded_on=TODAY,
                       monthly_income=Decimal("31000"), payment_remarks=2, kfm_debt_total=Decimal("40000"),
                       known_assets=Decimal("0"), score=55, note="")
    db.session.commit()
    assert review_monitoring(TODAY, 180).improved == 1
    assert any("förbättrats" in m for m in messages(world.jurist))
    assert review_monitoring(TODAY, 180).improved == 0


def test_limitation_is_warned_well_before_it_runs_out(world):
    case = _monitored(world, recorded_on=TODAY)
    refresh_deadlines(case)
    limitation = next(d for d in case.deadlines if d.code == "limitation")
    db.session.commit()
    early = limitation.due_on - timedelta(days=181)
    assert review_monitoring(early, 180).limitation_warnings == 0
    assert review_monitoring(early + timedelta(days=1), 180).limitation_warnings == 1
    assert any("preskription inträder" in m for m in messages(world.jurist))
    assert review_monitoring(early + timedelta(days=2), 180).limitation_warnings == 0
