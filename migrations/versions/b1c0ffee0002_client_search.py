"""client search (placeholder, owned by the perf-search helper)

Revision ID: b1c0ffee0002
Revises: b1c0ffee0001
Create Date: 2026-12-03 10:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0002'
down_revision = 'b1c0ffee0001'
branch_labels = None
depends_on = None


def upgrade():
    # No schema change: search reads a half-typed last word as a range of the existing
    # (agency_id, token, client_id) primary key of client_name_token, and checks a
    # client's other words through ix_client_name_token_client_words.
    pass


def downgrade():
    pass
