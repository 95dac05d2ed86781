"""Fixtures shared by the triage tests: the district unit's supervisor, an administrator, and a few shortcuts.

Imported by name into each ``test_triage*.py`` module (beside the findings conftest's fixtures).
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.core.types import utcnow
from casework.extensions import db
from casework.findings.models import ReportEvent
from tests.referrals.conftest import sign_in, token_of

__all__ = ["admin", "duty_supervisor", "event_rows", "received_hours_ago", "sign_in", "token_of"]


@pytest.fixture
def duty_supervisor(make, district_unit):
    """The supervisor of the district unit, whose queue holds the findings made in Bantargebang."""
    return make.user(role=Role.SUPERVISOR, unit=district_unit)


@pytest.fixture
def admin(staff):
    """An administrator of the agency: their queue is the whole agency's."""
    return staff(Role.ADMIN)


def received_hours_ago(report, hours):
    """Moves the report's receipt ``hours`` back (the queue orders by age)."""
    report.received_at = utcnow() - timedelta(hours=hours)
    db.session.flush()
    return report


def event_rows(report):
    """The report's history as (kind, data), oldest first."""
    rows = db.session.execute(
        sa.select(ReportEvent.kind, ReportEvent.data).where(ReportEvent.report_id == report.id).order_by(ReportEvent.id)
    )
    return [tuple(row) for row in rows]
