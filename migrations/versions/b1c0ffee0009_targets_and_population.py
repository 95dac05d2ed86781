"""annual targets per indicator and unit, registered PPKS population

Revision ID: b1c0ffee0009
Revises: b1c0ffee0008
Create Date: 2026-12-03 13:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0009'
down_revision = 'b1c0ffee0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('pending_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_pending_import_agency_id_agency')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'], name=op.f('fk_pending_import_uploaded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_import')),
    sa.UniqueConstraint('uuid', name=op.f('uq_pending_import_uuid'))
    )
    with op.batch_alter_table('pending_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_import_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_import_uploaded_at'), ['uploaded_at'], unique=False)

    op.create_table('annual_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('target', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('target BETWEEN 0 AND 999999999', name=op.f('ck_annual_target_target_range')),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_annual_target_year_range')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_annual_target_agency_id_agency')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_annual_target_indicator_id_indicator')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_annual_target_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_target')),
    sa.UniqueConstraint('agency_id', 'year', 'indicator_id', 'unit_id', name=op.f('uq_annual_target_agency_id_year_indicator_id_unit_id'))
    )
    with op.batch_alter_table('annual_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annual_target_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_annual_target_unit_id'), ['unit_id'], unique=False)
        batch_op.create_index('uq_annual_target_agency_wide', ['agency_id', 'year', 'indicator_id'], unique=True, sqlite_where=sa.text('unit_id IS NULL'), postgresql_where=sa.text('unit_id IS NULL'))

    op.create_table('population_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=13), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('counting_unit', sa.Enum('person', 'household', name='counting_unit', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('count BETWEEN 0 AND 999999999', name=op.f('ck_population_count_count_range')),
    sa.CheckConstraint('year BETWEEN 2000 AND 2100', name=op.f('ck_population_count_year_range')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_population_count_agency_id_agency')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_population_count_category_id_category')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_population_count_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_population_count')),
    sa.UniqueConstraint('agency_id', 'year', 'region_code', 'category_id', name=op.f('uq_population_count_agency_id_year_region_code_category_id'))
    )
    with op.batch_alter_table('population_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_population_count_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_population_count_region_code'), ['region_code'], unique=False)


def downgrade():
    with op.batch_alter_table('population_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_population_count_region_code'))
        batch_op.drop_index(batch_op.f('ix_population_count_category_id'))

    op.drop_table('population_count')
    with op.batch_alter_table('annual_target', schema=None) as batch_op:
        batch_op.drop_index('uq_annual_target_agency_wide', sqlite_where=sa.text('unit_id IS NULL'), postgresql_where=sa.text('unit_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_annual_target_unit_id'))
        batch_op.drop_index(batch_op.f('ix_annual_target_indicator_id'))

    op.drop_table('annual_target')
    with op.batch_alter_table('pending_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_import_uploaded_at'))
        batch_op.drop_index(batch_op.f('ix_pending_import_agency_id'))

    op.drop_table('pending_import')
