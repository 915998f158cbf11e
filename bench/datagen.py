"""Synthetic, realistic data at scale for the benchmarks (bulk writes, not the ORM).

Every case gets valid Swedish identity numbers, claim lines, an objection, an invoice as
evidence for its lines and an assigned jurist, so that any filing can be generated for it.
Beyond that, the data looks like a big agency's legal department after some years:

* statuses spread over the whole course (most cases closed; about a tenth awaiting triage),
  with the dates each status implies (served, utslag, dom, förlikning) and the triage summary
  columns the queue sorts on;
* the stored deadlines (``case_deadlines``) derived from those dates by the app's own rules
  (app.course.deadlines), so the nightly job has real work: deadlines passed long ago are
  already notified, those around today are not;
* payments and outcomes for the cases that have them (the portal's figures);
* debtor names drawn from a realistic distribution (the common Swedish surnames by frequency
  plus a long tail of compound and patronymic names; first names with double names and
  Swedish letters), companies with organisationsnummer, creditors of very different sizes;
* the search index (``search_terms``) when the schema has it.

Rows are written with the driver's fastest path: ``executemany`` on SQLite (journal_mode=WAL,
synchronous=OFF during generation only) and ``COPY`` on PostgreSQL. Ids are assigned here
(the database is empty; PostgreSQL's sequences are moved past them at the end).
Run inside an app context on a migrated, empty database.
"""
from __future__ import annotations

import bisect
import itertools
import random
import time
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from stdnum import luhn

from app.auth.models import Role, User
from app.auth.passwords import hash_password
from app.cases.models import Case, ClaimLine, Objection
from app.creditors.models import Creditor
from app.debtors.models import Debtor
from app.enforcement.models import Payment
from app.extensions import db
from app.hearings.models import CaseDeadline, Outcome
from app.law.forum import municipalities
from app.triage.models import Evidence, evidence_claim_lines

PASSWORD = "bench-password-2026"

# The most common Swedish surnames with their approximate share of the population (per mille).
COMMON_SURNAMES = {
    "Andersson": 23, "Johansson": 23, "Karlsson": 20, "Nilsson": 16, "Eriksson": 14, "Larsson": 12,
    "Olsson": 11, "Persson": 11, "Svensson": 10, "Gustafsson": 10, "Pettersson": 9, "Jonsson": 8,
    "Jansson": 5, "Hansson": 5, "Bengtsson": 5, "Jönsson": 4, "Lindberg": 4, "Jakobsson": 4, "Magnusson": 4,
    "Lindström": 4, "Olofsson": 3, "Lindqvist": 3, "Lindgren": 3, "Berg": 3, "Axelsson": 3, "Bergström": 3,
    "Lundberg": 3, "Lind": 3, "Lundgren": 3, "Lundqvist": 3, "Mattsson": 3, "Berglund": 3, "Fredriksson": 3,
    "Sandberg": 3, "Henriksson": 3, "Forsberg": 3, "Sjöberg": 3, "Wallin": 3, "Engström": 2, "Eklund": 2,
    "Danielsson": 2, "Lundin": 2, "Håkansson": 2, "Björk": 2, "Bergman": 2, "Gunnarsson": 2, "Holm": 2,
    "Wikström": 2, "Samuelsson": 2, "Isaksson": 2, "Fransson": 2, "Bergqvist": 2, "Nyström": 2,
    "Holmberg": 2, "Arvidsson": 2, "Löfgren": 2, "Söderberg": 2, "Nyberg": 2, "Blomqvist": 2, "Claesson": 2,
    "Nordström": 2, "Mårtensson": 2, "Lundström": 2, "Ali": 2, "Viklund": 2, "Björklund": 2, "Eliasson": 2,
    "Pålsson": 2, "Mohamed": 2, "Berggren": 2, "Sandström": 2, "Lund": 2, "Nordin": 2, "Ström": 2,
    "Åberg": 2, "Hermansson": 2, "Ekström": 2, "Holmgren": 2, "Sundberg": 2, "Hussein": 2, "Dahlberg": 2,
    "Hedlund": 2, "Sjögren": 2, "Öberg": 2, "Ek": 1, "Hellström": 1, "Falk": 1, "Åström": 1,
    "Abrahamsson": 1, "Kaya": 1, "Nieminen": 1, "Korhonen": 1, "Nowak": 1, "Kowalski": 1, "Yilmaz": 1,
    "Ahmadi": 1, "Hosseini": 1, "Rodríguez": 1, "Müller": 1, "Öhman": 1, "Åkesson": 1, "Wikén": 1,
}
_STEMS = ["Berg", "Lind", "Sjö", "Ek", "Gran", "Björk", "Ask", "Al", "Löv", "Ström", "Holm", "Sand", "Sten",
          "Dahl", "Hag", "Nord", "Sö", "Väst", "Öst", "Fors", "Lund", "Kvist", "Ros", "Lil", "Bäck", "Åk",
          "Fjäll", "Älv", "Ljung", "Hed", "Mal", "Tall", "Rönn", "Vall", "Myr", "Näs", "Hård", "Skog"]
