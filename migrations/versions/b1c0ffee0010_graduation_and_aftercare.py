"""exit assessment with the self-reliance index, aftercare visits after termination

Revision ID: b1c0ffee0010
Revises: b1c0ffee0009
Create Date: 2026-12-03 13:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0010'
down_revision = 'b1c0ffee0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('self_reliance_variable',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('weight', sa.SmallInteger(), nullable=False),
    sa.Column('max_score', sa.SmallInteger(), nullable=False),
    sa.Column('ordinal', sa.SmallInteger(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('weight > 0 AND max_score > 0', name=op.f('ck_self_reliance_variable_weight_and_max_positive')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_self_reliance_variable_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_self_reliance_variable')),
    sa.UniqueConstraint('agency_id', 'code', name=op.f('uq_self_reliance_variable_agency_id_code'))
    )
    op.create_table('aftercare_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('month_offset', sa.SmallInteger(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=True),
    sa.Column('result', sa.Enum('stable', 'fallen_back', 'not_met', name='aftercare_visit_result', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('(visited_on IS NULL) = (result IS NULL) AND (visited_on IS NULL) = (recorded_by_id IS NULL)', name=op.f('ck_aftercare_visit_recorded_all_or_nothing')),
    sa.CheckConstraint('month_offset > 0', name=op.f('ck_aftercare_visit_month_offset_positive')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_aftercare_visit_case_id_case_file')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_aftercare_visit_recorded_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftercare_visit')),
    sa.UniqueConstraint('case_id', 'month_offset', name=op.f('uq_aftercare_visit_case_id_month_offset'))
    )
    with op.batch_alter_table('aftercare_visit', schema=None) as batch_op:
        batch_op.create_index('ix_aftercare_visit_due_open', ['due_on'], unique=False, sqlite_where=sa.text('visited_on IS NULL'), postgresql_where=sa.text('visited_on IS NULL'))

    op.create_table('exit_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('decision', sa.Enum('self_reliant', 'not_self_reliant', name='exit_decision', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('score_total', sa.Integer(), nullable=False),
    sa.Column('score_max', sa.Integer(), nullable=False),
    sa.Column('assessed_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('score_max > 0 AND score_total >= 0 AND score_total <= score_max', name=op.f('ck_exit_assessment_index_in_range')),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['user_account.id'], name=op.f('fk_exit_assessment_assessed_by_id_user_account')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_exit_assessment_case_id_case_file')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exit_assessment')),
    sa.UniqueConstraint('case_id', name=op.f('uq_exit_assessment_case_id')),
    sa.UniqueConstraint('uuid', name=op.f('uq_exit_assessment_uuid'))
    )
    op.create_table('aftercare_reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('due', 'overdue', name='aftercare_reminder_stage', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_aftercare_reminder_user_id_user_account')),
    sa.ForeignKeyConstraint(['visit_id'], ['aftercare_visit.id'], name=op.f('fk_aftercare_reminder_visit_id_aftercare_visit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_aftercare_reminder')),
    sa.UniqueConstraint('visit_id', 'stage', 'user_id', name=op.f('uq_aftercare_reminder_visit_id_stage_user_id'))
    )
    with op.batch_alter_table('aftercare_reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_aftercare_reminder_user_id'), ['user_id'], unique=False)

    op.create_table('exit_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assessment_id', sa.Integer(), nullable=False),
    sa.Column('variable_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.SmallInteger(), nullable=False),
    sa.Column('score', sa.SmallInteger(), nullable=False),
    sa.Column('weight', sa.SmallInteger(), nullable=False),
    sa.Column('max_score', sa.SmallInteger(), nullable=False),
    sa.CheckConstraint('score >= 0 AND score <= max_score AND weight > 0', name=op.f('ck_exit_score_score_in_range')),
    sa.ForeignKeyConstraint(['assessment_id'], ['exit_assessment.id'], name=op.f('fk_exit_score_assessment_id_exit_assessment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['variable_id'], ['self_reliance_variable.id'], name=op.f('fk_exit_score_variable_id_self_reliance_variable')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exit_score')),
    sa.UniqueConstraint('assessment_id', 'variable_id', name=op.f('uq_exit_score_assessment_id_variable_id'))
    )
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aftercare_visit_months', sa.String(length=60), server_default='6,12,18,24,36', nullable=False))


def downgrade():
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_column('aftercare_visit_months')

    op.drop_table('exit_score')
    with op.batch_alter_table('aftercare_reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_aftercare_reminder_user_id'))

    op.drop_table('aftercare_reminder')
    op.drop_table('exit_assessment')
    with op.batch_alter_table('aftercare_visit', schema=None) as batch_op:
        batch_op.drop_index('ix_aftercare_visit_due_open', sqlite_where=sa.text('visited_on IS NULL'), postgresql_where=sa.text('visited_on IS NULL'))

    op.drop_table('aftercare_visit')
    op.drop_table('self_reliance_variable')
