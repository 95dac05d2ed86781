"""Figures' periodic jobs: the monthly close of the month just ended."""

import sqlalchemy as sa

from casework.core.localtime import local_today
from casework.extensions import db
from casework.figures.close import close_month, previous_month
from casework.org.models import Agency
from casework.scheduling import job


@job("figures.monthly_close", day=1, hour=1, minute=0)
def monthly_close(today=None):
    """Closes the previous month for every agency; returns {agency code: (revision, changed)}.

    Safe to repeat: a second run finds the figures unchanged and stores nothing.
    """
    year, month = previous_month(today or local_today())
    outcome = {}
    for agency in db.session.scalars(sa.select(Agency).order_by(Agency.id)):
        close, changed = close_month(agency, year, month)
        outcome[agency.code] = (close.revision, changed)
    return outcome
