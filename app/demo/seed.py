"""Demo data: three creditors, jurists, creditor users and ~200 realistic contested claims.

Deterministic (a fixed random seed) so that screenshots and manual tests are repeatable.
Identity numbers have valid check digits but are generated; they are demo data only.
"""
from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import click
from sqlalchemy import func, select
from stdnum import luhn

from app.auth.models import Role, User
from app.auth.services import create_user
from app.cases import services
from app.cases.models import Case, ObjectionCategory, ObjectionChannel
from app.cases.status import CaseStatus
from app.creditors.models import Creditor
from app.debtors.models import Debtor
from app.extensions import db
from app.triage import services as triage_services
from app.triage.kinds import AbilitySource, EvidenceKind
from app.triage.models import IssueGroup

DEMO_PASSWORD = "tvist-demo-2026"

CREDITORS = [
    ("Fjällkraft Elhandel AB", "556677-8899", "Karin Holm", "Stockholm", "111 52", "Vasagatan 12"),
    ("Mälardalens Bygg & Montage AB", "556123-4567", "Jonas Ek", "Västerås", "722 15", "Kopparbergsvägen 8"),
    ("Café Ésprit i Göteborg AB", "559012-3450", "Lina Öberg", "Göteborg", "411 05", "Kungsportsavenyen 3"),
]
JURISTS = [("Anna Lindqvist", "anna.lindqvist"), ("Erik Åström", "erik.astrom"), ("Sofia Nyström", "sofia.nystrom")]
CREDITOR_USERS = [(0, "Karin Holm", "karin.holm@fjallkraft.test"), (1, "Jonas Ek", "jonas.ek@malardalensbygg.test")]

FIRST = ["Anders", "Maria", "Johan", "Eva", "Karl", "Sara", "Lars", "Emma", "Mikael", "Åsa", "Björn", "Ingrid",
         "Per", "Linnéa", "Göran", "Elin", "Nils", "Ebba", "Hélène", "Örjan"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson",
        "Gustafsson", "Pettersson", "Jönsson", "Lindström", "Bergström", "Åkesson", "Öhman", "Sjögren", "Wikén"]
COMPANIES = ['Bygg & Söner <AB> "Nord"', "Café Åström & Co", 'Måleri "Färg & Form" i Umeå AB',
             "Müller & Lindé Handelsbolag", "Öresunds Transport <Syd> AB", "Élan Frisör & Spa AB",
             "Norrlands Fastighetsservice AB", "Småländska Snickeri & Trä AB", "Gävle Hamnkiosk HB",
             "Lundqvist & Dotter Redovisning AB", "Västkustens Fisk AB", "Ängby Bilverkstad AB"]
PLACES = [("Stockholm", "Stockholm", "114"), ("Göteborg", "Göteborg", "413"), ("Malmö", "Malmö", "211"),
          ("Uppsala", "Uppsala", "753"), ("Västerås", "Västerås", "722"), ("Örebro", "Örebro", "702"),
          ("Linköping", "Linköping", "582"), ("Umeå", "Umeå", "903"), ("Luleå", "Luleå", "972"),
          ("Jönköping", "Jönköping", "553"), ("Gävle", "Gävle", "803"), ("Sundsvall", "Sundsvall", "852")]
STREETS = ["Storgatan", "Kungsgatan", "Drottninggatan", "Skolgatan", "Järnvägsgatan", "Ringvägen", "Björkvägen",
           "Ängsvägen", "Sjövägen", "Kyrkogatan"]
