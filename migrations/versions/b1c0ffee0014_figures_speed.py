"""indexes for counting a year of figures fast

Revision ID: b1c0ffee0014
Revises: b1c0ffee0013
Create Date: 2026-12-03 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0014'
down_revision = 'b1c0ffee0013'
branch_labels = None
depends_on = None

SPM_PREDICATE = "spm_service_type_id IS NOT NULL"
SPM_COLUMNS = ['agency_id', 'spm_service_type_id', 'assessed_on', 'needs_met_on', 'client_id', 'unit_id', 'intake_region_code', 'id']


def upgrade():
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.create_index('ix_case_file_spm_assessed', SPM_COLUMNS, unique=False, sqlite_where=sa.text(SPM_PREDICATE), postgresql_where=sa.text(SPM_PREDICATE))
    # The documents figure reads a service's deliveries of a year, with their cases, from the index alone.
    with op.batch_alter_table('service_delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_service_delivery_service_date')
        batch_op.create_index('ix_service_delivery_service_date', ['service_id', 'delivered_on', 'case_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('service_delivery', schema=None) as batch_op:
        batch_op.drop_index('ix_service_delivery_service_date')
        batch_op.create_index('ix_service_delivery_service_date', ['service_id', 'delivered_on'], unique=False)
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_index('ix_case_file_spm_assessed', sqlite_where=sa.text(SPM_PREDICATE), postgresql_where=sa.text(SPM_PREDICATE))
