"""API schemas for triage: a report as its decider sees it, its history, and the decisions' input.

Inputs are loose (text, ids): the triage operations check them and answer in
Indonesian by field. Every decision carries the report's ``version``.
"""

from marshmallow import Schema, fields

from casework.cases.schemas import enum_value
from casework.findings import queue


class ReportEventSchema(Schema):
    """One step of a report's history."""

    kind = fields.Str()
    at = fields.AwareDateTime()
    actor_id = fields.Int()
    note = fields.Str(allow_none=True)
    data = fields.Dict()


class TriageReportSchema(Schema):
    """A finding or complaint as its decider sees it; ``version`` goes back with every decision on it."""

    uuid = fields.UUID()
    number = fields.Str()
    kind = enum_value("kind")
    source = enum_value("source")
    status = enum_value("status")
    urgency = enum_value("urgency")
    reported_by_id = fields.Int()
    reporter_name = fields.Str(allow_none=True)
    reporter_contact = fields.Str(allow_none=True)
    category = fields.Function(lambda report: report.category.slug if report.category else None)
    description = fields.Str()
    region_code = fields.Str()
    village = fields.Function(lambda report: report.region.name)
    place = fields.Str(allow_none=True)
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    observed_on = fields.Date()
    consent_given = fields.Bool()
    person_name = fields.Str(allow_none=True)
    person_sex = enum_value("person_sex")
    person_age = fields.Int(allow_none=True)
    person_details = fields.Str(allow_none=True)
    unit_id = fields.Int()
    photos = fields.Function(
        lambda report: [str(photo.file.uuid) for photo in report.photos],
        metadata={"description": "Stored files' UUIDs, served at /files/<uuid> to staff."},
    )
    received_at = fields.AwareDateTime()
    review_started_at = fields.AwareDateTime(allow_none=True)
    decided_at = fields.AwareDateTime(allow_none=True)
    decided_by_id = fields.Int(allow_none=True)
    case_uuid = fields.Function(lambda report: str(report.case.uuid) if report.case else None)
    case_number = fields.Function(lambda report: report.case.number if report.case else None)
    forwarded_to_name = fields.Str(allow_none=True)
    close_reason = enum_value("close_reason")
    duplicate_of_id = fields.Int(allow_none=True)
    decision_note = fields.Str(allow_none=True)
    first_visit_on = fields.Date(allow_none=True)
    hours_to_decision = fields.Function(lambda report: queue.response_times(report)["hours_to_decision"])
    days_to_first_visit = fields.Function(lambda report: queue.response_times(report)["days_to_first_visit"])
    version = fields.Int()


class LikelyClientSchema(Schema):
    """A registered client the report may be about, with the score, the reasons and the client's open cases."""

    client_uuid = fields.Function(lambda item: str(item[0].client.uuid))
    full_name = fields.Function(lambda item: item[0].client.full_name)
    score = fields.Function(lambda item: item[0].score)
    reasons = fields.Function(lambda item: [str(reason) for reason in item[0].reasons])
    open_cases = fields.Function(lambda item: [{"uuid": str(case.uuid), "number": case.number} for case in item[1]])


class TriageDetailSchema(TriageReportSchema):
    """A report with its history and the clients it may be about."""

    history = fields.Function(lambda report: ReportEventSchema(many=True).dump(queue.history(report)))
    likely_clients = fields.Function(lambda report: LikelyClientSchema(many=True).dump(queue.likely_clients(report)))


class TriageDecisionSchema(Schema):
    """A step on a report at the ``version`` it was read at; each action reads its own fields.

    open-case: ``client_uuid`` (an existing client) or a new client's ``full_name``, ``sex``,
    ``birth_year`` (default: the report's person) and ``confirm_new``; ``caseworker_id``, ``unit_id``.
    attach: ``case_number``. forward-unit: ``unit_id``. forward-agency: ``name``.
    close: ``reason`` (not_found, not_ppks, duplicate, other), ``duplicate_of`` (a report number).
    visit: ``visited_on`` (YYYY-MM-DD). Every action but review and open-case takes a ``note``.
    """

    version = fields.Int(required=True, strict=True)
    client_uuid = fields.Str(allow_none=True)
    full_name = fields.Str(allow_none=True)
    sex = fields.Str(allow_none=True)
    birth_year = fields.Raw(allow_none=True)
    confirm_new = fields.Bool(allow_none=True)
    caseworker_id = fields.Int(allow_none=True, strict=True)
    unit_id = fields.Int(allow_none=True, strict=True)
    case_number = fields.Str(allow_none=True)
    name = fields.Str(allow_none=True)
    reason = fields.Str(allow_none=True)
    duplicate_of = fields.Str(allow_none=True)
    visited_on = fields.Str(allow_none=True)
    note = fields.Str(allow_none=True)