WHAT = {
    "Fjällkraft Elhandel AB": ["Elförbrukning {m}", "Fast avgift elavtal {m}", "Slutfaktura elavtal"],
    "Mälardalens Bygg & Montage AB": ["Badrumsrenovering, etapp {n}", "Takomläggning", "Fönsterbyte, material och arbete"],
    "Café Ésprit i Göteborg AB": ["Catering personalfest", "Konferensfika {m}", "Tårtbeställning"],
}
OBJECTION_TEXT = {
    ObjectionCategory.ALREADY_PAID: "Gäldenären uppger att fakturan betalades via internetbank i förfallomånaden.",
    ObjectionCategory.DEFECTIVE: "Arbetet var bristfälligt utfört och har fått åtgärdas av annan firma.",
    ObjectionCategory.NOT_ORDERED: "Gäldenären har aldrig beställt tjänsten och känner inte till avtalet.",
    ObjectionCategory.WRONG_AMOUNT: "Det avtalade priset var lägre än det fakturerade beloppet.",
    ObjectionCategory.LIMITATION: "Gäldenären gör gällande att fordran är preskriberad.",
    ObjectionCategory.IDENTITY: "Gäldenären uppger att någon annan använt hans/hennes identitet vid beställningen.",
    ObjectionCategory.SETOFF: "Gäldenären kvittar med en motfordran för skadestånd p.g.a. försenad leverans.",
    ObjectionCategory.OTHER: "Gäldenären bestrider utan att närmare ange skäl.",
}
STATUS_MIX = ([CaseStatus.DISPUTED] * 10 + [CaseStatus.INVESTIGATING] * 5 + [CaseStatus.PAYMENT_ORDER] * 2
              + [CaseStatus.KFM_DISPUTED] * 2 + [CaseStatus.SUMMONS, CaseStatus.PREPARATION, CaseStatus.HEARING,
                 CaseStatus.JUDGMENT, CaseStatus.FINAL, CaseStatus.ENFORCEMENT, CaseStatus.MONITORING,
                 CaseStatus.SETTLEMENT, CaseStatus.PAID, CaseStatus.WRITTEN_OFF])


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count(User.id)))


def personal_number(rng: random.Random, used: set[str]) -> str:
    while True:
        birth = date(1945, 1, 1) + timedelta(days=rng.randrange(0, 365 * 57))
        serial = f"{rng.randrange(0, 1000):03d}"
        body = birth.strftime("%y%m%d") + serial
        value = f"{birth:%Y%m%d}-{serial}{luhn.calc_check_digit(body)}"
        if value not in used:
            used.add(value)
            return value


def org_number(rng: random.Random, used: set[str]) -> str:
    while True:
        body = f"55{rng.randrange(6, 10)}{rng.randrange(0, 1000000):06d}"
        value = f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"
        if value not in used:
            used.add(value)
            return value


def _debtor(rng: random.Random, used: set[str], *, company_name: str | None) -> Debtor:
    city, municipality, zip3 = rng.choice(PLACES)
    is_company = company_name is not None
    name = company_name or f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    local = name.lower().split()[0].translate(str.maketrans("åäöéü", "aaoeu"))
    return Debtor(
        is_company=is_company, name=name,
        identity_number=org_number(rng, used) if is_company else personal_number(rng, used),
        street=f"{rng.choice(STREETS)} {rng.randrange(1, 80)}", postal_code=f"{zip3} {rng.randrange(10, 99)}",
        city=city, phone=f"07{rng.randrange(0, 10)}-{rng.randrange(100, 999)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}",
        email=f"{local}{rng.randrange(1, 99)}@exempel.se" if rng.random() < 0.7 else "",
        registered_municipality=municipality,
    )


def _amount(rng: random.Random) -> Decimal:
    """A spread that puts cases below, around and above half a prisbasbelopp."""
    band = rng.random()
    if band < 0.45:
        kronor = rng.uniform(350, 9000)
    elif band < 0.75:
        kronor = rng.uniform(9000, 32000)
    else:
        kronor = rng.uniform(32000, 420000)
    return Decimal(f"{kronor:.2f}")


