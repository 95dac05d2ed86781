"""API schemas for family tracing and reunification.

Input fields are loose on purpose (text, booleans): dates, choices, regions
and the rules between them are checked by ``casework.tracing.services``, which
answers in Indonesian by field for the pages and the API alike.
"""

from datetime import date

from marshmallow import EXCLUDE, Schema, fields

from casework.cases.schemas import LocatedSchema, VersionedSchema


def _value(attribute):
    """A Function field dumping the value of the enum held in ``attribute``."""
    return fields.Function(lambda obj: getattr(getattr(obj, attribute), "value", None))


class TracingLeadSchema(Schema):
    """A lead followed: when, how (``method``), what was done and its result."""

    uuid = fields.UUID()
    followed_on = fields.Date()
    method = _value("method")
    action = fields.Str(allow_none=True)
    result = fields.Str()
    recorded_by_id = fields.Int()
    created_at = fields.AwareDateTime()


class TracingRequestSchema(Schema):
    """A tracing request with its leads; ``version`` goes back when closing it."""

    uuid = fields.UUID()
    sought_name = fields.Str()
    kinship = _value("kinship")
    last_known_place = fields.Str()
    last_known_region_code = fields.Str(allow_none=True)
    opened_on = fields.Date()
    status = _value("status")
    closed_on = fields.Date(allow_none=True)
    result_notes = fields.Str(allow_none=True)
    leads = fields.List(fields.Nested(TracingLeadSchema))
    opened_by_id = fields.Int()
    created_at = fields.AwareDateTime()
    version = fields.Int()


class FollowupVisitSchema(Schema):
    """A follow-up visit slot: due ``day_offset`` days after the reunification; what it found once recorded."""

    id = fields.Int()
    day_offset = fields.Int()
    due_on = fields.Date()
    visited_on = fields.Date(allow_none=True)
    finding = fields.Str(allow_none=True)
    client_well = fields.Bool(allow_none=True)
    notes = fields.Str(allow_none=True)
    recorded_by_id = fields.Int(allow_none=True)
    overdue = fields.Function(lambda visit: visit.overdue(date.today()))
    version = fields.Int()


class ReunificationSchema(Schema):
    """The client's reunification with a family member, with the follow-up visit schedule."""

    uuid = fields.UUID()
    case_uuid = fields.Function(lambda reunion: str(reunion.case.uuid))
    member_name = fields.Str()
    kinship = _value("kinship")
    tracing_request_uuid = fields.Function(
        lambda reunion: str(reunion.tracing_request.uuid) if reunion.tracing_request else None
    )
    address = fields.Str()
    region_code = fields.Str()
    reunified_on = fields.Date()
    home_safe = fields.Bool()
    safety_note = fields.Str()
    visits = fields.List(fields.Nested(FollowupVisitSchema))
    recorded_by_id = fields.Int()
    created_at = fields.AwareDateTime()


class OverdueVisitSchema(FollowupVisitSchema):
    """An overdue follow-up visit with its case, for the supervisor."""

    case_uuid = fields.Function(lambda visit: str(visit.reunification.case.uuid))
    case_number = fields.Function(lambda visit: visit.reunification.case.number)
    client_name = fields.Function(lambda visit: visit.reunification.case.client.full_name)
    caseworker_id = fields.Function(lambda visit: visit.reunification.case.caseworker_id)


class TracingRequestCreateSchema(LocatedSchema):
    """A new tracing request; the device's UUID makes a retry return the first one."""

    uuid = fields.Str(allow_none=True)
    sought_name = fields.Str(allow_none=True)
    kinship = fields.Str(allow_none=True)
    last_known_place = fields.Str(allow_none=True)
    last_known_region_code = fields.Str(allow_none=True)
    opened_on = fields.Str(allow_none=True)


class TracingLeadCreateSchema(LocatedSchema):
    """A lead followed; the device's UUID makes a retry return the first one."""

    uuid = fields.Str(allow_none=True)
    followed_on = fields.Str(allow_none=True)
    method = fields.Str(
        allow_none=True,
        metadata={"description": "visit, phone, village_head_letter, social_media, other_agency or other."},
    )
    action = fields.Str(allow_none=True)
    result = fields.Str(allow_none=True)


class TracingCloseSchema(VersionedSchema):
    """The end of a request, at the request's ``version``: ``status`` found or not_found."""

    status = fields.Str(allow_none=True)
    closed_on = fields.Str(allow_none=True)
    result_notes = fields.Str(allow_none=True)


class ReunificationCreateSchema(LocatedSchema):
    """A reunification; ``home_safe`` must be true. The device's UUID makes a retry return the first one."""

    uuid = fields.Str(allow_none=True)
    member_name = fields.Str(allow_none=True)
    kinship = fields.Str(allow_none=True)
    tracing_request = fields.Str(
        allow_none=True, metadata={"description": "UUID of the case's tracing request that found the member."}
    )
    address = fields.Str(allow_none=True)
    region_code = fields.Str(allow_none=True)
    reunified_on = fields.Str(allow_none=True)
    home_safe = fields.Bool(allow_none=True)
    safety_note = fields.Str(allow_none=True)


class VisitRecordSchema(VersionedSchema):
    """A follow-up visit made, at the visit's ``version``."""

    visited_on = fields.Str(allow_none=True)
    finding = fields.Str(allow_none=True)
    client_well = fields.Bool(allow_none=True)
    notes = fields.Str(allow_none=True)


class OverdueVisitFilterSchema(Schema):
    """Filters of the overdue visits."""

    class Meta:
        """The pager's arguments are read by the pager."""

        unknown = EXCLUDE

    unit_id = fields.Int(metadata={"description": "Only the cases of this unit."})
