"""quarterly SPM report: budget, problems and action plan entered by the data officer

Revision ID: b1c0ffee0013
Revises: b1c0ffee0012
Create Date: 2026-12-03 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0013'
down_revision = 'b1c0ffee0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('spm_report_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('quarter', sa.SmallInteger(), nullable=False),
    sa.Column('spm_service_type_id', sa.Integer(), nullable=False),
    sa.Column('budget_allocation', sa.BigInteger(), nullable=True),
    sa.Column('budget_realisation', sa.BigInteger(), nullable=True),
    sa.Column('problems', sa.String(length=2000), nullable=True),
    sa.Column('action_plan', sa.String(length=2000), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('quarter BETWEEN 1 AND 4', name=op.f('ck_spm_report_entry_quarter_range')),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_spm_report_entry_year_range')),
    sa.CheckConstraint('budget_allocation IS NULL OR budget_allocation BETWEEN 0 AND 1000000000000000', name=op.f('ck_spm_report_entry_allocation_range')),
    sa.CheckConstraint('budget_realisation IS NULL OR budget_realisation BETWEEN 0 AND 1000000000000000', name=op.f('ck_spm_report_entry_realisation_range')),
    sa.CheckConstraint('budget_realisation IS NULL OR budget_allocation IS NULL OR budget_realisation <= budget_allocation', name=op.f('ck_spm_report_entry_realisation_within_allocation')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_spm_report_entry_agency_id_agency')),
    sa.ForeignKeyConstraint(['spm_service_type_id'], ['spm_service_type.id'], name=op.f('fk_spm_report_entry_spm_service_type_id_spm_service_type')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_spm_report_entry_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spm_report_entry')),
    sa.UniqueConstraint('agency_id', 'year', 'quarter', 'spm_service_type_id', name=op.f('uq_spm_report_entry_agency_id_year_quarter_spm_service_type_id'))
    )
    with op.batch_alter_table('spm_report_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spm_report_entry_spm_service_type_id'), ['spm_service_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_spm_report_entry_updated_by_id'), ['updated_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('spm_report_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spm_report_entry_updated_by_id'))
        batch_op.drop_index(batch_op.f('ix_spm_report_entry_spm_service_type_id'))

    op.drop_table('spm_report_entry')
