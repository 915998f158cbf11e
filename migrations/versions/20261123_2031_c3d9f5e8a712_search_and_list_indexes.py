"""search terms and indexes for lists at scale

Revision ID: c3d9f5e8a712
Revises: b7c1e0a2d401
Create Date: 2026-11-23 20:31:00:00

"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d9f5e8a712'
down_revision = 'b7c1e0a2d401'
branch_labels = None
depends_on = None

AWAITING_TRIAGE = "status IN ('disputed', 'investigating')"

CASE_INDEXES = [
    ('ix_cases_updated_id', ['updated_at', 'id']),
    ('ix_cases_created_id', ['created_at', 'id']),
    ('ix_cases_capital_id', ['total_capital', 'id']),
    ('ix_cases_creditor_updated', ['creditor_id', 'updated_at', 'id']),
    ('ix_cases_jurist_updated', ['assigned_jurist_id', 'updated_at', 'id']),
    ('ix_cases_creditor_overview', ['creditor_id', 'status', 'triage_track', 'total_capital']),
    ('ix_cases_creditor_judgment', ['creditor_id', 'judgment_on']),
]


# --- The search terms of existing cases (a frozen copy of app.cases.search.terms_for, so this
# migration keeps doing what it did when the app's rules change later).

_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_INNER = re.compile(r"[\W_]+")


def _fold(text):
    return unicodedata.normalize("NFC", text).casefold()


def _words(text):
    out = set()
    for raw in _fold(text).split():
        word = _EDGE.sub("", raw)
        if not word:
            continue
        out.add(word)
        parts = [p for p in _INNER.split(word) if p]
        if len(parts) > 1:
            out.update(parts)
    return out


def _reference_terms(reference):
    ref = _fold(reference or "").replace(" ", "")
    if not ref:
        return set()
    out = {ref}
    match = re.search(r"(\d+)$", ref)
    if match:
        number = match.group(1).lstrip("0")
        if number and number != ref:
            out.add(number)
    return out


def _identity_terms(identity_number):
    digits = "".join(ch for ch in identity_number or "" if ch.isdigit())
    if not digits:
        return set()
    return {digits, digits[2:]} if len(digits) == 12 else {digits}


def _terms(reference, creditor_reference, name, identity_number):
    terms = _reference_terms(reference) | _reference_terms(creditor_reference) | _words(name or "")
    terms |= _identity_terms(identity_number)
    return {t[:100] for t in terms if t}


def upgrade():
    op.create_table(
        'search_terms',
        sa.Column('term', sa.String(length=100).with_variant(sa.String(length=100, collation='C'), 'postgresql'),
                  nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_search_terms_case_id_cases'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('term', 'case_id', name=op.f('pk_search_terms')),
    )
    with op.batch_alter_table('search_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_terms_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('cases', schema=None) as batch_op:
        for name, columns in CASE_INDEXES:
            batch_op.create_index(name, columns, unique=False)
    cases = sa.table('cases', sa.column('id'), sa.column('reference'), sa.column('creditor_reference'),
                     sa.column('debtor_id'))
    op.create_index('ix_cases_triage_order', 'cases', ['triage_urgent_on', 'triage_expected_net', 'id'],
                    unique=False, sqlite_where=sa.text(AWAITING_TRIAGE), postgresql_where=sa.text(AWAITING_TRIAGE))

    # Data: the terms of the cases already there, in batches.
    conn = op.get_bind()
    debtors = sa.table('debtors', sa.column('id'), sa.column('name'), sa.column('identity_number'))
    search_terms = sa.table('search_terms', sa.column('term'), sa.column('case_id'))
    last = 0
    while True:
        rows = conn.execute(
            sa.select(cases.c.id, cases.c.reference, cases.c.creditor_reference, debtors.c.name,
                      debtors.c.identity_number)
            .select_from(cases.join(debtors, debtors.c.id == cases.c.debtor_id))
            .where(cases.c.id > last).order_by(cases.c.id).limit(5000)).all()
        if not rows:
            break
        values = [{'term': term, 'case_id': case_id}
                  for case_id, reference, creditor_reference, name, identity in rows
                  for term in _terms(reference, creditor_reference, name, identity)]
        if values:
            conn.execute(search_terms.insert(), values)
        last = rows[-1][0]


def downgrade():
    op.drop_index('ix_cases_triage_order', table_name='cases')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        for name, _columns in reversed(CASE_INDEXES):
            batch_op.drop_index(name)
    with op.batch_alter_table('search_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_terms_case_id'))
    op.drop_table('search_terms')
