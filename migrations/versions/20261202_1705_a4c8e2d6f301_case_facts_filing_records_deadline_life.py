"""case facts: filing records, deadline life, fee and interest basis, court-facing grounds

Revision ID: a4c8e2d6f301
Revises: e7a1c4b2f911
Create Date: 2026-12-02 16:50:00

Existing deadlines whose stage the case has already left are closed (state 'superseded', or
'cancelled' for closed cases) with closed_by 'migration': only open deadlines are listed, put in
the calendar feed and reminded of. The statuses each deadline is live in are copied here from
app.course.deadlines.LIVE_IN as it stood when this migration was written.
"""
from alembic import op
import sqlalchemy as sa


revision = 'a4c8e2d6f301'
down_revision = 'e7a1c4b2f911'
branch_labels = None
depends_on = None

CLOSED = ("paid", "written_off", "withdrawn")
LIVE_IN = {
    "answer": ("payment_order",),
    "transfer_request": ("kfm_disputed",),
    "utslag_appeal": ("utslag",),
    "utslag_reopening": ("utslag",),
    "appeal": ("judgment",),
    "tredskodom_reopening": ("judgment",),
    "final": ("judgment",),
    "monitoring_check": ("monitoring",),
}


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_sent_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('inkassokrav_sent_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('demand_warned_of_interest', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('court_grounds', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('claim_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('arose_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('due_date_agreed', sa.Boolean(), nullable=False, server_default=sa.true()))
    with op.batch_alter_table('objections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('setoff_amount', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('response', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('waiver_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('kfm_costs', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('creditors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approval_not_required_up_to', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('case_deadlines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.String(length=16), nullable=False, server_default='open'))
        batch_op.add_column(sa.Column('closed_by', sa.String(length=60), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('closed_on', sa.Date(), nullable=True))

    op.create_table('filing_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('court', sa.String(length=120), nullable=False),
    sa.Column('track', sa.String(length=16), nullable=False),
    sa.Column('claim_value', sa.BigInteger(), nullable=False),
    sa.Column('capital', sa.BigInteger(), nullable=False),
    sa.Column('interest', sa.BigInteger(), nullable=False),
    sa.Column('setoff', sa.BigInteger(), nullable=False),
    sa.Column('collection_charges', sa.BigInteger(), nullable=False),
    sa.Column('court_fee', sa.BigInteger(), nullable=False),
    sa.Column('kfm_fees', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_filing_records_case_id_cases'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_filing_records'))
    )
    op.create_index(op.f('ix_filing_records_case_id'), 'filing_records', ['case_id'], unique=False)

    deadlines = sa.table('case_deadlines', sa.column('case_id', sa.Integer), sa.column('code', sa.String),
                         sa.column('state', sa.String), sa.column('closed_by', sa.String))
    cases = sa.table('cases', sa.column('id', sa.Integer), sa.column('status', sa.String))
    op.execute(deadlines.update()
               .where(deadlines.c.case_id.in_(sa.select(cases.c.id).where(cases.c.status.in_(CLOSED))))
               .values(state='cancelled', closed_by='migration'))
    for code, live in LIVE_IN.items():
        op.execute(deadlines.update()
                   .where(deadlines.c.code == code, deadlines.c.state == 'open',
                          deadlines.c.case_id.in_(sa.select(cases.c.id).where(cases.c.status.not_in(live))))
                   .values(state='superseded', closed_by='migration'))


def downgrade():
    op.drop_index(op.f('ix_filing_records_case_id'), table_name='filing_records')
    op.drop_table('filing_records')
    for table, columns in (
        ('case_deadlines', ('closed_on', 'closed_by', 'state')),
        ('creditors', ('approval_not_required_up_to',)),
        ('outcomes', ('kfm_costs', 'waiver_on')),
        ('objections', ('response', 'setoff_amount')),
        ('claim_lines', ('due_date_agreed', 'arose_on')),
        ('cases', ('court_grounds', 'demand_warned_of_interest', 'inkassokrav_sent_on', 'reminder_sent_on')),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_column(column)
