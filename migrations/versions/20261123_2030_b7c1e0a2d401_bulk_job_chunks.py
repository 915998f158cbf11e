"""bulk jobs fanned out in chunks across workers

Revision ID: b7c1e0a2d401
Revises: 1d894515f0e1
Create Date: 2026-11-23 20:30:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c1e0a2d401'
down_revision = '1d894515f0e1'
branch_labels = None
depends_on = None


def upgrade():
    # bulk_jobs.status gains the value 'finalizing': a VARCHAR(32) without a CHECK constraint,
    # so no change to bulk_jobs is needed.
    op.create_table('bulk_job_chunks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bulk_job_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('case_ids', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', name='chunkstatus', native_enum=False, length=32), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('document_ids', sa.JSON(), nullable=False),
    sa.Column('worker', sa.String(length=200), nullable=True),
    sa.Column('dispatched_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['bulk_job_id'], ['bulk_jobs.id'], name=op.f('fk_bulk_job_chunks_bulk_job_id_bulk_jobs'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulk_job_chunks')),
    sa.UniqueConstraint('bulk_job_id', 'position', name='uq_bulk_job_chunks_job_position')
    )


def downgrade():
    op.execute("UPDATE bulk_jobs SET status = 'running' WHERE status = 'finalizing'")
    op.drop_table('bulk_job_chunks')
