"""The quarterly SPM report's periodic job: draft the report of the quarter just ended."""

import sqlalchemy as sa

from casework.core.localtime import local_today
from casework.extensions import db
from casework.figures.close import previous_month
from casework.figures.quarterly import draft_quarter
from casework.org.models import Agency
from casework.scheduling import job


# Two hours after the monthly close of the 1st, so the draft's figures come from the closed quarter.
@job("figures.draft_quarterly", month="1,4,7,10", day=1, hour=3, minute=0)
def draft_quarterly(today=None):
    """Drafts the report of the quarter before ``today`` for every agency; returns {agency code: entries added}.

    Safe to repeat: a second run finds the entries there and adds nothing.
    """
    year, month = previous_month(today or local_today())
    quarter = (month - 1) // 3 + 1
    agencies = db.session.scalars(sa.select(Agency).order_by(Agency.id))
    return {agency.code: draft_quarter(agency, year, quarter) for agency in agencies}
