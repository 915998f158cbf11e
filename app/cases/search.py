"""Case search that an index can serve, on SQLite and PostgreSQL alike.

``LIKE '%q%'`` over debtor names cannot use an index, so every search read the whole case
table. Instead each case's searchable words are kept, casefolded, in ``search_terms``
(term, case_id): the case reference, the creditor's reference, the words of the debtor's
name and the digits of the personnummer / organisationsnummer. A query is split into words
and each word must be the *prefix* of one of the case's terms; a prefix is an index range
(``term >= 'ander' AND term < 'andes'``), so the lookup costs the matches, not the table.

The rows are maintained here, after every flush that creates or changes a case or a debtor
(an ORM event, so views, the API, the CLI and Celery tasks are covered alike); code that
writes cases with Core statements (bench/datagen.py, the migration) calls
:func:`terms_for` itself.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from sqlalchemy import ColumnElement, ForeignKey, String, and_, delete, event, false, insert, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db import Base

TERM_LENGTH = 100
# Byte-wise ordering on PostgreSQL, so that a prefix is a contiguous index range whatever the
# database's locale (SQLite's default BINARY collation already compares code points).
TermString = String(TERM_LENGTH).with_variant(String(TERM_LENGTH, collation="C"), "postgresql")

_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_INNER = re.compile(r"[\W_]+")
_IDENTITY_CHARS = re.compile(r"[\d\-+ ]+")


class SearchTerm(Base):
    """One searchable word of one case (derived data, rebuilt from the case and its debtor)."""

    __tablename__ = "search_terms"
    __audited__ = False

    term: Mapped[str] = mapped_column(TermString, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True,
                                         index=True)


def fold(text: str) -> str:
    """Casefolded, NFC-normalised (so å typed as a + ring matches å)."""
    return unicodedata.normalize("NFC", text).casefold()


def _words(text: str) -> set[str]:
    """The words of a name: whitespace-separated, punctuation stripped from the edges; a word
    with inner punctuation (Anna-Karin, O'Brien) also counts by its parts."""
    out: set[str] = set()
    for raw in fold(text).split():
        word = _EDGE.sub("", raw)
        if not word:
            continue
        out.add(word)
        parts = [p for p in _INNER.split(word) if p]
        if len(parts) > 1:
            out.update(parts)
    return out


def _reference_terms(reference: str) -> set[str]:
    """A reference as typed (``tv-0000123``) and its trailing number without leading zeros (``123``)."""
    ref = fold(reference).replace(" ", "")
    if not ref:
        return set()
    out = {ref}
    match = re.search(r"(\d+)$", ref)
    if match:
        number = match.group(1).lstrip("0")
        if number and number != ref:
            out.add(number)
    return out


def _identity_terms(identity_number: str) -> set[str]:
    """Digits of a personnummer (12 and 10 digits: 19850101-1234 and 850101-1234 both find it)
    or an organisationsnummer (10 digits)."""
    digits = "".join(ch for ch in identity_number if ch.isdigit())
    if not digits:
        return set()
    out = {digits}
    if len(digits) == 12:
        out.add(digits[2:])
    return out


def terms_for(*, reference: str, creditor_reference: str | None, debtor_name: str,
              identity_number: str) -> set[str]:
    """Every search term of one case."""
    terms = _reference_terms(reference) | _reference_terms(creditor_reference or "")
    terms |= _words(debtor_name) | _identity_terms(identity_number)
    return {t[:TERM_LENGTH] for t in terms if t}


def query_words(q: str) -> list[str]:
    """The words of a search query as terms are stored: casefolded, edge punctuation removed, a
    word of digits and dashes (556036-0793, 19850101-1234) as its digits."""
    words = []
    for raw in fold(q).split():
        if _IDENTITY_CHARS.fullmatch(raw) and any(ch.isdigit() for ch in raw):
            word = "".join(ch for ch in raw if ch.isdigit())
        else:
            word = _EDGE.sub("", raw)
        if word and word not in words:
            words.append(word[:TERM_LENGTH])
    return words


def _successor(prefix: str) -> str:
    """The smallest string greater than every string starting with ``prefix``."""
    last = ord(prefix[-1])
    nxt = last + 1 if last != 0xD7FF else 0xE000
    return prefix[:-1] + chr(min(nxt, 0x10FFFF))


def matching_case_ids(word: str):
    """Subquery: ids of the cases with a term starting with ``word`` (an index range scan)."""
    return (select(SearchTerm.case_id)
            .where(SearchTerm.term >= word, SearchTerm.term < _successor(word)))


def search_condition(case_id_column, q: str) -> ColumnElement[bool]:
    """Every word of ``q`` is the prefix of one of the case's terms (words intersected)."""
    words = query_words(q)
    if not words:
        return false()
    return and_(*(case_id_column.in_(matching_case_ids(word)) for word in words))


# --- Maintenance -----------------------------------------------------------------------

_CASE_FIELDS = ("reference", "creditor_reference", "debtor_id")
_DEBTOR_FIELDS = ("name", "identity_number")


def reindex(session_or_conn, case_ids: Iterable[int]) -> int:
    """Rebuild the terms of ``case_ids`` from the database (Core statements, one round per 500 cases)."""
    from app.cases.models import Case
    from app.debtors.models import Debtor

    ids = sorted(set(case_ids))
    written = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        session_or_conn.execute(delete(SearchTerm).where(SearchTerm.case_id.in_(chunk)))
        rows = session_or_conn.execute(
            select(Case.id, Case.reference, Case.creditor_reference, Debtor.name, Debtor.identity_number)
            .join(Debtor, Debtor.id == Case.debtor_id).where(Case.id.in_(chunk))).all()
        values = [{"term": term, "case_id": case_id}
                  for case_id, reference, creditor_reference, name, identity in rows
                  for term in terms_for(reference=reference, creditor_reference=creditor_reference,
                                        debtor_name=name, identity_number=identity)]
        if values:
            session_or_conn.execute(insert(SearchTerm), values)
            written += len(values)
    return written


def _changed(session: Session, obj, fields: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _after_flush(session: Session, _flush_context) -> None:
    from app.cases.models import Case
    from app.debtors.models import Debtor

    case_ids: set[int] = set()
    debtor_ids: set[int] = set()
    for obj in session.new:
        if isinstance(obj, Case):
            case_ids.add(obj.id)
    for obj in session.dirty:
        if isinstance(obj, Case) and _changed(session, obj, _CASE_FIELDS):
            case_ids.add(obj.id)
        elif isinstance(obj, Debtor) and _changed(session, obj, _DEBTOR_FIELDS):
            debtor_ids.add(obj.id)
    if not case_ids and not debtor_ids:
        return
    conn = session.connection()
    if debtor_ids:
        case_ids.update(conn.scalars(select(Case.id).where(Case.debtor_id.in_(debtor_ids))))
    reindex(conn, case_ids)


event.listen(Session, "after_flush", _after_flush)
