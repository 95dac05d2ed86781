"""Demo tracing: made by the operations on the demo agency's cases, once."""

import sqlalchemy as sa

from casework.demo import load_demo_data
from casework.extensions import db
from casework.tracing import queries
from casework.tracing.models import Reunification, TracingLead, TracingRequest, TracingStatus


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_demo_tracing_is_made_once(app):
    load_demo_data()
    statuses = sorted(status.value for status in db.session.scalars(sa.select(TracingRequest.status)))
    assert statuses == ["found", "not_found", "open"]
    reunion = db.session.scalar(sa.select(Reunification))
    assert reunion.tracing_request.status == TracingStatus.FOUND
    assert [visit.visited_on is not None for visit in reunion.visits] == [True, False, False]
    assert [visit.day_offset for visit in queries.overdue_visits(reunion.case.agency_id)] == [30]
    leads = _count(TracingLead)
    load_demo_data()
    assert (_count(TracingRequest), _count(TracingLead), _count(Reunification)) == (3, leads, 1)
