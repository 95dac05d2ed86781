"""indicators as data and the standard indicators

Revision ID: b1c0ffee0008
Revises: b1c0ffee0007
Create Date: 2026-12-03 13:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0008'
down_revision = 'b1c0ffee0007'
branch_labels = None
depends_on = None

WEIGHTS_CHECK = 'spm_weight_recipients >= 0 AND spm_weight_quality >= 0 AND spm_weight_recipients + spm_weight_quality = 100'


def upgrade():
    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('counting_unit', sa.Enum('person', 'household', 'service', name='indicator_unit', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('reported_by', sa.Enum('agency', 'branch_office', 'panti', 'district', name='indicator_reported_by', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('period_rule', sa.Enum('cumulative', 'per_period', name='indicator_period_rule', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('denominator', sa.Enum('target', 'measure', 'population', name='indicator_denominator', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('measure', sa.String(length=40), nullable=False),
    sa.Column('spm_service_type_id', sa.Integer(), nullable=True),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['spm_service_type_id'], ['spm_service_type.id'], name=op.f('fk_indicator_spm_service_type_id_spm_service_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator')),
    sa.UniqueConstraint('code', name=op.f('uq_indicator_code'))
    )
    op.create_table('spm_quality_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('quarter', sa.SmallInteger(), nullable=False),
    sa.Column('spm_service_type_id', sa.Integer(), nullable=False),
    sa.Column('met', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('quarter BETWEEN 1 AND 4', name=op.f('ck_spm_quality_entry_quarter_range')),
    sa.CheckConstraint('met >= 0 AND total >= 0 AND met <= total', name=op.f('ck_spm_quality_entry_met_within_total')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_spm_quality_entry_agency_id_agency')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user_account.id'], name=op.f('fk_spm_quality_entry_entered_by_id_user_account')),
    sa.ForeignKeyConstraint(['spm_service_type_id'], ['spm_service_type.id'], name=op.f('fk_spm_quality_entry_spm_service_type_id_spm_service_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spm_quality_entry')),
    sa.UniqueConstraint('agency_id', 'year', 'quarter', 'spm_service_type_id', name=op.f('uq_spm_quality_entry_agency_id_year_quarter_spm_service_type_id'))
    )
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('spm_weight_recipients', sa.Integer(), server_default='80', nullable=False))
        batch_op.add_column(sa.Column('spm_weight_quality', sa.Integer(), server_default='20', nullable=False))
        batch_op.create_check_constraint(op.f('ck_agency_spm_weights_sum_100'), WEIGHTS_CHECK)


def downgrade():
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_agency_spm_weights_sum_100'), type_='check')
        batch_op.drop_column('spm_weight_quality')
        batch_op.drop_column('spm_weight_recipients')

    op.drop_table('spm_quality_entry')
    op.drop_table('indicator')
