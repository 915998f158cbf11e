"""law values maintained in the app: proposals, four-eyes approval, and the reload token

Revision ID: e7a1c4b2f911
Revises: d5e2a7b9c013
Create Date: 2026-12-02 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7a1c4b2f911'
down_revision = 'd5e2a7b9c013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('law_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('series_key', sa.String(length=60), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('value_text', sa.String(length=40), nullable=False),
    sa.Column('source', sa.String(length=500), nullable=False),
    sa.Column('source_url', sa.String(length=500), nullable=True),
    sa.Column('verification', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=True),
    sa.Column('state', sa.Enum('proposed', 'approved', 'withdrawn', name='lawvaluestate', native_enum=False,
                               create_constraint=False, length=16), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_law_values_approved_by_id_users')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_law_values_proposed_by_id_users')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['users.id'], name=op.f('fk_law_values_withdrawn_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_law_values'))
    )
    with op.batch_alter_table('law_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_law_values_state'), ['state'], unique=False)
        batch_op.create_index('ix_law_values_series', ['table_name', 'series_key', 'valid_from'], unique=False)

    op.create_table('law_values_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_law_values_state'))
    )


def downgrade():
    op.drop_table('law_values_state')
    with op.batch_alter_table('law_values', schema=None) as batch_op:
        batch_op.drop_index('ix_law_values_series')
        batch_op.drop_index(batch_op.f('ix_law_values_state'))
    op.drop_table('law_values')
