"""sensitive records: emergency access (break glass)

Revision ID: b1c0ffee0020
Revises: b1c0ffee0019
Create Date: 2026-12-03 23:00:00

The seeded sensitive categories already hold every category the access rule
names (violence, trafficking, HIV, drug use, ABH, ODGJ): no data change.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0020'
down_revision = 'b1c0ffee0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('break_glass_grant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('expires_at > granted_at', name=op.f('ck_break_glass_grant_expires_after_granted')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_break_glass_grant_case_id_case_file')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_break_glass_grant_client_id_client')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_break_glass_grant_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_break_glass_grant'))
    )
    with op.batch_alter_table('break_glass_grant', schema=None) as batch_op:
        batch_op.create_index('ix_break_glass_grant_case_id', ['case_id'], unique=False)
        batch_op.create_index('ix_break_glass_grant_user_client', ['user_id', 'client_id', 'expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('break_glass_grant', schema=None) as batch_op:
        batch_op.drop_index('ix_break_glass_grant_user_client')
        batch_op.drop_index('ix_break_glass_grant_case_id')

    op.drop_table('break_glass_grant')