def seed(n_cases: int = 200, today: date | None = None) -> dict:
    rng = random.Random(20261122)
    today = today or date.today()
    admin = create_user(email="admin@tvist.test", name="Alva Admin", password=DEMO_PASSWORD, role=Role.ADMIN)
    jurists = [create_user(email=f"{login}@tvist.test", name=name, password=DEMO_PASSWORD, role=Role.JURIST)
               for name, login in JURISTS]
    creditors = []
    for name, orgnr, contact, city, zip_code, street in CREDITORS:
        creditor = Creditor(name=name, org_number=orgnr, contact_name=contact,
                            contact_email=f"{contact.split()[0].lower()}@{name.split()[0].lower()}.test",
                            contact_phone="08-123 456 78", street=street, postal_code=zip_code, city=city,
                            bankgiro=f"{rng.randrange(100, 999)}-{rng.randrange(1000, 9999)}")
        db.session.add(creditor)
        creditors.append(creditor)
    # The creditor without portal users has agreed that the agency may go to court without asking
    # up to 500 000 kr (an admin's setting, Fordringsägare → Ändra).
    creditors[2].approval_not_required_up_to = Decimal("500000.00")
    db.session.flush()
    for index, name, email in CREDITOR_USERS:
        create_user(email=email, name=name, password=DEMO_PASSWORD, role=Role.CREDITOR,
                    creditor_id=creditors[index].id)

    used: set[str] = set()
    debtors = [_debtor(rng, used, company_name=c) for c in COMPANIES]
    debtors += [_debtor(rng, used, company_name=None) for _ in range(max(20, n_cases * 2 // 3))]
    db.session.add_all(debtors)
    db.session.flush()

    categories = list(ObjectionCategory)
    for i in range(n_cases):
        creditor = creditors[i % len(creditors)]
        debtor = debtors[i] if i < len(COMPANIES) else rng.choice(debtors)
        case = services.create_case(
            creditor=creditor, debtor=debtor, actor=None, reference=f"DEMO-{i + 1:04d}",
            creditor_reference=f"{creditor.name[:3].upper()}-{rng.randrange(10000, 99999)}",
            consumer_claim=not debtor.is_company, reminder_fee_agreed=rng.random() < 0.5,
            description="", assigned_jurist_id=rng.choice(jurists).id if rng.random() < 0.8 else None,
        )
        invoice_date = today - timedelta(days=rng.randrange(60, 900))
        for n in range(rng.choice((1, 1, 1, 2, 3))):
            line_date = invoice_date + timedelta(days=30 * n)
            what = rng.choice(WHAT[creditor.name]).format(m=line_date.strftime("%Y-%m"), n=n + 1)
            services.add_claim_line(case, None, invoice_number=f"{rng.randrange(100000, 999999)}",
                                    invoice_date=line_date, due_date=line_date + timedelta(days=30),
                                    capital=_amount(rng), description=what)
        category = categories[i % len(categories)]
        received = min(today, invoice_date + timedelta(days=rng.randrange(45, 120)))
        services.register_objection(case, None, received_on=received,
                                    channel=rng.choice(list(ObjectionChannel)), category=category,
                                    text=OBJECTION_TEXT[category])
        _evidence(rng, case, invoice_date)
        case.status = rng.choice(STATUS_MIX)
        _course_facts(rng, case, today)
    for debtor in debtors:
        if rng.random() < 0.7:
            _ability(rng, debtor, today)
    _test_case_group(rng, creditors[0])
    db.session.flush()
    triage_services.refresh_summaries([c.id for c in db.session.scalars(select(Case))], today)
    db.session.commit()
    return {"creditors": len(creditors), "jurists": len(jurists), "debtors": len(debtors), "cases": n_cases,
            "admin": admin.email}


def _evidence(rng: random.Random, case: Case, invoice_date: date) -> None:
    line_ids = [line.id for line in case.claim_lines]
    triage_services.add_evidence(case, None, kind=EvidenceKind.INVOICE, title="Fakturakopior", dated=invoice_date,
                                 proves="Att fordringarna fakturerats med angivna belopp och förfallodagar.",
                                 claim_line_ids=line_ids, upload=None)
    extra = [(0.5, EvidenceKind.CONTRACT, "Avtal", "Att avtal ingåtts om priset och villkoren."),
             (0.4, EvidenceKind.DELIVERY_PROOF, "Leveransbekräftelse", "Att varan/tjänsten levererats."),
             (0.3, EvidenceKind.CORRESPONDENCE, "E-postväxling", "Att gäldenären vidgått skulden.")]
    for chance, kind, title, proves in extra:
        if rng.random() < chance:
            triage_services.add_evidence(case, None, kind=kind, title=title, proves=proves,
                                         dated=invoice_date - timedelta(days=rng.randrange(0, 60)),
                                         claim_line_ids=line_ids, upload=None)


def _course_facts(rng: random.Random, case: Case, today: date) -> None:
    """Facts that later stages have: Kronofogden numbers and notices, a dom and its amounts."""
    from app.hearings.models import Outcome, OutcomeKind
    from app.hearings.services import court_of, refresh_deadlines

    at_kfm = {CaseStatus.PAYMENT_ORDER, CaseStatus.KFM_DISPUTED, CaseStatus.UTSLAG}
    judged = {CaseStatus.JUDGMENT, CaseStatus.FINAL, CaseStatus.ENFORCEMENT, CaseStatus.MONITORING}
    if case.status in at_kfm:
        case.kfm_case_number = f"12-{rng.randrange(100000, 999999)}-{today:%y}"
        case.kfm_served_on = today - timedelta(days=rng.randrange(15, 40))
    if case.status == CaseStatus.KFM_DISPUTED:
        case.kfm_objection_notified_on = today - timedelta(days=rng.randrange(2, 20))
    if case.status == CaseStatus.UTSLAG:
        case.utslag_on = today - timedelta(days=rng.randrange(5, 60))
        case.outcomes.append(Outcome(kind=OutcomeKind.UTSLAG, decided_on=case.utslag_on,
                                     authority="Kronofogdemyndigheten", case_number=case.kfm_case_number,
                                     awarded_capital=case.total_capital))
    last_due = max(line.due_date for line in case.claim_lines)
    filed = min(today - timedelta(days=3), last_due + timedelta(days=rng.randrange(10, 40)))
    if case.status in at_kfm | {CaseStatus.TRANSFERRED}:
        _filed(case, "payment_order", min(filed, case.kfm_served_on or filed), "Kronofogdemyndigheten")
    if case.status in judged | {CaseStatus.PREPARATION, CaseStatus.HEARING, CaseStatus.SUMMONS}:
        case.court_case_number = f"T {rng.randrange(1000, 9999)}-{today:%y}"
        _filed(case, "summons", filed, court_of(case))
    if case.status in judged:
        judged_on = min(today - timedelta(days=1), filed + timedelta(days=rng.randrange(20, 120)))
        case.judgment_on = judged_on
        due = min(line.due_date for line in case.claim_lines)
        case.outcomes.append(Outcome(kind=OutcomeKind.JUDGMENT, decided_on=judged_on, authority=court_of(case),
                                     case_number=case.court_case_number, awarded_capital=case.total_capital,
                                     interest_from=due, awarded_costs=Decimal(rng.choice((1800, 2800, 9500)))))
    refresh_deadlines(case)


def _filed(case: Case, kind: str, on: date, court: str) -> None:
    """What the demo case's filing fixed when it was given in (as the filing step records it)."""
    from dataclasses import asdict

    from app.facts.builder import case_facts
    from app.facts.filing import fix_filing
    from app.hearings.models import FilingRecord

    case.filing_records.append(FilingRecord(**asdict(fix_filing(case_facts(case), kind, on, court))))
    case.limitation_interruptions = sorted({*(case.limitation_interruptions or []), on.isoformat()})


def _ability(rng: random.Random, debtor: Debtor, today: date) -> None:
    solvent = rng.random() < 0.55
    triage_services.add_ability_record(
        debtor, None, source=rng.choice(list(AbilitySource)),
        recorded_on=today - timedelta(days=rng.randrange(5, 400)),
        monthly_income=Decimal(rng.randrange(22000, 65000) if solvent else rng.randrange(0, 14000)),
        payment_remarks=0 if solvent else rng.randrange(1, 12),
        kfm_debt_total=Decimal(0 if solvent else rng.randrange(5000, 400000)),
        known_assets=Decimal(rng.randrange(0, 900000) if solvent else 0),
        score=rng.randrange(60, 98) if solvent else rng.randrange(5, 40), note="")


def _test_case_group(rng: random.Random, creditor: Creditor) -> None:
    group = IssueGroup(name="Uppsägningsavgift enligt villkor 7.2 i elavtalet",
                       question="Är uppsägningsavgiften i villkor 7.2 skälig mot konsument (avtalsvillkorslagen)?")
    db.session.add(group)
    members = db.session.scalars(select(Case).where(Case.creditor_id == creditor.id).order_by(Case.id).limit(5)).all()
    for index, case in enumerate(members):
        triage_services.set_principle(case, None, test_case=index == 0, group=group)


def print_logins() -> None:
    click.echo("Demo logins (password for all: %s):" % DEMO_PASSWORD)
    click.echo("  admin:    admin@tvist.test")
    for name, login in JURISTS:
        click.echo(f"  jurist:   {login}@tvist.test ({name})")
    for index, name, email in CREDITOR_USERS:
        click.echo(f"  creditor: {email} ({CREDITORS[index][0]})")
