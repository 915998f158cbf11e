"""security: login throttling, TOTP, session epochs, retention; creditor overview cache

Revision ID: d5e2a7b9c013
Revises: c3d9f5e8a712
Create Date: 2026-11-23 20:32:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5e2a7b9c013'
down_revision = 'c3d9f5e8a712'
branch_labels = None
depends_on = None

CLOSED = ("paid", "written_off", "withdrawn")


def upgrade():
    op.create_table('login_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('account', sa.String(length=254), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempts'))
    )
    op.create_index('ix_login_attempts_account_at', 'login_attempts', ['account', 'at'], unique=False)
    op.create_index('ix_login_attempts_address_at', 'login_attempts', ['address', 'at'], unique=False)

    op.create_table('retention_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ran_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('run_on', sa.Date(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('dry_run', sa.Boolean(), nullable=False),
    sa.Column('anonymise_closed_before', sa.Date(), nullable=False),
    sa.Column('cases_anonymised', sa.Integer(), nullable=False),
    sa.Column('debtors_anonymised', sa.Integer(), nullable=False),
    sa.Column('files_removed', sa.Integer(), nullable=False),
    sa.Column('cases_deleted', sa.Integer(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_retention_runs_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_runs'))
    )

    op.create_table('creditor_overviews',
    sa.Column('creditor_id', sa.Integer(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('stale', sa.Boolean(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['creditor_id'], ['creditors.id'], name=op.f('fk_creditor_overviews_creditor_id_creditors'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('creditor_id', name=op.f('pk_creditor_overviews'))
    )

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), nullable=False, server_default='0'))

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('anonymised_on', sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f('ix_cases_closed_on'), ['closed_on'], unique=False)

    with op.batch_alter_table('debtors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('anonymised_on', sa.Date(), nullable=True))

    # Cases closed before this migration: the last change is the best known closing day.
    cases = sa.table('cases', sa.column('status', sa.String), sa.column('closed_on', sa.Date),
                     sa.column('updated_at', sa.DateTime(timezone=True)))
    op.execute(cases.update().where(cases.c.status.in_(CLOSED)).values(closed_on=sa.func.date(cases.c.updated_at)))


def downgrade():
    with op.batch_alter_table('debtors', schema=None) as batch_op:
        batch_op.drop_column('anonymised_on')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_closed_on'))
        batch_op.drop_column('anonymised_on')
        batch_op.drop_column('closed_on')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')
        batch_op.drop_column('totp_last_step')
        batch_op.drop_column('totp_confirmed_at')
        batch_op.drop_column('totp_secret')

    op.drop_table('creditor_overviews')
    op.drop_table('retention_runs')
    op.drop_index('ix_login_attempts_address_at', table_name='login_attempts')
    op.drop_index('ix_login_attempts_account_at', table_name='login_attempts')
    op.drop_table('login_attempts')
