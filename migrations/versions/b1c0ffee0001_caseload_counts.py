"""caseload counts: a case's first delivery day, and indexes that count and list each tab and filter

Revision ID: b1c0ffee0001
Revises: da0dc759df87
Create Date: 2026-12-03 10:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0001'
down_revision = 'da0dc759df87'
branch_labels = None
depends_on = None

ASSESSING = sa.text("stage IN ('intake', 'assessment')")
UNSERVED = sa.text("stage = 'intervention' AND first_delivered_on IS NULL")
OPEN_STAY = sa.text("discharged_on IS NULL")
SHELTERED = sa.text("setting = 'shelter' AND stage IN ('intake', 'assessment', 'planning', 'intervention')")


def upgrade():
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_delivered_on', sa.Date(), nullable=True))
        # Widened below; dropped before the backfill so that it does not update them.
        batch_op.drop_index('ix_case_file_caseworker_stage')
        batch_op.drop_index('ix_case_file_unit_stage')

    # Both databases take UPDATE ... FROM (SQLite since 3.33).
    op.execute(
        "UPDATE case_file SET first_delivered_on = firsts.day"
        " FROM (SELECT case_id, min(delivered_on) AS day FROM service_delivery GROUP BY case_id) AS firsts"
        " WHERE firsts.case_id = case_file.id"
    )

    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.create_index('ix_case_file_caseworker_stage', ['caseworker_id', 'agency_id', 'stage', 'intake_date', 'id'], unique=False)
        batch_op.create_index('ix_case_file_unit_stage', ['unit_id', 'agency_id', 'stage', 'intake_date', 'id'], unique=False)
        batch_op.create_index('ix_case_file_agency_stage', ['agency_id', 'stage', 'intake_date', 'id'], unique=False)
        batch_op.create_index('ix_case_file_caseworker_intake', ['caseworker_id', 'agency_id', 'intake_date', 'id'], unique=False)
        batch_op.create_index('ix_case_file_unit_intake', ['unit_id', 'agency_id', 'intake_date', 'id'], unique=False)
        batch_op.create_index('ix_case_file_agency_intake', ['agency_id', 'intake_date', 'id'], unique=False)
        batch_op.create_index('ix_case_file_assessing', ['agency_id', 'intake_date', 'id'], unique=False, sqlite_where=ASSESSING, postgresql_where=ASSESSING)
        batch_op.create_index('ix_case_file_unserved', ['agency_id', 'stage', 'first_delivered_on', 'planned_on', 'caseworker_id', 'unit_id'], unique=False, sqlite_where=UNSERVED, postgresql_where=UNSERVED)
        batch_op.create_index('ix_case_file_sheltered', ['agency_id', 'setting', 'caseworker_id', 'intake_date', 'id'], unique=False, sqlite_where=SHELTERED, postgresql_where=SHELTERED)
        batch_op.create_index('ix_case_file_sheltered_by_unit', ['agency_id', 'setting', 'unit_id', 'intake_date', 'id'], unique=False, sqlite_where=SHELTERED, postgresql_where=SHELTERED)

    with op.batch_alter_table('case_stay', schema=None) as batch_op:
        batch_op.create_index('ix_case_stay_open_limit', ['last_allowed_day', 'case_id'], unique=False, sqlite_where=OPEN_STAY, postgresql_where=OPEN_STAY)


def downgrade():
    with op.batch_alter_table('case_stay', schema=None) as batch_op:
        batch_op.drop_index('ix_case_stay_open_limit', sqlite_where=OPEN_STAY, postgresql_where=OPEN_STAY)

    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_index('ix_case_file_sheltered_by_unit', sqlite_where=SHELTERED, postgresql_where=SHELTERED)
        batch_op.drop_index('ix_case_file_sheltered', sqlite_where=SHELTERED, postgresql_where=SHELTERED)
        batch_op.drop_index('ix_case_file_unserved', sqlite_where=UNSERVED, postgresql_where=UNSERVED)
        batch_op.drop_index('ix_case_file_assessing', sqlite_where=ASSESSING, postgresql_where=ASSESSING)
        batch_op.drop_index('ix_case_file_agency_intake')
        batch_op.drop_index('ix_case_file_unit_intake')
        batch_op.drop_index('ix_case_file_caseworker_intake')
        batch_op.drop_index('ix_case_file_agency_stage')
        batch_op.drop_index('ix_case_file_unit_stage')
        batch_op.drop_index('ix_case_file_caseworker_stage')
        batch_op.create_index('ix_case_file_unit_stage', ['unit_id', 'agency_id', 'stage'], unique=False)
        batch_op.create_index('ix_case_file_caseworker_stage', ['caseworker_id', 'agency_id', 'stage'], unique=False)
        batch_op.drop_column('first_delivered_on')
