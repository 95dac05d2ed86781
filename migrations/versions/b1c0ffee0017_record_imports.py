"""record imports: import jobs, their dry-run report rows, and the source row keys

Revision ID: b1c0ffee0017
Revises: b1c0ffee0016
Create Date: 2026-12-03 16:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0017'
down_revision = 'b1c0ffee0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=30), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('checking', 'checked', 'queued', 'running', 'done', 'failed', name='import_job_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('error_count', sa.Integer(), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('resume_line', sa.Integer(), nullable=False),
    sa.Column('applied', sa.JSON(), nullable=False),
    sa.Column('failure', sa.String(length=500), nullable=True),
    sa.Column('new_when_unsure', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('done >= 0 AND done <= total', name=op.f('ck_import_job_done_within_total')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_import_job_agency_id_agency')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_import_job_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['file_id'], ['stored_file.id'], name=op.f('fk_import_job_file_id_stored_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_job')),
    sa.UniqueConstraint('uuid', name=op.f('uq_import_job_uuid'))
    )
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_job_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index('ix_import_job_status_heartbeat', ['status', 'heartbeat_at'], unique=False)

    op.create_table('import_row',
    sa.Column('job_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=12), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=True),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('candidates', sa.JSON(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['job_id'], ['import_job.id'], name=op.f('fk_import_row_job_id_import_job'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('job_id', 'line', name=op.f('pk_import_row'))
    )
    with op.batch_alter_table('import_row', schema=None) as batch_op:
        batch_op.create_index('ix_import_row_job_action', ['job_id', 'action', 'line'], unique=False)

    op.create_table('import_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=30), nullable=False),
    sa.Column('source_key', sa.String(length=100), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('row_hash', sa.String(length=32), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_import_key_agency_id_agency')),
    sa.ForeignKeyConstraint(['job_id'], ['import_job.id'], name=op.f('fk_import_key_job_id_import_job'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_key')),
    sa.UniqueConstraint('agency_id', 'record_type', 'source_key', name=op.f('uq_import_key_agency_id_record_type_source_key'))
    )
    with op.batch_alter_table('import_key', schema=None) as batch_op:
        batch_op.create_index('ix_import_key_record', ['record_type', 'record_id'], unique=False)


def downgrade():
    with op.batch_alter_table('import_key', schema=None) as batch_op:
        batch_op.drop_index('ix_import_key_record')
    op.drop_table('import_key')
    with op.batch_alter_table('import_row', schema=None) as batch_op:
        batch_op.drop_index('ix_import_row_job_action')
    op.drop_table('import_row')
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.drop_index('ix_import_job_status_heartbeat')
        batch_op.drop_index(batch_op.f('ix_import_job_agency_id'))
    op.drop_table('import_job')
