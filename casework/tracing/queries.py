"""Reading tracing requests, reunifications and their follow-up visits; overdue visits for the supervisor.

Every lookup starts from a case already found through its agency, so another
agency's request or visit is as missing as an unknown one (404).
"""

import uuid as uuid_module
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from casework.cases.models import Case
from casework.core.errors import NotFound
from casework.extensions import db
from casework.tracing.models import FollowupVisit, Reunification, TracingLead, TracingRequest


def case_request(case, request_uuid):
    """The tracing request ``request_uuid`` of ``case``; any other is missing."""
    try:
        key = uuid_module.UUID(str(request_uuid))
    except ValueError:
        key = None
    found = (
        db.session.scalar(
            sa.select(TracingRequest).where(TracingRequest.uuid == key, TracingRequest.case_id == case.id)
        )
        if key
        else None
    )
    if found is None:
        raise NotFound(_("Permintaan penelusuran tidak ditemukan."))
    return found


def case_visit(case, visit_id):
    """The follow-up visit ``visit_id`` of the case's reunification; any other is missing."""
    found = db.session.scalar(
        sa.select(FollowupVisit)
        .join(Reunification)
        .where(FollowupVisit.id == visit_id, Reunification.case_id == case.id)
        .options(joinedload(FollowupVisit.reunification))
    )
    if found is None:
        raise NotFound(_("Kunjungan lanjutan tidak ditemukan."))
    return found


def requests(case):
    """The case's tracing requests, latest opened first, with their leads."""
    return db.session.scalars(
        sa.select(TracingRequest)
        .where(TracingRequest.case_id == case.id)
        .options(
            selectinload(TracingRequest.leads).joinedload(TracingLead.recorded_by),
            joinedload(TracingRequest.last_known_region),
        )
        .order_by(TracingRequest.opened_on.desc(), TracingRequest.id.desc())
    ).all()


def reunification(case):
    """The case's reunification with its region, linked request and visits, or None."""
    return db.session.scalar(
        sa.select(Reunification)
        .where(Reunification.case_id == case.id)
        .options(
            joinedload(Reunification.region),
            joinedload(Reunification.tracing_request),
            selectinload(Reunification.visits).joinedload(FollowupVisit.recorded_by),
        )
    )


def overdue_visits_select(agency_id, unit_id=None, today=None):
    """Follow-up visits of the agency's cases (of ``unit_id`` when given) whose day passed unrecorded, oldest first."""
    today = today or date.today()
    select = (
        sa.select(FollowupVisit)
        .join(Reunification)
        .join(Case, Case.id == Reunification.case_id)
        .where(Case.agency_id == agency_id, FollowupVisit.visited_on.is_(None), FollowupVisit.due_on < today)
        .options(
            joinedload(FollowupVisit.reunification)
            .joinedload(Reunification.case)
            .options(joinedload(Case.client), joinedload(Case.caseworker))
        )
        .order_by(FollowupVisit.due_on, FollowupVisit.id)
    )
    if unit_id:
        select = select.where(Case.unit_id == unit_id)
    return select


def overdue_visits(agency_id, unit_id=None, today=None):
    """The overdue follow-up visits (see ``overdue_visits_select``)."""
    return db.session.scalars(overdue_visits_select(agency_id, unit_id, today)).all()
