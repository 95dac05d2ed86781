"""closure approval and notifications: case closures waiting for a supervisor, in-app notifications

Revision ID: b1c0ffee0004
Revises: b1c0ffee0003
Create Date: 2026-12-03 10:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0004'
down_revision = 'b1c0ffee0003'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'case_closure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.Uuid(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.Enum('reunified', 'returned_to_origin', 'referred', 'placed_in_panti', 'self_reliant', 'died', 'lost_contact', 'refused', name='closure_outcome', native_enum=False, create_constraint=True), nullable=False),
        sa.Column('terminated_on', sa.Date(), nullable=False),
        sa.Column('termination_notes', sa.Text(), nullable=True),
        sa.Column('aftercare_months', sa.SmallInteger(), nullable=True),
        sa.Column('status', sa.Enum('pending', 'approved', 'rejected', name='closure_status', native_enum=False, create_constraint=True), nullable=False),
        sa.Column('proposed_by_id', sa.Integer(), nullable=False),
        sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_reason', sa.Text(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint("(status = 'pending') = (decided_by_id IS NULL AND decided_at IS NULL)", name=op.f('ck_case_closure_decided_iff_not_pending')),
        sa.CheckConstraint("status <> 'rejected' OR decision_reason IS NOT NULL", name=op.f('ck_case_closure_rejection_has_reason')),
        sa.CheckConstraint('aftercare_months IS NULL OR aftercare_months IN (6, 12, 18, 24, 36)', name=op.f('ck_case_closure_aftercare_months_allowed')),
        sa.CheckConstraint('decided_by_id IS NULL OR decided_by_id <> proposed_by_id', name=op.f('ck_case_closure_four_eyes')),
        sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_closure_case_id_case_file')),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_case_closure_decided_by_id_user_account')),
        sa.ForeignKeyConstraint(['proposed_by_id'], ['user_account.id'], name=op.f('fk_case_closure_proposed_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_closure')),
        sa.UniqueConstraint('uuid', name=op.f('uq_case_closure_uuid')),
    )
    with op.batch_alter_table('case_closure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_closure_case_id'), ['case_id'], unique=False)
        batch_op.create_index('ix_case_closure_status_proposed_at', ['status', 'proposed_at'], unique=False)
        batch_op.create_index('uq_case_closure_one_pending', ['case_id'], unique=True, sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))

    op.create_table(
        'notification',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_notification_case_id_case_file')),
        sa.ForeignKeyConstraint(['event_id'], ['case_event.id'], name=op.f('fk_notification_event_id_case_event')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notification_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
        sa.UniqueConstraint('user_id', 'event_id', name=op.f('uq_notification_user_id_event_id')),
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_case_id', ['case_id'], unique=False)
        batch_op.create_index('ix_notification_unread', ['user_id'], unique=False, sqlite_where=sa.text('read_at IS NULL'), postgresql_where=sa.text('read_at IS NULL'))


def downgrade():
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_unread', sqlite_where=sa.text('read_at IS NULL'), postgresql_where=sa.text('read_at IS NULL'))
        batch_op.drop_index('ix_notification_case_id')

    op.drop_table('notification')
    with op.batch_alter_table('case_closure', schema=None) as batch_op:
        batch_op.drop_index('uq_case_closure_one_pending', sqlite_where=sa.text("status = 'pending'"), postgresql_where=sa.text("status = 'pending'"))
        batch_op.drop_index('ix_case_closure_status_proposed_at')
        batch_op.drop_index(batch_op.f('ix_case_closure_case_id'))

    op.drop_table('case_closure')
