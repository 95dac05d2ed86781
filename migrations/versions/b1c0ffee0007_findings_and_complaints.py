"""field findings and public complaints, their photos, history and reference numbers

Revision ID: b1c0ffee0007
Revises: b1c0ffee0006
Create Date: 2026-12-03 13:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0007'
down_revision = 'b1c0ffee0006'
branch_labels = None
depends_on = None

REPORT_KIND = ('finding', 'complaint')


def upgrade():
    op.create_table('report_number_counter',
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum(*REPORT_KIND, name='report_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_report_number_counter_agency_id_agency')),
    sa.PrimaryKeyConstraint('agency_id', 'kind', 'year', name=op.f('pk_report_number_counter'))
    )
    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum(*REPORT_KIND, name='report_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('reported_by_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('call_centre', 'walk_in', 'message', 'letter', name='complaint_source', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('reporter_name', sa.String(length=200), nullable=True),
    sa.Column('reporter_contact', sa.String(length=200), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('region_code', sa.String(length=13), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('observed_on', sa.Date(), nullable=False),
    sa.Column('urgency', sa.Enum('emergency', 'soon', 'routine', name='report_urgency', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('consent_given', sa.Boolean(), nullable=False),
    sa.Column('person_name', sa.String(length=200), nullable=True),
    sa.Column('person_sex', sa.Enum('male', 'female', name='sex', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('person_age', sa.SmallInteger(), nullable=True),
    sa.Column('person_details', sa.Text(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('received', 'under_review', 'case_opened', 'case_attached', 'forwarded', 'closed', name='report_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('review_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_started_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('forwarded_to_name', sa.String(length=200), nullable=True),
    sa.Column('close_reason', sa.Enum('not_found', 'not_ppks', 'duplicate', 'other', name='report_close_reason', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('first_visit_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("(kind = 'complaint') = (source IS NOT NULL)", name=op.f('ck_report_complaint_has_source')),
    sa.CheckConstraint("(status = 'closed') = (close_reason IS NOT NULL)", name=op.f('ck_report_closed_has_reason')),
    sa.CheckConstraint("(status = 'forwarded') = (forwarded_to_name IS NOT NULL)", name=op.f('ck_report_forward_named')),
    sa.CheckConstraint("(status IN ('case_opened', 'case_attached')) = (case_id IS NOT NULL)", name=op.f('ck_report_case_iff_reached')),
    sa.CheckConstraint("(status IN ('case_opened', 'case_attached', 'forwarded', 'closed')) = (decided_by_id IS NOT NULL AND decided_at IS NOT NULL)", name=op.f('ck_report_decided_iff_decider')),
    sa.CheckConstraint("close_reason <> 'duplicate' OR duplicate_of_id IS NOT NULL", name=op.f('ck_report_duplicate_of_named')),
    sa.CheckConstraint('person_age IS NULL OR person_age BETWEEN 0 AND 130', name=op.f('ck_report_person_age_range')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_report_agency_id_agency')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_report_case_id_case_file')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_report_category_id_category')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_report_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['report.id'], name=op.f('fk_report_duplicate_of_id_report')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_report_region_code_region')),
    sa.ForeignKeyConstraint(['reported_by_id'], ['user_account.id'], name=op.f('fk_report_reported_by_id_user_account')),
    sa.ForeignKeyConstraint(['review_started_by_id'], ['user_account.id'], name=op.f('fk_report_review_started_by_id_user_account')),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_report_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report')),
    sa.UniqueConstraint('agency_id', 'number', name=op.f('uq_report_agency_id_number')),
    sa.UniqueConstraint('uuid', name=op.f('uq_report_uuid'))
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_report_queue', ['agency_id', 'unit_id', 'status'], unique=False)
        batch_op.create_index('ix_report_received', ['agency_id', 'kind', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_reported_by_id'), ['reported_by_id'], unique=False)

    op.create_table('report_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user_account.id'], name=op.f('fk_report_event_actor_id_user_account')),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_event_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_event'))
    )
    with op.batch_alter_table('report_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_event_report_id'), ['report_id'], unique=False)

    op.create_table('report_photo',
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('file_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['file_id'], ['stored_file.id'], name=op.f('fk_report_photo_file_id_stored_file')),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_report_photo_report_id_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('report_id', 'file_id', name=op.f('pk_report_photo'))
    )


def downgrade():
    op.drop_table('report_photo')
    with op.batch_alter_table('report_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_event_report_id'))

    op.drop_table('report_event')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_reported_by_id'))
        batch_op.drop_index('ix_report_received')
        batch_op.drop_index('ix_report_queue')
        batch_op.drop_index(batch_op.f('ix_report_case_id'))

    op.drop_table('report')
    op.drop_table('report_number_counter')
