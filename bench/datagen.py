"""Synthetic, realistic data at scale for the benchmarks (Core bulk inserts, not the ORM).

Every case gets valid Swedish identity numbers, claim lines, an objection, an invoice as
evidence for its lines and an assigned jurist, so that any filing can be generated for it.
Run inside an app context on a migrated, empty database.
"""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import insert, select
from stdnum import luhn

from app.auth.models import Role, User
from app.auth.passwords import hash_password
from app.cases.models import Case, ClaimLine, Objection
from app.creditors.models import Creditor
from app.debtors.models import Debtor
from app.extensions import db
from app.law.forum import municipalities
from app.triage.models import Evidence, evidence_claim_lines

FIRST = ["Anders", "Maria", "Johan", "Eva", "Karl", "Sara", "Lars", "Emma", "Åsa", "Björn", "Linnéa", "Örjan"]
LAST = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Öhman", "Åkesson", "Sjögren", "Wikén"]
CATEGORIES = ["already_paid", "defective", "not_ordered", "wrong_amount", "limitation", "identity", "setoff", "other"]
CHUNK = 5000


def _pnr(n: int) -> str:
    birth = date(1940, 1, 1) + timedelta(days=n % 20000)
    serial = f"{(n // 20000) % 1000:03d}"
    body = birth.strftime("%y%m%d") + serial
    return f"{birth:%Y%m%d}-{serial}{luhn.calc_check_digit(body)}"


def _orgnr(n: int) -> str:
    body = f"55{6 + n % 4}{n % 1000000:06d}"
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


def _batched(rows, table):
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start:start + CHUNK])


def generate(n_cases: int, *, seed: int = 7, today: date = date(2026, 11, 23), n_creditors: int = 20) -> dict:
    rng = random.Random(seed)
    now = datetime.now(timezone.utc)
    stamp = {"created_at": now, "updated_at": now, "version": 1}
    places = list(municipalities())
    password = hash_password("bench-password-2026")
    db.session.execute(insert(User.__table__), [
        {"email": f"jurist{i}@bench.test", "name": f"{FIRST[i % len(FIRST)]} Jurist{i}", "password_hash": password,
         "role": Role.JURIST.value, "active": True, **stamp} for i in range(5)])
    jurist_ids = list(db.session.scalars(select(User.id).where(User.role == Role.JURIST)))
    db.session.execute(insert(Creditor.__table__), [
        {"name": f"Fordringsägare {i} & Co AB", "org_number": _orgnr(900000 + i), "contact_name": "Kontakt",
         "contact_email": f"k{i}@bench.test", "contact_phone": "08-123 456 78", "street": "Storgatan 1",
         "postal_code": "111 22", "city": "Stockholm", "bankgiro": "123-4567", "bank_account": "", **stamp}
        for i in range(n_creditors)])
    creditor_ids = list(db.session.scalars(select(Creditor.id).order_by(Creditor.id)))
    n_debtors = max(1, n_cases * 2 // 3)
    debtors = []
    for i in range(n_debtors):
        company = i % 5 == 0
        place = places[i % len(places)]
        debtors.append({
            "is_company": company,
            "name": (f"{LAST[i % len(LAST)]} & Söner <AB> nr {i}" if company
                     else f"{FIRST[i % len(FIRST)]} {LAST[(i // 7) % len(LAST)]}"),
            "identity_number": _orgnr(i) if company else _pnr(i), "street": f"Ängsvägen {i % 90 + 1}",
            "postal_code": f"{100 + i % 800} {10 + i % 89:02d}", "city": place, "phone": "070-123 45 67",
            "email": "", "registered_municipality": place, **stamp})
    _batched(debtors, Debtor.__table__)
    debtor_ids = list(db.session.scalars(select(Debtor.id).order_by(Debtor.id)))

    cases, lines, objections = [], [], []
    for i in range(n_cases):
        invoice = today - timedelta(days=60 + (i * 37) % 700)
        capital = Decimal(rng.randrange(50000, 9000000)) / 100
        cases.append({
            "reference": f"B-{i + 1:07d}", "creditor_id": creditor_ids[i % len(creditor_ids)],
            "debtor_id": debtor_ids[i % len(debtor_ids)], "creditor_reference": f"CR-{i:07d}",
            "consumer_claim": i % 5 != 0, "reminder_fee_agreed": i % 2 == 0, "description": "",
            "status": "disputed" if i % 3 else "investigating", "assigned_jurist_id": jurist_ids[i % len(jurist_ids)],
            "total_capital": capital, "collection_paused": True, "test_case": False, "kfm_case_number": "",
            "court_case_number": "", "default_judgment": False, "appealed": False, "limitation_interruptions": [],
            **stamp})
    _batched(cases, Case.__table__)
    case_ids = list(db.session.scalars(select(Case.id).order_by(Case.id)))
    for i, (case_id, case) in enumerate(zip(case_ids, cases)):
        invoice = today - timedelta(days=60 + (i * 37) % 700)
        lines.append({"case_id": case_id, "position": 1, "invoice_number": f"{100000 + i}", "invoice_date": invoice,
                      "due_date": invoice + timedelta(days=30), "capital": case["total_capital"],
                      "description": "Tjänst enligt avtal", "version": 1})
        objections.append({"case_id": case_id, "received_on": invoice + timedelta(days=50), "channel": "email",
                           "category": CATEGORIES[i % len(CATEGORIES)], "text": "Gäldenären bestrider.",
                           "created_at": now, "version": 1})
    _batched(lines, ClaimLine.__table__)
    _batched(objections, Objection.__table__)
    _batched([{"case_id": case_id, "kind": "invoice", "title": "Fakturakopia", "dated": None,
               "proves": "Att fordran fakturerats med angivet belopp och förfallodag.", **stamp}
              for case_id in case_ids], Evidence.__table__)
    evidence = db.session.execute(select(Evidence.id, Evidence.case_id)).all()
    line_of = dict(db.session.execute(select(ClaimLine.case_id, ClaimLine.id)).all())
    _batched([{"evidence_id": ev_id, "claim_line_id": line_of[case_id]} for ev_id, case_id in evidence],
             evidence_claim_lines)
    db.session.commit()
    return {"cases": n_cases, "debtors": n_debtors, "creditors": len(creditor_ids)}
