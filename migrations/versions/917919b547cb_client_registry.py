"""client registry: clients, their PPKS categories, and name tokens for duplicate matching

Revision ID: 917919b547cb
Revises: de61569b4d2f
Create Date: 2026-11-24 16:57:38.436522

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '917919b547cb'
down_revision = 'de61569b4d2f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('aliases', sa.String(length=400), nullable=True),
    sa.Column('sex', sa.Enum('male', 'female', name='sex', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('birth_year', sa.SmallInteger(), nullable=True),
    sa.Column('birth_year_estimated', sa.Boolean(), nullable=False),
    sa.Column('place_of_birth', sa.String(length=120), nullable=True),
    sa.Column('mother_name', sa.String(length=200), nullable=True),
    sa.Column('nik', sa.String(length=16), nullable=True),
    sa.Column('kk_number', sa.String(length=16), nullable=True),
    sa.Column('has_ktp', sa.Boolean(), nullable=False),
    sa.Column('has_kk', sa.Boolean(), nullable=False),
    sa.Column('has_akta', sa.Boolean(), nullable=False),
    sa.Column('has_kia', sa.Boolean(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('domicile_region_code', sa.String(length=13), nullable=True),
    sa.Column('origin_region_code', sa.String(length=13), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('birth_date IS NULL OR (birth_year IS NOT NULL AND NOT birth_year_estimated)', name=op.f('ck_client_birth_date_exact')),
    sa.CheckConstraint('birth_year IS NOT NULL OR NOT birth_year_estimated', name=op.f('ck_client_estimate_has_year')),
    sa.CheckConstraint('kk_number IS NULL OR length(kk_number) = 16', name=op.f('ck_client_kk_number_length')),
    sa.CheckConstraint('nik IS NULL OR length(nik) = 16', name=op.f('ck_client_nik_length')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_client_agency_id_agency')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_client_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['domicile_region_code'], ['region.code'], name=op.f('fk_client_domicile_region_code_region')),
    sa.ForeignKeyConstraint(['origin_region_code'], ['region.code'], name=op.f('fk_client_origin_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client')),
    sa.UniqueConstraint('agency_id', 'nik', name=op.f('uq_client_agency_id_nik')),
    sa.UniqueConstraint('uuid', name=op.f('uq_client_uuid'))
    )
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_agency_id'), ['agency_id'], unique=False)

    op.create_table('client_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('since', sa.Date(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.CheckConstraint('until IS NULL OR until >= since', name=op.f('ck_client_category_until_after_since')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_client_category_category_id_category')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_client_category_client_id_client')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_category')),
    sa.UniqueConstraint('client_id', 'category_id', 'since', name=op.f('uq_client_category_client_id_category_id_since'))
    )
    with op.batch_alter_table('client_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_category_client_id'), ['client_id'], unique=False)

    op.create_table('client_name_token',
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=60).with_variant(sa.String(length=60, collation='C'), 'postgresql'), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_client_name_token_agency_id_agency')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_client_name_token_client_id_client')),
    sa.PrimaryKeyConstraint('agency_id', 'token', 'client_id', name=op.f('pk_client_name_token'))
    )
    with op.batch_alter_table('client_name_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_name_token_client_id'), ['client_id'], unique=False)



def downgrade():
    with op.batch_alter_table('client_name_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_name_token_client_id'))

    op.drop_table('client_name_token')
    with op.batch_alter_table('client_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_category_client_id'))

    op.drop_table('client_category')
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_agency_id'))

    op.drop_table('client')
