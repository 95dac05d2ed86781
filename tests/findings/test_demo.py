"""Demo findings and complaints: filed and decided through the operations on the demo agency, once."""

from collections import Counter

import sqlalchemy as sa

from casework.demo import load_demo_data
from casework.extensions import db
from casework.findings.models import Report, ReportEvent, ReportKind


def _statuses(kind):
    """How many demo reports of ``kind`` stand in each status."""
    return Counter(status.value for status in db.session.scalars(sa.select(Report.status).where(Report.kind == kind)))


def test_demo_findings_and_complaints_are_made_once(app):
    load_demo_data()
    findings = _statuses(ReportKind.FINDING)
    assert sum(findings.values()) == 8
    assert (findings["received"], findings["under_review"], findings["case_opened"]) == (2, 2, 1)
    assert findings["case_attached"] + findings["closed"] == 2 and findings["forwarded"] == 1
    assert sum(_statuses(ReportKind.COMPLAINT).values()) == 4
    volunteers = set(
        db.session.scalars(sa.select(Report.reported_by_id).where(Report.kind == ReportKind.FINDING)).all()
    )
    assert len(volunteers) == 1
    # Decisions come after receipt, as the response times expect.
    for report in db.session.scalars(sa.select(Report).where(Report.decided_at.is_not(None))):
        assert report.decided_at > report.received_at
    events = db.session.scalar(sa.select(sa.func.count()).select_from(ReportEvent))
    load_demo_data()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Report)) == 12
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportEvent)) == events
