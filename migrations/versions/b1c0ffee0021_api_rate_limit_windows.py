"""hardening: API rate limits, one counter row per caller and one-minute window

Revision ID: b1c0ffee0021
Revises: b1c0ffee0020
Create Date: 2026-12-04 04:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0021'
down_revision = 'b1c0ffee0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_rate_window',
    sa.Column('window_start', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('caller', sa.String(length=80), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('window_start', 'caller', name=op.f('pk_api_rate_window'))
    )
    if op.get_bind().dialect.name == 'postgresql':
        # Counts are a throttle, not records: no WAL, so a request's count commits without waiting for a disk
        # flush. After a crash the table starts empty and standbys do not hold it; both only reset the windows.
        op.execute('ALTER TABLE api_rate_window SET UNLOGGED')


def downgrade():
    op.drop_table('api_rate_window')
