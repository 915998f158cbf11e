"""Retention (gallring): closed cases lose their personal data, bookkeeping stays, then goes."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.audit.services import PERSONAL_MARKER, acting_as, verify_chain
from app.cases.models import Case, Objection, TimelineEvent
from app.cases.services import record_event
from app.cases.status import CaseStatus
from app.core import storage
from app.core.uploads import check_upload
from app.debtors.models import Debtor
from app.documents.models import BulkJob, GeneratedDocument, JobStatus
from app.documents.services import generate
from app.enforcement.models import Payment, PaymentSource
from app.extensions import db
from app.hearings.models import Hearing, HearingKind, Notification, Outcome, OutcomeKind
from app.law.deadlines import add_months
from app.portal.models import CreditorDecision
from app.retention.models import RetentionRun
from app.retention.services import ANONYMOUS_DEBTOR, REMOVED, anonymise_cut_off, run_retention
from app.triage.kinds import AbilitySource, EvidenceKind, OptionKind
from app.triage.models import AbilityRecord, Evidence, InvestigationStep, IssueGroup, StepKind, TriageDecision
from app.triage.services import add_evidence, add_investigation_step
from tests import factories

ON = date(2026, 11, 23)
MONTHS = 36  # closed on or before 2023-11-23 → anonymised


def _close(case: Case, closed_on: date, status: CaseStatus = CaseStatus.PAID) -> None:
    case.status = status  # the attribute event sets closed_on to today…
    case.closed_on = closed_on  # …and the test moves it into the past


def _debtor(name: str) -> Debtor:
    return factories.DebtorFactory(name=name, street="Hemlighetsvägen 12", postal_code="123 45", city="Gnesta",
                                   phone="070-123 45 67", email="hemlig@example.se", registered_municipality="Gnesta")


def _full_case(debtor: Debtor, jurist, reference: str, closed_on: date) -> Case:
    """A case with something in every place personal data can hide, then closed on ``closed_on``."""
    name = debtor.name
    case = factories.CaseFactory(debtor=debtor, reference=reference, description=f"{name} ringde om fakturan.")
    line = factories.ClaimLineFactory(case=case, invoice_number=f"F-{reference}", capital=Decimal("4200.00"),
                                      invoice_date=date(2023, 1, 10), due_date=date(2023, 2, 9))
    objection = factories.ObjectionFactory(case=case, text=f"Jag, {name}, har redan betalat.")
    add_investigation_step(objection, jurist, kind=StepKind.DEBTOR_ANSWERED, on=date(2023, 3, 1),
                           note=f"{name} skickade kontoutdrag.")
    add_evidence(case, jurist, kind=EvidenceKind.INVOICE, title=f"Kvitto från {name}", dated=date(2023, 1, 10),
                 proves="Att betalning skett.", claim_line_ids=[line.id],
                 upload=check_upload(b"%PDF-1.7 kvitto", "kvitto.pdf"))
    generate(case, "forlikning", date(2023, 4, 1), jurist)
    record_event(case, "created", f"Ärendet registrerades mot {name}.", jurist)
    case.payments.append(Payment(paid_on=closed_on, amount=Decimal("1000.00"), source=PaymentSource.DEBTOR,
                                 note=f"Inbetalning från {name}"))
    case.hearings.append(Hearing(kind=HearingKind.MAIN, starts_at=datetime(2023, 4, 20, 9, tzinfo=timezone.utc),
                                 court="Södertörns tingsrätt", attendees=f"{name} med ombud"))
    case.outcomes.append(Outcome(kind=OutcomeKind.JUDGMENT, decided_on=date(2023, 4, 28),
                                 awarded_capital=Decimal("4200.00"), note=f"{name} uteblev."))
    case.triage_decisions.append(TriageDecision(recommended=OptionKind.SUMMONS_SIMPLIFIED,
                                                chosen=OptionKind.SETTLEMENT, expected_net=Decimal("100.00"),
                                                override_reason=f"{name} är sjukskriven.", snapshot={}))
    db.session.add(CreditorDecision(case=case, approved=True, comment=f"Stäm {name}."))
    db.session.add(Notification(user_id=jurist.id, case=case, message=f"{reference}: {name} har hört av sig."))
    db.session.add(AbilityRecord(debtor=debtor, recorded_on=date(2023, 2, 1), source=AbilitySource.OWN_DATA,
                                 monthly_income=Decimal("23000.00"), note=f"{name} är arbetslös."))
    db.session.flush()
    _close(case, closed_on)
    db.session.flush()
    return case


def _bulk_zip(cases: list[Case]) -> BulkJob:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for case in cases:
            archive.writestr(f"{case.reference}.docx", f"{case.debtor.name} {case.debtor.identity_number}")
    job = BulkJob(kind="forlikning", case_ids=[c.id for c in cases], filing_date=date(2023, 4, 1),
                  status=JobStatus.DONE, total=len(cases), done=len(cases),
                  zip_stored_name=storage.store(buffer.getvalue(), area="bulk", extension="zip"))
    db.session.add(job)
    db.session.flush()
    return job


class Scene:
    """old: closed 2023-06 (past the cut-off), the debtor's only case;
    recent: closed 2025-10 (within the period); shared: an old closed case whose debtor has an open one;
    ancient: closed 2017 (bookkeeping period over 2024-12-31); late_payment: closed 2018-12 but paid 2019-01
    (bookkeeping through 2026-12-31, so kept)."""

    def __init__(self):
        self.jurist = factories.UserFactory(role="jurist")
        self.old_debtor = _debtor("Olle Gammalsson")
        self.old_pnr = self.old_debtor.identity_number
        self.old = _full_case(self.old_debtor, self.jurist, "G-0001", date(2023, 6, 30))
        self.recent_debtor = _debtor("Rut Nyberg")
        self.recent = _full_case(self.recent_debtor, self.jurist, "G-0002", date(2025, 10, 1))
        self.shared_debtor = _debtor("Sam Delad")
        self.shared_old = _full_case(self.shared_debtor, self.jurist, "G-0003", date(2022, 1, 15))
        self.shared_open = factories.CaseFactory(debtor=self.shared_debtor, reference="G-0004")
        self.ancient_debtor = _debtor("Agda Forntid")
        self.ancient = _full_case(self.ancient_debtor, self.jurist, "G-0005", date(2017, 3, 1))
        self.late_debtor = _debtor("Lars Sentid")
        self.late_payment = _full_case(self.late_debtor, self.jurist, "G-0006", date(2018, 12, 20))
        self.late_payment.payments.append(Payment(paid_on=date(2019, 1, 15), amount=Decimal("5.00"),
                                                  source=PaymentSource.KRONOFOGDEN))
        self.group = IssueGroup(name="Villkor 9", question="Gäller villkoret?", test_case=self.ancient)
        db.session.add(self.group)
        self.old_job = _bulk_zip([self.old, self.recent])
        self.recent_job = _bulk_zip([self.recent])
        db.session.commit()
        self.old_files = [e.stored_name for e in self.old.evidence] + [d.stored_name for d in self.old.documents]
        self.recent_files = ([e.stored_name for e in self.recent.evidence]
                             + [d.stored_name for d in self.recent.documents])
        self.old_zip = self.old_job.zip_stored_name
        self.recent_zip = self.recent_job.zip_stored_name


@pytest.fixture
def scene():
    return Scene()


def _run(on: date = ON, *, dry_run: bool = False) -> RetentionRun:
    run = run_retention(on, MONTHS, None, dry_run=dry_run)
    db.session.commit()
    db.session.expire_all()
    return run


def _exists(stored_name: str) -> bool:
    return storage.path_of(stored_name).exists()


def _state() -> dict:
    """Everything retention may change, as plain values (to show that nothing changed)."""
    tables = (Case, Debtor, Objection, InvestigationStep, Evidence, GeneratedDocument, Payment, Hearing, Outcome,
              TriageDecision, CreditorDecision, Notification, AbilityRecord, TimelineEvent, BulkJob, IssueGroup)
    out = {}
    for model in tables:
        rows = db.session.scalars(select(model).order_by(model.id)).all()
        out[model.__name__] = [{c.key: getattr(r, c.key) for c in model.__table__.columns} for r in rows]
    return out


# --- The cut-off --------------------------------------------------------------------------

@pytest.mark.parametrize("months", [1, 12, 36])
def test_cut_off_is_the_last_closing_day_whose_period_has_passed(months):
    for on in (date(2026, 11, 23), date(2025, 2, 28), date(2024, 2, 29), date(2026, 3, 31), date(2026, 3, 30),
               date(2026, 5, 1)):
        cut_off = anonymise_cut_off(on, months)
        assert add_months(cut_off, months) <= on
        assert add_months(cut_off + timedelta(days=1), months) > on, (on, months, cut_off)


# --- Phase 1: anonymise -----------------------------------------------------------------------

def test_closed_case_past_the_cut_off_loses_personal_data_but_keeps_bookkeeping(scene):
    _run()
    case = db.session.get(Case, scene.old.id)
    assert case.anonymised_on == ON and case.closed_on == date(2023, 6, 30) and case.status == CaseStatus.PAID
    # the bookkeeping side stays
    assert case.reference == "G-0001" and case.total_capital == Decimal("4200.00")
    assert [(line.invoice_number, line.capital) for line in case.claim_lines] == [("F-G-0001", Decimal("4200.00"))]
    assert [(p.paid_on, p.amount, p.source) for p in case.payments] == [
        (date(2023, 6, 30), Decimal("1000.00"), PaymentSource.DEBTOR)]
    assert [(o.decided_on, o.awarded_capital) for o in case.outcomes] == [(date(2023, 4, 28), Decimal("4200.00"))]
    # the debtor is anonymised
    debtor = db.session.get(Debtor, scene.old_debtor.id)
    assert debtor.name == ANONYMOUS_DEBTOR and debtor.identity_number == f"anon-{debtor.id}"
    assert (debtor.street, debtor.postal_code, debtor.city, debtor.phone, debtor.email,
            debtor.registered_municipality) == ("", "", "", "", "", "")
    assert debtor.anonymised_on == ON and debtor.ability_records == []
    # free text is gone
    assert case.description == REMOVED
    assert [o.text for o in case.objections] == [REMOVED]
    assert [s.note for o in case.objections for s in o.steps] == [REMOVED]
    assert [h.attendees for h in case.hearings] == [REMOVED] and [o.note for o in case.outcomes] == [REMOVED]
    assert [d.override_reason for d in case.triage_decisions] == [REMOVED]
    assert [p.note for p in case.payments] == [REMOVED]
    assert db.session.scalar(select(CreditorDecision.comment).where(CreditorDecision.case_id == case.id)) == REMOVED
    assert db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.case_id == case.id)) == 0
    assert "Olle" not in " ".join(e.message for e in case.timeline)
    assert any(e.kind == "retention" for e in case.timeline)
    # evidence, generated documents and the bulk zip that held the case are gone, from disk too
    assert case.evidence == [] and case.documents == []
    assert not any(_exists(name) for name in scene.old_files) and not _exists(scene.old_zip)
    assert db.session.get(BulkJob, scene.old_job.id).zip_stored_name is None


def test_a_recently_closed_case_is_untouched(scene):
    before = {k: [r for r in rows if r.get("case_id", r.get("id")) == scene.recent.id]
              for k, rows in _state().items() if k in ("Case", "Objection", "Payment", "Evidence")}
    _run()
    after = {k: [r for r in rows if r.get("case_id", r.get("id")) == scene.recent.id]
             for k, rows in _state().items() if k in ("Case", "Objection", "Payment", "Evidence")}
    assert after == before
    case = db.session.get(Case, scene.recent.id)
    assert case.anonymised_on is None and case.description.startswith("Rut Nyberg")
    assert db.session.get(Debtor, scene.recent_debtor.id).name == "Rut Nyberg"
    assert all(_exists(name) for name in scene.recent_files) and _exists(scene.recent_zip)


def test_a_debtor_with_another_open_case_keeps_their_data(scene):
    _run()
    assert db.session.get(Case, scene.shared_old.id).anonymised_on == ON  # the old case itself is anonymised
    debtor = db.session.get(Debtor, scene.shared_debtor.id)
    assert debtor.name == "Sam Delad" and debtor.street == "Hemlighetsvägen 12" and debtor.anonymised_on is None
    assert len(debtor.ability_records) == 1
    # once the other case is closed long enough, the debtor goes too
    open_case = db.session.get(Case, scene.shared_open.id)
    _close(open_case, date(2023, 1, 1), CaseStatus.WITHDRAWN)
    db.session.commit()
    run = _run()
    assert run.debtors_anonymised == 1 and db.session.get(Debtor, scene.shared_debtor.id).name == ANONYMOUS_DEBTOR


def test_an_anonymised_case_still_opens(scene, as_user):
    _run()
    client = as_user(scene.jurist)
    html = client.get(f"/arenden/{scene.old.id}").get_data(as_text=True)
    assert ANONYMOUS_DEBTOR in html and "G-0001" in html and "Olle" not in html
    assert client.get(f"/galdenarer/{scene.old_debtor.id}").status_code == 200


# --- Phase 2: delete after the bookkeeping period ----------------------------------------------

def test_a_case_past_the_bookkeeping_period_is_deleted_with_its_debtor(scene):
    ancient_id, debtor_id, group_id = scene.ancient.id, scene.ancient_debtor.id, scene.group.id
    files = [e.stored_name for e in scene.ancient.evidence] + [d.stored_name for d in scene.ancient.documents]
    _run()
    assert db.session.get(Case, ancient_id) is None and db.session.get(Debtor, debtor_id) is None
    for model in (Payment, Objection, TimelineEvent, Evidence, GeneratedDocument, CreditorDecision, Notification):
        assert db.session.scalar(select(func.count()).select_from(model).where(model.case_id == ancient_id)) == 0
    assert not any(_exists(name) for name in files)
    group = db.session.get(IssueGroup, group_id)
    assert group is not None and group.test_case_id is None
    # closed 2018, but paid 2019: kept through 2026-12-31, so still there (anonymised)
    late = db.session.get(Case, scene.late_payment.id)
    assert late is not None and late.anonymised_on == ON
    assert [p.amount for p in late.payments] == [Decimal("1000.00"), Decimal("5.00")]
    # … and deleted by the first run of 2027
    run = _run(date(2027, 1, 1))
    assert run.cases_deleted == 1 and db.session.get(Case, scene.late_payment.id) is None


# --- Accountability --------------------------------------------------------------------------

def test_the_audit_log_holds_no_personal_data_and_the_chain_stays_intact(scene):
    _run()
    dump = json.dumps([(e.before, e.after) for e in db.session.scalars(select(AuditEntry))], ensure_ascii=False)
    for secret in ("Olle", "Gammalsson", scene.old_pnr, scene.old_pnr.replace("-", ""), "Hemlighetsvägen",
                   "hemlig@example.se", "070-123 45 67", "sjukskriven", "arbetslös", "23000"):
        assert secret not in dump, secret
    assert PERSONAL_MARKER in dump  # the log still says which fields changed
    assert verify_chain(db.session) == []


def test_a_normal_edit_is_audited_without_the_values_of_personal_fields(scene):
    with acting_as(scene.jurist.id):
        debtor = db.session.get(Debtor, scene.recent_debtor.id)
        debtor.city = "Ystad"
        debtor.phone = ""
        db.session.commit()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "Debtor",
                                                        AuditEntry.action == "update")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.actor_id == scene.jurist.id
    assert entry.before == {"city": PERSONAL_MARKER, "phone": PERSONAL_MARKER}
    assert entry.after == {"city": PERSONAL_MARKER, "phone": ""}  # that it was emptied is no personal data


def test_the_run_is_logged_with_counts_and_references(scene):
    run = _run()
    assert (run.run_on, run.dry_run, run.anonymise_closed_before) == (ON, False, date(2023, 11, 23))
    # old, shared_old, ancient, late_payment; debtors: old, ancient, late (shared keeps an open case)
    assert (run.cases_anonymised, run.debtors_anonymised, run.cases_deleted) == (4, 3, 1)
    # evidence + document for each of the four cases, and the one zip that held the old case
    assert run.files_removed == 4 * 2 + 1
    assert run.details["anonymised_cases"] == ["G-0001", "G-0003", "G-0005", "G-0006"]
    assert run.details["deleted_cases"] == ["G-0005"]
    assert run.details["deleted_debtor_ids"] == [scene.ancient_debtor.id]
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_type == "RetentionRun")).one()
    assert entry.after["cases_anonymised"] == 4


def test_running_twice_changes_nothing_the_second_time(scene):
    _run()
    state = _state()
    audit_count = db.session.scalar(select(func.count()).select_from(AuditEntry))
    second = _run()
    assert (second.cases_anonymised, second.debtors_anonymised, second.files_removed, second.cases_deleted) == (0, 0, 0, 0)
    assert _state() == state
    # the only new audit entry is the second run's own log row
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audit_count + 1


def test_a_dry_run_changes_nothing_and_counts_what_a_run_would_do(scene):
    state = _state()
    dry = _run(dry_run=True)
    assert _state() == state
    assert all(_exists(name) for name in scene.old_files) and _exists(scene.old_zip)
    real = _run()
    assert dry.dry_run and not real.dry_run
    assert ((dry.cases_anonymised, dry.debtors_anonymised, dry.files_removed, dry.cases_deleted, dry.details)
            == (real.cases_anonymised, real.debtors_anonymised, real.files_removed, real.cases_deleted, real.details))


# --- Entry points ------------------------------------------------------------------------------

def test_the_cli_prints_a_swedish_summary(scene, app):
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "run", "--dry-run", "--on", "2026-11-23"])
    assert dry.exit_code == 0, dry.output
    assert "Provkörning" in dry.output and "Ärenden som skulle anonymiseras: 4" in dry.output
    db.session.expire_all()
    assert db.session.get(Debtor, scene.old_debtor.id).name == "Olle Gammalsson"
    result = runner.invoke(args=["retention", "run", "--on", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert "Gallring klar: 2026-11-23, ärenden avslutade senast 2023-11-23." in result.output
    assert "Ärenden som har anonymiserats: 4" in result.output
    assert "Ärenden som har raderats (bokföringstiden har löpt ut): 1" in result.output
    assert "G-0001" in result.output
    db.session.expire_all()
    assert db.session.get(Debtor, scene.old_debtor.id).name == ANONYMOUS_DEBTOR


def test_admins_see_the_runs(scene, as_user):
    _run(dry_run=True)
    _run()
    admin = factories.UserFactory(role="admin")
    db.session.commit()
    html = as_user(admin).get("/admin/gallring/").get_data(as_text=True)
    assert "Provkörning" in html and "2023-11-23" in html
    assert html.index("Gallring</td>") < html.index("Provkörning</td>")  # newest first


@pytest.mark.worker
def test_the_nightly_task_runs_in_the_worker(scene, worker):
    task = worker.tasks["retention.run"]
    first = task.delay("2026-11-23").get(timeout=90)
    assert first["cases_anonymised"] == 4 and first["cases_deleted"] == 1, worker.log_path.read_text()[-3000:]
    db.session.expire_all()
    assert db.session.get(Debtor, scene.old_debtor.id).name == ANONYMOUS_DEBTOR
    assert not _exists(scene.old_zip)
    second = task.delay("2026-11-23").get(timeout=90)
    assert (second["cases_anonymised"], second["files_removed"], second["cases_deleted"]) == (0, 0, 0)