_ENDINGS = ["berg", "lund", "ström", "qvist", "gren", "dahl", "holm", "man", "blad", "sten", "mark", "by",
            "hagen", "ling", "ros", "näs", "vik", "fors", "bäck", "skog", "gård", "ås", "lin", "ander",
            "kvist", "feldt", "löf", "ell", "éen", "in"]
FIRST_NAMES = [
    "Anders", "Maria", "Johan", "Eva", "Karl", "Sara", "Lars", "Emma", "Åsa", "Björn", "Linnéa", "Örjan",
    "Erik", "Anna", "Per", "Karin", "Mikael", "Kristina", "Magnus", "Lena", "Fredrik", "Elin", "Jonas",
    "Ida", "Daniel", "Hanna", "Mattias", "Sofia", "Peter", "Malin", "Stefan", "Jenny", "Jan", "Ulla",
    "Thomas", "Helena", "Niklas", "Camilla", "Andreas", "Therese", "Oskar", "Ebba", "Gustav", "Alice",
    "Axel", "Wilma", "Hugo", "Elsa", "Liam", "Maja", "Noah", "Astrid", "Ali", "Fatima", "Mohammed", "Amira",
    "Göran", "Märta", "Sören", "Agneta", "Håkan", "Birgitta", "Jörgen", "Gunnel", "Bengt", "Inger",
    "Ingrid", "Kjell", "Solveig", "Rune", "Tove", "Joel", "Klara", "Viktor", "Matilda", "Zoran", "Aleksandra",
    "Anna-Karin", "Per-Olof", "Eva-Lena", "Jan-Erik", "Ann-Sofie", "Lars-Göran", "Zoë", "Chloé", "André",
]
TRADES = ["Bygg", "Transport", "Måleri", "El & Tele", "Fastigheter", "Konsult", "Handel", "Restaurang", "Städ",
          "VVS", "Åkeri", "Redovisning", "Café", "Snickeri", "Rör", "Data", "Frisör", "Bilverkstad"]
COMPANY_FORMS = ["AB", "AB", "AB", "HB", "Handelsbolag", "& Söner AB", "i Sverige AB", "Ekonomisk förening"]
CATEGORIES = ["already_paid", "defective", "not_ordered", "wrong_amount", "limitation", "identity", "setoff", "other"]
CHANNELS = ["letter", "email", "phone", "portal", "kronofogden"]
OPTIONS = ["write_off", "settlement", "payment_order", "summons_simplified", "summons_ordinary", "monitoring"]

# Status mix of a legal department some years in: most cases closed, about a tenth awaiting triage.
STATUS_SHARES = {
    "new": 2, "disputed": 6, "investigating": 4, "litigation_proposed": 2, "settlement": 5, "payment_order": 4,
    "utslag": 3, "kfm_disputed": 2, "transferred": 2, "summons": 3, "preparation": 2, "hearing": 1,
    "judgment": 3, "final": 3, "enforcement": 6, "monitoring": 8, "paid": 24, "written_off": 13, "withdrawn": 7,
}
KFM_STATUSES = {"payment_order", "utslag", "kfm_disputed", "transferred"}
JUDGED_STATUSES = {"judgment", "final", "enforcement", "monitoring"}
PAYING_STATUSES = {"settlement", "enforcement", "monitoring", "paid"}
OPEN = set(STATUS_SHARES) - {"paid", "written_off", "withdrawn"}
CHUNK = 20_000


def _pnr(n: int) -> str:
    birth = date(1940, 1, 1) + timedelta(days=n % 23000)
    serial = f"{(n // 23000) % 1000:03d}"
    body = birth.strftime("%y%m%d") + serial
    return f"{birth:%Y%m%d}-{serial}{luhn.calc_check_digit(body)}"


def _orgnr(n: int) -> str:
    body = f"55{6 + n % 4}{n % 1000000:06d}"
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


