"""Money, optimistic locking and the audit log at the model level."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import StatementError
from sqlalchemy.orm.exc import StaleDataError

from app.audit.models import AuditEntry
from app.audit.services import acting_as, verify_chain
from app.cases.models import Case, ClaimLine
from app.extensions import db
from tests import factories


def test_money_is_exact_decimal_round_trip(world):
    line = factories.ClaimLineFactory(case=world.case_a, capital=Decimal("0.10") + Decimal("0.20"))
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(ClaimLine, line.id).capital
    assert stored == Decimal("0.30") and isinstance(stored, Decimal)
    assert db.session.execute(text("SELECT capital FROM claim_lines WHERE id=:i"), {"i": line.id}).scalar() == 30


def test_money_with_fractional_ore_is_refused(world):
    with pytest.raises(StatementError, match="två decimaler"):
        factories.ClaimLineFactory(case=world.case_a, capital=Decimal("1.005"))
        db.session.commit()
    db.session.rollback()


def test_version_bumps_and_stale_update_raises(world):
    case = world.case_a
    before = case.version
    case.creditor_reference = "X"
    db.session.commit()
    assert case.version == before + 1
    assert case.creditor_reference == "X"  # loaded: this session now holds version before + 1
    # someone else saves in between, on another connection
    with db.engine.begin() as other:
        other.execute(update(Case).where(Case.id == case.id).values(version=Case.version + 1))
    case.creditor_reference = "Y"
    with pytest.raises(StaleDataError):
        db.session.commit()
    db.session.rollback()


def test_every_change_is_audited_with_actor_and_before_after(world):
    with acting_as(world.jurist.id):
        world.case_a.creditor_reference = "NY-REF"
        db.session.commit()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "Case",
                                                        AuditEntry.action == "update")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.actor_id == world.jurist.id and entry.case_id == world.case_a.id
    assert entry.after == {"creditor_reference": "NY-REF"} and entry.before == {"creditor_reference": ""}


def test_password_hash_never_written_to_audit(world):
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "User")).first()
    assert entry.after["password_hash"] == "***"


def test_audit_chain_verifies_and_detects_tampering(world, app):
    assert verify_chain(db.session) == []
    victim = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id).offset(3)).first()
    db.session.execute(text("UPDATE audit_log SET after = :a WHERE id = :i"), {"a": '{"capital": "1.00"}', "i": victim.id})
    db.session.commit()
    problems = verify_chain(db.session)
    assert any(f"entry {victim.id}: content" in p for p in problems)

    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1


def test_audit_chain_detects_removed_entry(world):
    victim = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id).offset(2)).first()
    db.session.execute(text("DELETE FROM audit_log WHERE id = :i"), {"i": victim.id})
    db.session.commit()
    assert any("previous hash does not match" in p for p in verify_chain(db.session))


def test_each_view_of_a_debtors_personal_data_is_logged(world, as_user):
    client = as_user(world.jurist)
    client.get(f"/galdenarer/{world.case_a.debtor_id}")
    client.get(f"/arenden/{world.case_a.id}")
    views = db.session.execute(select(AuditEntry.entity_type, AuditEntry.entity_id, AuditEntry.actor_id,
                                      AuditEntry.case_id).where(AuditEntry.action == "view")).all()
    assert ("Debtor", world.case_a.debtor_id, world.jurist.id, None) in views
    assert ("Debtor", world.case_a.debtor_id, world.jurist.id, world.case_a.id) in views
    assert verify_chain(db.session) == []  # views are part of the tamper-evident chain
