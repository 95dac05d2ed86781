"""tracing and reunification: family tracing requests and leads, reunifications and their follow-up visits

Revision ID: b1c0ffee0006
Revises: b1c0ffee0005
Create Date: 2026-12-03 10:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0006'
down_revision = 'b1c0ffee0005'
branch_labels = None
depends_on = None

KINSHIP = ('father', 'mother', 'spouse', 'child', 'sibling', 'grandparent', 'uncle_aunt', 'other_relative', 'guardian')


def upgrade():
    op.create_table('tracing_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('sought_name', sa.String(length=200), nullable=False),
    sa.Column('kinship', sa.Enum(*KINSHIP, name='kinship', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('last_known_place', sa.String(length=300), nullable=False),
    sa.Column('last_known_region_code', sa.String(length=13), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('open', 'found', 'not_found', name='tracing_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('result_notes', sa.Text(), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("(status = 'open') = (closed_on IS NULL)", name=op.f('ck_tracing_request_closed_iff_not_open')),
    sa.CheckConstraint('closed_on IS NULL OR closed_on >= opened_on', name=op.f('ck_tracing_request_closed_after_opened')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_tracing_request_case_id_case_file')),
    sa.ForeignKeyConstraint(['last_known_region_code'], ['region.code'], name=op.f('fk_tracing_request_last_known_region_code_region')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['user_account.id'], name=op.f('fk_tracing_request_opened_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracing_request')),
    sa.UniqueConstraint('uuid', name=op.f('uq_tracing_request_uuid'))
    )
    with op.batch_alter_table('tracing_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tracing_request_case_id'), ['case_id'], unique=False)

    op.create_table('tracing_lead',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('followed_on', sa.Date(), nullable=False),
    sa.Column('method', sa.Enum('visit', 'phone', 'village_head_letter', 'social_media', 'other_agency', 'other', name='lead_method', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('action', sa.String(length=300), nullable=True),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_tracing_lead_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['request_id'], ['tracing_request.id'], name=op.f('fk_tracing_lead_request_id_tracing_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tracing_lead')),
    sa.UniqueConstraint('uuid', name=op.f('uq_tracing_lead_uuid'))
    )
    with op.batch_alter_table('tracing_lead', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tracing_lead_request_id'), ['request_id'], unique=False)

    op.create_table('reunification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('member_name', sa.String(length=200), nullable=False),
    sa.Column('kinship', sa.Enum(*KINSHIP, name='kinship', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('tracing_request_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('region_code', sa.String(length=13), nullable=False),
    sa.Column('reunified_on', sa.Date(), nullable=False),
    sa.Column('home_safe', sa.Boolean(), nullable=False),
    sa.Column('safety_note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('home_safe', name=op.f('ck_reunification_home_assessed_safe')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_reunification_case_id_case_file')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_reunification_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_reunification_region_code_region')),
    sa.ForeignKeyConstraint(['tracing_request_id'], ['tracing_request.id'], name=op.f('fk_reunification_tracing_request_id_tracing_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reunification')),
    sa.UniqueConstraint('case_id', name=op.f('uq_reunification_case_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_reunification_uuid'))
    )
    op.create_table('followup_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reunification_id', sa.Integer(), nullable=False),
    sa.Column('day_offset', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=True),
    sa.Column('finding', sa.Text(), nullable=True),
    sa.Column('client_well', sa.Boolean(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('(visited_on IS NULL) = (client_well IS NULL) AND (visited_on IS NULL) = (finding IS NULL) AND (visited_on IS NULL) = (recorded_by_id IS NULL)', name=op.f('ck_followup_visit_recorded_all_or_nothing')),
    sa.CheckConstraint('day_offset > 0', name=op.f('ck_followup_visit_day_offset_positive')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_followup_visit_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['reunification_id'], ['reunification.id'], name=op.f('fk_followup_visit_reunification_id_reunification')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followup_visit')),
    sa.UniqueConstraint('reunification_id', 'day_offset', name=op.f('uq_followup_visit_reunification_id_day_offset'))
    )
    with op.batch_alter_table('followup_visit', schema=None) as batch_op:
        batch_op.create_index('ix_followup_visit_due_open', ['due_on'], unique=False, sqlite_where=sa.text('visited_on IS NULL'), postgresql_where=sa.text('visited_on IS NULL'))

    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('followup_visit_days', sa.String(length=60), server_default='7,30,90', nullable=False))


def downgrade():
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_column('followup_visit_days')

    with op.batch_alter_table('followup_visit', schema=None) as batch_op:
        batch_op.drop_index('ix_followup_visit_due_open', sqlite_where=sa.text('visited_on IS NULL'), postgresql_where=sa.text('visited_on IS NULL'))

    op.drop_table('followup_visit')
    op.drop_table('reunification')
    with op.batch_alter_table('tracing_lead', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tracing_lead_request_id'))

    op.drop_table('tracing_lead')
    with op.batch_alter_table('tracing_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tracing_request_case_id'))

    op.drop_table('tracing_request')