class _Fast:
    """The few random draws the generator needs, without random.choices' per-call set-up
    (several times faster; the generator makes tens of millions of draws at 1M cases)."""

    def __init__(self, rng: random.Random):
        self.random = rng.random

    def randint(self, lo: int, hi: int) -> int:
        return lo + int(self.random() * (hi - lo + 1))

    def choice(self, seq: Sequence):
        return seq[int(self.random() * len(seq))]

    def weighted(self, seq: Sequence, cum: Sequence[float]):
        return seq[bisect.bisect(cum, self.random() * cum[-1])]


def _cumulative(weights: Iterable[float]) -> list[float]:
    return list(itertools.accumulate(weights))


class _Names:
    """Names drawn with realistic frequencies: about 45 % from the common surnames by their
    share, the rest from a long tail of compound and patronymic names (over a thousand)."""

    def __init__(self, rng: _Fast):
        self.rng = rng
        self.common = list(COMMON_SURNAMES)
        self.common_cum = _cumulative(COMMON_SURNAMES.values())
        tail = {stem + ending for stem in _STEMS for ending in _ENDINGS}
        tail |= {f"{first.split('-')[0]}sson" for first in FIRST_NAMES if not first.endswith("a")}
        self.tail = sorted(tail - set(self.common))

    def surname(self) -> str:
        if self.rng.random() < 0.45:
            return self.rng.weighted(self.common, self.common_cum)
        return self.rng.choice(self.tail)

    def person(self) -> str:
        first = self.rng.choice(FIRST_NAMES)
        if self.rng.random() < 0.15:
            first += " " + self.rng.choice(FIRST_NAMES)
        surname = self.surname()
        if self.rng.random() < 0.06:
            surname += "-" + self.surname()
        return f"{first} {surname}"

    def company(self, places: Sequence[str]) -> str:
        owner = self.surname() if self.rng.random() < 0.6 else self.rng.choice(places)
        return f"{owner}s {self.rng.choice(TRADES)} {self.rng.choice(COMPANY_FORMS)}"


