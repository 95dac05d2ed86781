"""referrals: proposals, supervisor approval, answers and results; agency referral deadline and letterhead

Revision ID: b1c0ffee0003
Revises: b1c0ffee0002
Create Date: 2026-12-03 10:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0003'
down_revision = 'b1c0ffee0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('referral_number_counter',
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_referral_number_counter_agency_id_agency')),
    sa.PrimaryKeyConstraint('agency_id', 'year', name=op.f('pk_referral_number_counter'))
    )
    op.create_table('referral',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('destination_kind', sa.Enum('unit', 'partner', 'agency', name='referral_destination', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('to_unit_id', sa.Integer(), nullable=True),
    sa.Column('to_agency_name', sa.String(length=200), nullable=True),
    sa.Column('to_region_code', sa.String(length=13), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('urgency', sa.Enum('routine', 'urgent', 'emergency', name='referral_urgency', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('consent_given', sa.Boolean(), nullable=False),
    sa.Column('no_consent_reason', sa.Enum('child', 'no_capacity', 'unconscious', 'other', name='referral_no_consent', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('consent_notes', sa.String(length=300), nullable=True),
    sa.Column('status', sa.Enum('proposed', 'approved', 'rejected', 'accepted', 'declined', 'completed', name='referral_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answer_note', sa.Text(), nullable=True),
    sa.Column('completed_by_id', sa.Integer(), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("(destination_kind IN ('unit', 'partner')) = (to_unit_id IS NOT NULL) AND (destination_kind = 'agency') = (to_agency_name IS NOT NULL AND to_region_code IS NOT NULL)", name=op.f('ck_referral_destination_named')),
    sa.CheckConstraint("(status = 'completed') = (completed_by_id IS NOT NULL AND completed_at IS NOT NULL AND result IS NOT NULL)", name=op.f('ck_referral_completed_iff_result')),
    sa.CheckConstraint("(status IN ('accepted', 'declined', 'completed')) = (answered_by_id IS NOT NULL AND answered_at IS NOT NULL)", name=op.f('ck_referral_answered_iff_answerer')),
    sa.CheckConstraint("(status IN ('approved', 'rejected', 'accepted', 'declined', 'completed')) = (decided_by_id IS NOT NULL AND decided_at IS NOT NULL)", name=op.f('ck_referral_decided_iff_decider')),
    sa.CheckConstraint("status <> 'declined' OR answer_note IS NOT NULL", name=op.f('ck_referral_decline_has_reason')),
    sa.CheckConstraint("status <> 'rejected' OR decision_note IS NOT NULL", name=op.f('ck_referral_rejection_has_reason')),
    sa.CheckConstraint('consent_given <> (no_consent_reason IS NOT NULL)', name=op.f('ck_referral_consent_or_reason')),
    sa.CheckConstraint('decided_by_id IS NULL OR decided_by_id <> proposed_by_id', name=op.f('ck_referral_four_eyes')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_referral_agency_id_agency')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['user_account.id'], name=op.f('fk_referral_answered_by_id_user_account')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_referral_case_id_case_file')),
    sa.ForeignKeyConstraint(['completed_by_id'], ['user_account.id'], name=op.f('fk_referral_completed_by_id_user_account')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_referral_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user_account.id'], name=op.f('fk_referral_proposed_by_id_user_account')),
    sa.ForeignKeyConstraint(['to_region_code'], ['region.code'], name=op.f('fk_referral_to_region_code_region')),
    sa.ForeignKeyConstraint(['to_unit_id'], ['unit.id'], name=op.f('fk_referral_to_unit_id_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral')),
    sa.UniqueConstraint('agency_id', 'number', name=op.f('uq_referral_agency_id_number')),
    sa.UniqueConstraint('uuid', name=op.f('uq_referral_uuid'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index('ix_referral_agency_status', ['agency_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_to_unit_id'), ['to_unit_id'], unique=False)

    op.create_table('referral_service',
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_referral_service_referral_id_referral'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_referral_service_service_id_service')),
    sa.PrimaryKeyConstraint('referral_id', 'service_id', name=op.f('pk_referral_service'))
    )
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('referral_due_days', sa.Integer(), server_default='3', nullable=False))
        batch_op.add_column(sa.Column('head_name', sa.String(length=200), nullable=True))
        batch_op.create_check_constraint(op.f('ck_agency_referral_due_days_positive'), 'referral_due_days > 0')


def downgrade():
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_agency_referral_due_days_positive'), type_='check')
        batch_op.drop_column('head_name')
        batch_op.drop_column('referral_due_days')

    op.drop_table('referral_service')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_to_unit_id'))
        batch_op.drop_index(batch_op.f('ix_referral_case_id'))
        batch_op.drop_index('ix_referral_agency_status')

    op.drop_table('referral')
    op.drop_table('referral_number_counter')
