"""disaster assistance and spm type 5

Points the recipients indicators of the disaster SPM service types (``kab-5``,
``prov-5``) at the ``disaster_victims`` measure: their victims are counted
from the disaster registrations and assistance records, not from cases. The
tables themselves come with b1c0ffee0015. Fresh databases get the same from
``casework.figures.standard`` when the reference data loads.

Revision ID: b1c0ffee0016
Revises: b1c0ffee0015
Create Date: 2026-12-03 16:10:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b1c0ffee0016"
down_revision = "b1c0ffee0015"
branch_labels = None
depends_on = None

_CODES = ("KAB-5-PENERIMA", "PROV-5-PENERIMA")
_indicator = sa.table("indicator", sa.column("code", sa.String), sa.column("measure", sa.String))


def _point(old, new):
    op.execute(
        _indicator.update().where(_indicator.c.code.in_(_CODES), _indicator.c.measure == old).values(measure=new)
    )


def upgrade():
    _point("spm_recipients", "disaster_victims")


def downgrade():
    _point("disaster_victims", "spm_recipients")