class _Writer:
    """Bulk rows through the driver: COPY on PostgreSQL, executemany on SQLite. Values go
    through each column's bind processor, so they are stored exactly as the ORM stores them."""

    def __init__(self, conn):
        self.conn = conn
        self.dialect = conn.dialect
        self.raw = conn.connection.driver_connection
        self.rows = 0

    def write(self, table, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        procs = [table.c[name].type.bind_processor(self.dialect) for name in columns]
        pairs = [(i, p) for i, p in enumerate(procs) if p is not None]

        def processed(row: tuple) -> tuple:
            if not pairs:
                return row
            out = list(row)
            for i, proc in pairs:
                if out[i] is not None:
                    out[i] = proc(out[i])
            return tuple(out)

        n = 0
        if self.dialect.name == "postgresql":
            cols = ", ".join(f'"{c}"' for c in columns)
            with self.raw.cursor() as cur, cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(processed(row))
                    n += 1
        else:
            sql = (f'INSERT INTO "{table.name}" ({", ".join(columns)}) '
                   f'VALUES ({", ".join("?" for _ in columns)})')
            cur = self.raw.cursor()
            batch = []
            for row in rows:
                batch.append(processed(row))
                if len(batch) >= CHUNK:
                    cur.executemany(sql, batch)
                    n += len(batch)
                    batch = []
            if batch:
                cur.executemany(sql, batch)
                n += len(batch)
            cur.close()
        self.rows += n
        return n


@lru_cache(maxsize=None)
def _deadlines_for(fact: str, on: date, consumer: bool = True) -> tuple:
    """The app's own deadline rules, for one recorded fact (cached: dates repeat)."""
    from app.course.deadlines import CaseFacts, derive_deadlines

    facts = CaseFacts(**{fact: on}, consumer_claim=consumer)
    return tuple((d.code, d.label, d.due_on, d.source) for d in derive_deadlines(facts))


def _next_id(table) -> int:
    return (db.session.scalar(select(table.c.id).order_by(table.c.id.desc()).limit(1)) or 0) + 1


def generate(n_cases: int, *, seed: int = 7, today: date = date(2026, 11, 23), n_creditors: int | None = None,
             n_jurists: int | None = None, status_shares: dict[str, int] | None = None) -> dict:
    """Write ``n_cases`` cases with everything they refer to; returns counts and the rate.
    ``status_shares`` replaces :data:`STATUS_SHARES` (e.g. every case at the stage a bulk filing fits)."""
    started = time.perf_counter()
    rng = _Fast(random.Random(seed))
    names = _Names(rng)
    n_creditors = n_creditors or max(20, n_cases // 5000)
    n_jurists = n_jurists or max(5, n_cases // 40000)
    now = datetime.now(timezone.utc)
    places = list(municipalities())
    password = hash_password(PASSWORD)
    has_search = sa_inspect(db.engine).has_table("search_terms")

    db.session.commit()
    conn = db.session.connection()
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        db.session.commit()
        conn = db.session.connection()
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
        conn.exec_driver_sql("PRAGMA cache_size=-1000000")
    out = _Writer(conn)
    T = {name: model.__table__ for name, model in [
        ("users", User), ("creditors", Creditor), ("debtors", Debtor), ("cases", Case), ("lines", ClaimLine),
        ("objections", Objection), ("evidence", Evidence), ("deadlines", CaseDeadline), ("payments", Payment),
        ("outcomes", Outcome)]}
    T["evidence_lines"] = evidence_claim_lines
    first = {name: _next_id(t) for name, t in T.items() if name != "evidence_lines"}

    # Creditors: a few large clients and many small ones (Zipf-like), each with a portal user.
    creditor_ids = list(range(first["creditors"], first["creditors"] + n_creditors))
    out.write(T["creditors"], ["id", "name", "org_number", "contact_name", "contact_email", "contact_phone", "street",
                               "postal_code", "city", "bankgiro", "bank_account", "created_at", "updated_at",
                               "version"],
              ((cid, f"{names.company(places).replace(' AB', '')} Fordringar {i} AB", _orgnr(900000 + i), "Kontakt",
                f"k{i}@bench.test", "08-123 456 78", "Storgatan 1", "111 22", "Stockholm", "123-4567", "", now, now, 1)
               for i, cid in enumerate(creditor_ids)))
    creditor_cum = _cumulative(1 / (rank + 1) for rank in range(n_creditors))
    user_rows = [(f"jurist{i}@bench.test", f"{FIRST_NAMES[i % len(FIRST_NAMES)]} Jurist{i}", Role.JURIST.value, None)
                 for i in range(n_jurists)]
    user_rows += [(f"portal{i}@bench.test", f"Kontakt {i}", Role.CREDITOR.value, cid)
                  for i, cid in enumerate(creditor_ids)]
    jurist_ids = list(range(first["users"], first["users"] + n_jurists))
    out.write(T["users"], ["id", "email", "name", "password_hash", "role", "creditor_id", "active", "created_at",
                           "updated_at", "version"],
              ((first["users"] + i, email, name, password, role, cid, True, now, now, 1)
               for i, (email, name, role, cid) in enumerate(user_rows)))

    # Debtors: two cases per three debtors on average; a fifth are companies.
    n_debtors = max(1, n_cases * 2 // 3)
    debtor_ids = list(range(first["debtors"], first["debtors"] + n_debtors))
    debtor_info: list[tuple[str, str]] = []

    def debtor_rows():
        for i, did in enumerate(debtor_ids):
            company = i % 5 == 0
            name = names.company(places) if company else names.person()
            identity = _orgnr(i) if company else _pnr(i)
            debtor_info.append((name, identity))
            place = rng.choice(places)
            yield (did, company, name, identity, f"{names.surname()}vägen {i % 90 + 1}",
                   f"{100 + i % 800} {10 + i % 89:02d}", place, "070-123 45 67", "", place, now, now, 1)

    out.write(T["debtors"], ["id", "is_company", "name", "identity_number", "street", "postal_code", "city", "phone",
                             "email", "registered_municipality", "created_at", "updated_at", "version"], debtor_rows())

    shares = status_shares or STATUS_SHARES
    statuses = list(shares)
    status_cum = _cumulative(shares.values())
    creditor_range = range(n_creditors)
    case_ids = range(first["cases"], first["cases"] + n_cases)
    lines, objections, evidence, evidence_lines, deadlines, payments, outcomes, terms = [], [], [], [], [], [], [], []
    ids = {k: first[k] for k in ("lines", "objections", "evidence", "deadlines", "payments", "outcomes")}
    ref_prefix = ["F", "INV-", "K", "", "A-2024-", "ORD"]

    lognormal = random.Random(seed + 1).lognormvariate

    def days(lo: int, hi: int) -> date:
        return today + timedelta(days=rng.randint(lo, hi))

    def case_rows():
        for n, case_id in enumerate(case_ids):
            status = rng.weighted(statuses, status_cum)
            creditor_index = rng.weighted(creditor_range, creditor_cum)
            debtor_index = int(rng.random() * n_debtors)
            consumer = debtor_index % 5 != 0 and rng.random() < 0.9
            age = rng.randint(10, 1500) if status not in OPEN else rng.randint(3, 700)
            created = now - timedelta(days=age, seconds=rng.randint(0, 86399))
            updated = min(now, created + timedelta(days=rng.randint(0, min(age, 300)), seconds=rng.randint(0, 86399)))
            invoice = (created.date() - timedelta(days=rng.randint(40, 400)))
            n_lines = rng.weighted((1, 2, 3, 4), (60, 85, 95, 100))
            capitals = [Decimal(int(lognormal(8.6, 1.2) * 100)) / 100 + Decimal("100.00")
                        for _ in range(n_lines)]
            total = sum(capitals, Decimal("0.00"))
            line_ids = []
            for pos, capital in enumerate(capitals, start=1):
                inv = invoice + timedelta(days=rng.randint(0, 60))
                lines.append((ids["lines"], case_id, pos, f"{rng.randint(100000, 9999999)}", inv, inv + timedelta(days=30),
                              capital, rng.choice(("Tjänst enligt avtal", "Varor enligt order", "Hyra", "Abonnemang")), 1))
                line_ids.append(ids["lines"])
                ids["lines"] += 1
            if status != "new":
                for k in range(1 if rng.random() < 0.85 else 2):
                    objections.append((ids["objections"], case_id, invoice + timedelta(days=45 + 20 * k),
                                       rng.choice(CHANNELS), rng.choice(CATEGORIES), "Gäldenären bestrider.", now, 1))
                    ids["objections"] += 1
            evidence.append((ids["evidence"], case_id, "invoice", "Fakturakopia", None,
                             "Att fordran fakturerats med angivet belopp och förfallodag.", now, now, 1))
            evidence_lines.extend((ids["evidence"], line_id) for line_id in line_ids)
            ids["evidence"] += 1

            facts: dict[str, date | None] = dict.fromkeys(
                ("kfm_served_on", "kfm_objection_notified_on", "utslag_on", "judgment_on", "settlement_on"))
            if status in KFM_STATUSES:
                facts["kfm_served_on"] = days(-150, -3)
                if status in ("kfm_disputed", "transferred"):
                    facts["kfm_objection_notified_on"] = facts["kfm_served_on"] + timedelta(days=rng.randint(10, 30))
                if status == "utslag":
                    facts["utslag_on"] = days(-40, -1)
            if status in JUDGED_STATUSES or (status in ("paid", "written_off") and rng.random() < 0.25):
                facts["judgment_on"] = days(-30, -1) if status == "judgment" else days(-900, -35)
            if status == "settlement":
                facts["settlement_on"] = days(-200, -1)
            dated = [(k, v) for k, v in facts.items() if v is not None and k != "settlement_on"]
            dated.append(("claim_arose_on", invoice))
            for fact, on in dated:
                for code, label, due_on, source in _deadlines_for(fact, on, consumer if fact == "claim_arose_on" else True):
                    notified = due_on - timedelta(days=7) if due_on < today - timedelta(days=14) else None
                    deadlines.append((ids["deadlines"], case_id, code, label, due_on, source, notified))
                    ids["deadlines"] += 1
            if status in PAYING_STATUSES:
                paid_total = total if status == "paid" else (total * Decimal(rng.randint(5, 60)) / 100).quantize(Decimal("0.01"))
                parts = rng.randint(1, 3)
                for k in range(parts):
                    amount = (paid_total / parts).quantize(Decimal("0.01"))
                    payments.append((ids["payments"], case_id, days(-300, -1), amount,
                                     rng.choice(("debtor", "kronofogden")), "", None, now))
                    ids["payments"] += 1
            if facts["judgment_on"] or facts["utslag_on"]:
                kind = "judgment" if facts["judgment_on"] else "utslag"
                decided = facts["judgment_on"] or facts["utslag_on"]
                outcomes.append((ids["outcomes"], case_id, kind, decided, "Stockholms tingsrätt" if kind == "judgment"
                                 else "Kronofogden", f"T {rng.randint(1000, 99999)}-{decided.year % 100}", None, total,
                                 invoice + timedelta(days=30), Decimal(rng.randint(500, 30000)), False, None, "", now))
                ids["outcomes"] += 1
            triaged = status not in ("new",)
            urgent = None
            if status in ("disputed", "investigating"):
                urgent = days(-10, 400) if rng.random() < 0.9 else None
            name, identity = debtor_info[debtor_index]
            reference = f"TV-{case_id:07d}"
            creditor_reference = f"{ref_prefix[creditor_index % len(ref_prefix)]}{rng.randint(10000, 99999999)}"
            if has_search:
                terms.extend((term, case_id) for term in _search_terms(reference, creditor_reference, name, identity))
            yield (case_id, reference, creditor_ids[creditor_index], debtor_ids[debtor_index], creditor_reference,
                   consumer, rng.random() < 0.5, "", status, rng.choice(jurist_ids) if rng.random() < 0.95 else None,
                   total, status in ("disputed", "investigating"), False,
                   rng.choice(OPTIONS) if triaged else None,
                   ("simplified" if total < Decimal("25000") else "ordinary") if triaged else None,
                   total if triaged else None,
                   (total * Decimal(rng.randint(-20, 90)) / 100).quantize(Decimal("0.01")) if triaged else None,
                   urgent, "", "", facts["kfm_served_on"], facts["kfm_objection_notified_on"], facts["utslag_on"],
                   facts["judgment_on"], False, False, facts["settlement_on"], [], created, updated, 1)
            n_done = n + 1
            if n_done % 100_000 == 0:
                print(f"  … {n_done:,} cases ({time.perf_counter() - started:.0f} s)".replace(",", " "), flush=True)

    out.write(T["cases"], ["id", "reference", "creditor_id", "debtor_id", "creditor_reference", "consumer_claim",
                           "reminder_fee_agreed", "description", "status", "assigned_jurist_id", "total_capital",
                           "collection_paused", "test_case", "triage_recommendation", "triage_track",
                           "triage_claim_value", "triage_expected_net", "triage_urgent_on", "kfm_case_number",
                           "court_case_number", "kfm_served_on", "kfm_objection_notified_on", "utslag_on",
                           "judgment_on", "default_judgment", "appealed", "settlement_on", "limitation_interruptions",
                           "created_at", "updated_at", "version"], case_rows())
    out.write(T["lines"], ["id", "case_id", "position", "invoice_number", "invoice_date", "due_date", "capital",
                           "description", "version"], lines)
    out.write(T["objections"], ["id", "case_id", "received_on", "channel", "category", "text", "created_at",
                                "version"], objections)
    out.write(T["evidence"], ["id", "case_id", "kind", "title", "dated", "proves", "created_at", "updated_at",
                              "version"], evidence)
    out.write(T["evidence_lines"], ["evidence_id", "claim_line_id"], evidence_lines)
    out.write(T["deadlines"], ["id", "case_id", "code", "label", "due_on", "source", "notified_on"], deadlines)
    out.write(T["payments"], ["id", "case_id", "paid_on", "amount", "source", "note", "recorded_by_id", "created_at"],
              payments)
    out.write(T["outcomes"], ["id", "case_id", "kind", "decided_on", "authority", "case_number", "served_on",
                              "awarded_capital", "interest_from", "awarded_costs", "appealed", "final_on", "note",
                              "created_at"], outcomes)
    if has_search:
        terms.sort()
        out.write(db.metadata.tables["search_terms"], ["term", "case_id"], terms)
    if not sqlite:
        for name, t in T.items():
            if "id" in t.c:
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                                     f"(SELECT COALESCE(MAX(id), 1) FROM \"{t.name}\"))")
    db.session.commit()
    if sqlite:
        conn = db.session.connection()
        conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
        db.session.commit()
    analyze()
    elapsed = time.perf_counter() - started
    return {"cases": n_cases, "debtors": n_debtors, "creditors": n_creditors, "jurists": n_jurists,
            "rows": out.rows, "seconds": round(elapsed, 1), "rows_per_s": round(out.rows / elapsed),
            "largest_creditor_id": creditor_ids[0], "portal_user": "portal0@bench.test",
            "jurist_user": "jurist0@bench.test", "password": PASSWORD}


def _search_terms(reference: str, creditor_reference: str, name: str, identity: str) -> set[str]:
    from app.cases.search import terms_for

    return terms_for(reference=reference, creditor_reference=creditor_reference, debtor_name=name,
                     identity_number=identity)


def analyze() -> None:
    """Fresh planner statistics (what autovacuum / a nightly ANALYZE would give a real database)."""
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        # PostgreSQL: what autovacuum does after a bulk load (statistics and the visibility map
        # that index-only scans need).
        conn.exec_driver_sql("VACUUM ANALYZE" if conn.dialect.name == "postgresql" else "ANALYZE")
