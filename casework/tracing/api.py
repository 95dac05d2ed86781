"""API endpoints for family tracing and reunification, through the same operations as the case page.

Creates (a request, a lead, the reunification) carry the device's UUID: a
retry returns the first record (200 instead of 201). Closing a request and
recording a visit carry that record's ``version``; a stale one, or a step the
state does not allow, is a 409 whose envelope carries the record as it is now.
"""

from flask_babel import gettext as _
from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_args, load_json
from casework.cases.queries import readable_case
from casework.core.errors import NotFound, current_on_conflict
from casework.core.pagination import page_meta, paginate
from casework.core.permissions import require
from casework.extensions import db
from casework.tracing import queries, services
from casework.tracing.schemas import (
    FollowupVisitSchema,
    OverdueVisitFilterSchema,
    OverdueVisitSchema,
    ReunificationCreateSchema,
    ReunificationSchema,
    TracingCloseSchema,
    TracingLeadCreateSchema,
    TracingLeadSchema,
    TracingRequestCreateSchema,
    TracingRequestSchema,
    VisitRecordSchema,
)

_REQUEST = TracingRequestSchema()
_LEAD = TracingLeadSchema()
_REUNIFICATION = ReunificationSchema()
_VISIT = FollowupVisitSchema()


def _case(case_uuid):
    """The caller's agency's case ``case_uuid`` (404 otherwise)."""
    return readable_case(current_user, case_uuid)


def _created(record, created, schema):
    """The answer to an idempotent create: 201 when made now, 200 when the UUID was already used."""
    body = schema.dump(record)
    db.session.commit()
    return body, 201 if created else 200


@bp.get("/cases/<case_uuid>/tracing")
@require("cases.view")
@documented(TracingRequestSchema, many=True)
def list_tracing_requests(case_uuid):
    """The case's family tracing requests, latest opened first, each with its leads."""
    return {"items": _REQUEST.dump(queries.requests(_case(case_uuid)), many=True)}


@bp.post("/cases/<case_uuid>/tracing")
@require("cases.manage")
@documented(TracingRequestSchema, body=TracingRequestCreateSchema, status=(201, 200))
def create_tracing_request(case_uuid):
    """Opens a family tracing request on an open case; 201 when opened, 200 when the UUID was already used."""
    case = _case(case_uuid)
    data = load_json(TracingRequestCreateSchema())
    tracing, created = services.open_request(case, current_user, data, uuid=data.pop("uuid", None))
    return _created(tracing, created, _REQUEST)


@bp.get("/cases/<case_uuid>/tracing/<request_uuid>")
@require("cases.view")
@documented(TracingRequestSchema)
def get_tracing_request(case_uuid, request_uuid):
    """One tracing request of the case, with its leads and ``version``."""
    return _REQUEST.dump(queries.case_request(_case(case_uuid), request_uuid))


@bp.post("/cases/<case_uuid>/tracing/<request_uuid>/leads")
@require("cases.manage")
@documented(TracingLeadSchema, body=TracingLeadCreateSchema, status=(201, 200))
def create_tracing_lead(case_uuid, request_uuid):
    """Records a lead followed; 409 once the request is closed. 201 when recorded, 200 for a repeated UUID."""
    case = _case(case_uuid)
    tracing = queries.case_request(case, request_uuid)
    data = load_json(TracingLeadCreateSchema())
    with current_on_conflict(lambda: _REQUEST.dump(tracing)):
        lead, created = services.add_lead(case, tracing, current_user, data, uuid=data.pop("uuid", None))
    return _created(lead, created, _LEAD)


@bp.post("/cases/<case_uuid>/tracing/<request_uuid>/close")
@require("cases.manage")
@documented(TracingRequestSchema, body=TracingCloseSchema)
def close_tracing_request(case_uuid, request_uuid):
    """Ends the request found or not found; ``version`` is the request's. Closed already or stale: 409."""
    case = _case(case_uuid)
    tracing = queries.case_request(case, request_uuid)
    data = load_json(TracingCloseSchema())
    with current_on_conflict(lambda: _REQUEST.dump(tracing)):
        services.close_request(case, tracing, current_user, data.pop("version"), data)
    body = _REQUEST.dump(tracing)
    db.session.commit()
    return body


@bp.get("/cases/<case_uuid>/reunification")
@require("cases.view")
@documented(ReunificationSchema)
def get_reunification(case_uuid):
    """The case's reunification with its follow-up visit schedule; 404 when none is recorded."""
    reunion = queries.reunification(_case(case_uuid))
    if reunion is None:
        raise NotFound(_("Reunifikasi kasus ini belum dicatat."))
    return _REUNIFICATION.dump(reunion)


@bp.post("/cases/<case_uuid>/reunification")
@require("cases.manage")
@documented(ReunificationSchema, body=ReunificationCreateSchema, status=(201, 200))
def create_reunification(case_uuid):
    """Records the reunification (``home_safe`` must be true) and schedules the agency's follow-up visits.

    The case stays open; closing it with the outcome ``reunified`` is its own step.
    201 when recorded, 200 for a repeated UUID; 409 when the case already has one or is closed.
    """
    case = _case(case_uuid)
    data = load_json(ReunificationCreateSchema())
    reunion, created = services.reunify(case, current_user, data, uuid=data.pop("uuid", None))
    return _created(reunion, created, _REUNIFICATION)


@bp.post("/cases/<case_uuid>/reunification/visits/<int:visit_id>")
@require("cases.manage")
@documented(FollowupVisitSchema, body=VisitRecordSchema)
def record_followup_visit(case_uuid, visit_id):
    """Records a scheduled follow-up visit; ``version`` is the visit's. Recorded already or stale: 409."""
    case = _case(case_uuid)
    visit = queries.case_visit(case, visit_id)
    data = load_json(VisitRecordSchema())
    with current_on_conflict(lambda: _VISIT.dump(visit)):
        services.record_visit(case, visit, current_user, data.pop("version"), data)
    body = _VISIT.dump(visit)
    db.session.commit()
    return body


@bp.get("/followup-visits/overdue")
@require("cases.view")
@documented(OverdueVisitSchema, query=OverdueVisitFilterSchema, paging="offset")
def list_overdue_visits():
    """The agency's follow-up visits whose day passed unrecorded, oldest first; ``unit_id`` narrows to a unit."""
    filters = load_args(OverdueVisitFilterSchema())
    page = paginate(queries.overdue_visits_select(current_user.agency_id, filters.get("unit_id")))
    return {"items": OverdueVisitSchema().dump(page.items, many=True), **page_meta(page)}
