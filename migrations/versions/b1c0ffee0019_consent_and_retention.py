"""consent per purpose, retention settings and anonymisation

Revision ID: b1c0ffee0019
Revises: b1c0ffee0018
Create Date: 2026-12-03 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0019'
down_revision = 'b1c0ffee0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('client_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('services', 'referral', 'photos', name='consent_purpose', native_enum=False, create_constraint=True, length=8), nullable=False),
    sa.Column('given', sa.Boolean(), nullable=False),
    sa.Column('recorded_on', sa.Date(), nullable=False),
    sa.Column('method', sa.Enum('signed_form', 'verbal_witness', 'guardian', name='consent_method', native_enum=False, create_constraint=True, length=14), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('withdrawn_on IS NULL OR withdrawn_on >= recorded_on', name=op.f('ck_client_consent_withdrawn_after_recorded')),
    sa.CheckConstraint('(withdrawn_on IS NULL) = (withdrawn_by_id IS NULL)', name=op.f('ck_client_consent_withdrawn_by_whom')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_client_consent_client_id_client')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_client_consent_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user_account.id'], name=op.f('fk_client_consent_withdrawn_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_consent')),
    sa.UniqueConstraint('uuid', name=op.f('uq_client_consent_uuid'))
    )
    with op.batch_alter_table('client_consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_consent_client_id'), ['client_id'], unique=False)

    op.create_table('retention_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('closed_cases', 'reports', 'import_files', name='retention_kind', native_enum=False, create_constraint=True, length=12), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('period >= 1', name=op.f('ck_retention_setting_period_positive')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_retention_setting_agency_id_agency')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_retention_setting_updated_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_setting')),
    sa.UniqueConstraint('agency_id', 'kind', name=op.f('uq_retention_setting_agency_id_kind'))
    )

    op.create_table('client_anonymisation',
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_client_anonymisation_client_id_client')),
    sa.PrimaryKeyConstraint('client_id', name=op.f('pk_client_anonymisation'))
    )


def downgrade():
    op.drop_table('client_anonymisation')
    op.drop_table('retention_setting')
    with op.batch_alter_table('client_consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_consent_client_id'))

    op.drop_table('client_consent')
