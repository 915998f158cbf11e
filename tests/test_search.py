"""Case search through the search index (app.cases.search): what it finds, and that the index
follows every change of a case or its debtor. The list view's own search tests are in
tests/test_cases_flow.py."""
from __future__ import annotations

from sqlalchemy import func, select

from app.cases.models import Case
from app.cases.search import SearchTerm, query_words, terms_for
from app.cases.services import CaseFilters, case_list_query
from app.core.listing import Sort, count_rows
from app.extensions import db
from tests import factories


def _found(user, q: str) -> set[str]:
    stmt = case_list_query(user, CaseFilters(q=q), Sort("andrad", True))
    return {case.reference for case in db.session.scalars(stmt).unique()}


def _setup(world):
    person = factories.DebtorFactory(name="Åsa Lindqvist-Öhman", is_company=False,
                                     identity_number="19850101-1236")
    company = factories.DebtorFactory(name="Öresunds Transport <Syd> AB", is_company=True,
                                      identity_number="556036-0793")
    factories.CaseFactory(creditor=world.creditor_a, debtor=person, reference="TV-0000123",
                          creditor_reference="FAKT-2024-77")
    factories.CaseFactory(creditor=world.creditor_a, debtor=company, reference="ORG-1")
    db.session.commit()
    return person, company


def test_terms_of_a_case():
    terms = terms_for(reference="TV-0000123", creditor_reference="FAKT-2024-77",
                      debtor_name="Åsa Lindqvist-Öhman", identity_number="19850101-1236")
    assert {"tv-0000123", "123", "fakt-2024-77", "77", "åsa", "lindqvist-öhman", "lindqvist", "öhman",
            "198501011236", "8501011236"} == terms


def test_query_words_fold_and_keep_identity_digits():
    assert query_words("  ÅSA  lindqvist ") == ["åsa", "lindqvist"]
    assert query_words("556036-0793") == ["5560360793"]
    assert query_words("' OR 1=1 --") == ["or", "1=1"]
    assert query_words("%_") == []


def test_finds_by_name_words_in_any_case_and_order(world):
    _setup(world)
    jurist = world.jurist
    assert _found(jurist, "åsa") == {"TV-0000123"}
    assert _found(jurist, "ÅSA LINDQVIST") == {"TV-0000123"}
    assert _found(jurist, "lindqvist åsa") == {"TV-0000123"}
    assert _found(jurist, "öhman") == {"TV-0000123"}  # a part of a double surname
    assert _found(jurist, "lindq") == {"TV-0000123"}  # prefix
    assert _found(jurist, "öresunds transport") == {"ORG-1"}
    assert _found(jurist, "syd") == {"ORG-1"}  # punctuation around a word is not part of it
    assert _found(jurist, "åsa transport") == set()  # every word must match the same case


def test_finds_by_reference_creditor_reference_and_identity_digits(world):
    _setup(world)
    jurist = world.jurist
    assert _found(jurist, "TV-0000123") == {"TV-0000123"}
    assert _found(jurist, "tv-00001") == {"TV-0000123"}
    assert _found(jurist, "123") == {"TV-0000123"}  # the number without its zeros
    assert _found(jurist, "FAKT-2024") == {"TV-0000123"}
    assert _found(jurist, "19850101-1236") == {"TV-0000123"}
    assert _found(jurist, "850101-1236") == {"TV-0000123"}  # ten-digit personnummer
    assert _found(jurist, "198501011236") == {"TV-0000123"}
    assert _found(jurist, "556036-0793") == {"ORG-1"}
    assert _found(jurist, "5560360793") == {"ORG-1"}


def test_sql_looking_and_empty_queries_find_nothing(world):
    _setup(world)
    assert _found(world.jurist, "' OR 1=1 --") == set()
    assert _found(world.jurist, "%") == set()
    assert _found(world.jurist, "'; DROP TABLE cases; --") == set()
    assert db.session.scalar(select(func.count(Case.id))) >= 2


def test_creditor_user_finds_only_its_own_cases(world):
    _setup(world)
    other = factories.DebtorFactory(name="Åsa Berg")
    factories.CaseFactory(creditor=world.creditor_b, debtor=other, reference="B-1")
    db.session.commit()
    assert _found(world.jurist, "åsa") == {"TV-0000123", "B-1"}
    assert _found(world.user_a, "åsa") == {"TV-0000123"}


def test_index_follows_debtor_and_case_changes(world):
    person, company = _setup(world)
    person.name = "Åsa Karlsson"  # e.g. a new surname after marriage
    db.session.commit()
    assert _found(world.jurist, "lindqvist") == set()
    assert _found(world.jurist, "karlsson") == {"TV-0000123"}

    case = db.session.scalar(select(Case).where(Case.reference == "ORG-1"))
    case.debtor = person
    case.reference = "ORG-2"
    db.session.commit()
    assert _found(world.jurist, "karlsson") == {"TV-0000123", "ORG-2"}
    assert _found(world.jurist, "öresunds") == set()
    assert _found(world.jurist, "org-1") == set()

    db.session.delete(case)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(SearchTerm).where(SearchTerm.case_id == case.id)) == 0


def test_new_case_from_the_service_is_searchable_at_once(world):
    from app.cases.services import create_case

    debtor = factories.DebtorFactory(name="Zoë Wikén")
    case = create_case(creditor=world.creditor_a, debtor=debtor, actor=world.jurist)
    db.session.commit()
    assert _found(world.jurist, "wikén") == {case.reference}
    assert _found(world.jurist, case.reference.lower()) == {case.reference}  # TV-… assigned after the insert


def test_list_view_search_with_swedish_letters(world, as_user):
    _setup(world)
    client = as_user(world.jurist)
    html = client.get("/arenden/?q=ÖRESUNDS", follow_redirects=True).get_data(as_text=True)
    assert "ORG-1" in html and "TV-0000123" not in html


def test_count_stops_at_the_limit(world):
    for i in range(7):
        factories.CaseFactory(creditor=world.creditor_a, reference=f"CNT-{i}")
    db.session.commit()
    stmt = select(Case).where(Case.reference.like("CNT-%"))
    assert count_rows(stmt, limit=10) == (7, False)
    assert count_rows(stmt, limit=5) == (5, True)
    assert count_rows(stmt, limit=7) == (7, False)


def test_pager_says_more_than_the_limit(world, as_user, app, monkeypatch):
    from app.core import listing

    for i in range(12):
        factories.CaseFactory(creditor=world.creditor_a, reference=f"MANY-{i:02d}")
    db.session.commit()
    monkeypatch.setattr(listing, "COUNT_LIMIT", 10)
    monkeypatch.setattr(listing.paginate, "__defaults__", (10,))
    app.config["CASES_PER_PAGE"] = 5
    try:
        html = as_user(world.jurist).get("/arenden/?q=many").get_data(as_text=True)
    finally:
        app.config["CASES_PER_PAGE"] = 25
    assert "Visar 1–5 av fler än 10" in html
    assert "Sida 1 av minst 2" in html
