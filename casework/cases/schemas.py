"""API schemas for cases.

Input fields are loose on purpose (text, whole numbers): dates, choices and
ids are checked by the case operations, which answer in Indonesian by field
for pages and API alike. Every change of a case carries the ``version`` it
was read at; the device's GPS position (``latitude``, ``longitude``) is
optional and goes into the timeline.
"""

from datetime import date

from flask import url_for
from marshmallow import EXCLUDE, Schema, fields, post_dump, validate

from casework.cases.labels import EVENT_LABELS
from casework.cases.models import Stage
from casework.cases.queries import OVERDUE_KINDS
from casework.core.masking import masked_dump


def enum_value(attribute):
    """A Function field dumping the value of the enum held in ``attribute`` (None stays None)."""
    return fields.Function(lambda obj: getattr(getattr(obj, attribute), "value", None))


class CaseNeedSchema(Schema):
    """A service the assessment found the client needs: how much, by when, and the day it was met."""

    service_id = fields.Int()
    service = fields.Function(lambda need: need.service.slug)
    quantity = fields.Int()
    due_on = fields.Date(allow_none=True)
    met_on = fields.Date(allow_none=True)


class CaseStaySchema(Schema):
    """A residential stay, with the last day its limit allows and whether it runs past it today."""

    unit_id = fields.Int()
    unit_name = fields.Function(lambda stay: stay.unit.name)
    admitted_on = fields.Date()
    discharged_on = fields.Date(allow_none=True)
    limit_days = fields.Int(allow_none=True)
    last_allowed_day = fields.Date(allow_none=True)
    overdue = fields.Function(lambda stay: stay.overdue(date.today()))


class CaseSchema(Schema):
    """A case as the API returns it; ``version`` goes back with every change of it."""

    uuid = fields.UUID()
    number = fields.Str()
    client_uuid = fields.Function(lambda case: str(case.client.uuid))
    client_name = fields.Function(lambda case: case.client.full_name)
    unit_id = fields.Int()
    caseworker_id = fields.Int()
    stage = enum_value("stage")
    intake_channel = enum_value("intake_channel")
    intake_date = fields.Date()
    intake_region_code = fields.Str(allow_none=True)
    intake_place = fields.Str(allow_none=True)
    intake_latitude = fields.Float(allow_none=True)
    intake_longitude = fields.Float(allow_none=True)
    circumstances = fields.Str(allow_none=True)
    setting = enum_value("setting")
    assessment_started_on = fields.Date(allow_none=True)
    assessed_on = fields.Date(allow_none=True)
    condition = fields.Str(allow_none=True)
    spm_service_type = fields.Function(lambda case: case.spm_service_type.code if case.spm_service_type else None)
    planned_on = fields.Date(allow_none=True)
    plan_goals = fields.Str(allow_none=True)
    needs_met_on = fields.Date(allow_none=True)
    terminated_on = fields.Date(allow_none=True)
    outcome = enum_value("outcome")
    termination_notes = fields.Str(allow_none=True)
    aftercare_until = fields.Date(allow_none=True)
    needs = fields.List(fields.Nested(CaseNeedSchema))
    current_stay = fields.Nested(CaseStaySchema, allow_none=True)
    # Filled by the API from casework.cases.queries.overdue_flags: "assessment", "stay", "services".
    overdue = fields.List(fields.Str(validate=validate.OneOf(OVERDUE_KINDS)))
    created_at = fields.AwareDateTime()
    version = fields.Int()

    @post_dump(pass_original=True)
    def mask_identity(self, data, case, **_kwargs):
        """The client's name masked for users who may not read it (their role, or a restricted client in a list)."""
        return masked_dump(data, case.client)


class BreakGlassSchema(Schema):
    """Why the caller needs emergency access to a restricted case (at least 20 characters)."""

    reason = fields.Str(load_default=None, allow_none=True, metadata={"description": "Paling sedikit 20 karakter."})


class BreakGlassGrantSchema(Schema):
    """An emergency access granted: the case it was asked from, when, and until when it lasts."""

    case_uuid = fields.UUID()
    granted_at = fields.AwareDateTime()
    expires_at = fields.AwareDateTime()


class ServiceDeliverySchema(Schema):
    """A service delivered to the case's client."""

    uuid = fields.UUID()
    service_id = fields.Int()
    service = fields.Function(lambda delivery: delivery.service.slug)
    delivered_on = fields.Date()
    quantity = fields.Int()
    unit_label = fields.Str()
    provider_unit_id = fields.Int(allow_none=True)
    provider_name = fields.Str(allow_none=True)
    notes = fields.Str(allow_none=True)
    created_at = fields.AwareDateTime()


class CaseNoteSchema(Schema):
    """A caseworker's note on a case."""

    uuid = fields.UUID()
    body = fields.Str()
    author_id = fields.Int()
    created_at = fields.AwareDateTime()


class CaseAttachmentSchema(Schema):
    """A photo or scanned letter on a case; ``url`` serves it to signed-in staff of the agency."""

    uuid = fields.UUID()
    caption = fields.Str(allow_none=True)
    content_type = fields.Function(lambda attachment: attachment.file.content_type)
    size_bytes = fields.Function(lambda attachment: attachment.file.size_bytes)
    url = fields.Function(lambda attachment: url_for("files.serve", file_uuid=attachment.file.uuid))
    added_by_id = fields.Int()
    created_at = fields.AwareDateTime()


class CaseAttachmentCreateSchema(Schema):
    """The text fields of an attachment upload; the file itself is the multipart part ``file``."""

    uuid = fields.Str(allow_none=True)
    caption = fields.Str(allow_none=True)


class CaseEventSchema(Schema):
    """One entry of the case's timeline: its kind, the line people read, who, when, where, and its facts."""

    kind = fields.Str()
    label = fields.Function(lambda event: str(EVENT_LABELS.get(event.kind, event.kind)))
    actor_id = fields.Int()
    actor_name = fields.Function(lambda event: event.actor.full_name)
    at = fields.AwareDateTime()
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    details = fields.Dict()


class CaseFilterSchema(Schema):
    """The case list's filters, as on the caseload page."""

    class Meta:
        """The pager's arguments (``cursor``, ``page``, ``per_page``) are read by the pager."""

        unknown = EXCLUDE

    mine = fields.Bool(metadata={"description": "Only the cases the caller holds."})
    unit_id = fields.Int(metadata={"description": "Only the cases of this unit."})
    stage = fields.Str(
        validate=validate.OneOf(["open", *(stage.value for stage in Stage)]),
        metadata={"description": '"open" (every stage before termination) or one stage.'},
    )
    overdue = fields.Str(validate=validate.OneOf(OVERDUE_KINDS))
    q = fields.Str(metadata={"description": "A case number (or its start), a NIK prefix or a client name."})


class ProposalSchema(Schema):
    """What a referral or a transfer shows of its proposal, the decision on it and the receiver's answer."""

    proposed_by_id = fields.Int()
    proposed_at = fields.AwareDateTime()
    decided_by_id = fields.Int(allow_none=True)
    decided_at = fields.AwareDateTime(allow_none=True)
    decision_note = fields.Str(allow_none=True)
    answered_by_id = fields.Int(allow_none=True)
    answered_at = fields.AwareDateTime(allow_none=True)
    answer_note = fields.Str(allow_none=True)
    version = fields.Int()


class LocatedSchema(Schema):
    """Where the device was, for the timeline: both or neither."""

    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)


class VersionedSchema(LocatedSchema):
    """A change of a case made at the ``version`` it was read at."""

    version = fields.Int(required=True, strict=True)


class IntakeSchema(Schema):
    """The intake facts; required ones are reported by the operation."""

    intake_channel = fields.Str(allow_none=True)
    intake_date = fields.Str(allow_none=True)
    intake_region_code = fields.Str(allow_none=True)
    intake_place = fields.Str(allow_none=True)
    intake_latitude = fields.Float(allow_none=True)
    intake_longitude = fields.Float(allow_none=True)
    circumstances = fields.Str(allow_none=True)


class CaseCreateSchema(IntakeSchema):
    """A new case for a registered client: the device's UUID (retries reuse it), intake, and who holds it."""

    client_uuid = fields.Str(required=True)
    uuid = fields.Str(allow_none=True)
    unit_id = fields.Int(allow_none=True, strict=True, metadata={"description": "Default: the caller's unit."})
    caseworker_id = fields.Int(
        allow_none=True, strict=True, metadata={"description": "Default: the caller, when they hold cases."}
    )


class CasePatchSchema(IntakeSchema):
    """A correction of the intake facts given, made at ``version``."""

    version = fields.Int(required=True, strict=True)


class AssessmentStartSchema(VersionedSchema):
    """Intake → assessment."""

    started_on = fields.Str(allow_none=True)


class CaseNeedInputSchema(Schema):
    """A service the client needs, by id or by slug (``service``), and how much of it (default 1)."""

    service_id = fields.Int(allow_none=True, strict=True)
    service = fields.Str(allow_none=True)
    quantity = fields.Int(allow_none=True, strict=True)


class AssessmentSchema(VersionedSchema):
    """Assessment → planning: the client's condition and needs."""

    assessed_on = fields.Str(allow_none=True)
    condition = fields.Str(allow_none=True)
    needs = fields.List(fields.Nested(CaseNeedInputSchema))


class InterventionPlanSchema(VersionedSchema):
    """Planning → intervention: the plan's goals and a target date (YYYY-MM-DD) by needed service id."""

    planned_on = fields.Str(allow_none=True)
    plan_goals = fields.Str(allow_none=True)
    due_dates = fields.Dict(keys=fields.Str(), values=fields.Str(allow_none=True))


class TerminationSchema(VersionedSchema):
    """A proposed closure of an open case: outcome, date, notes, and the aftercare that starts on approval."""

    uuid = fields.Str(allow_none=True)
    outcome = fields.Str(allow_none=True)
    terminated_on = fields.Str(allow_none=True)
    termination_notes = fields.Str(allow_none=True)
    aftercare_months = fields.Int(allow_none=True, strict=True)


class AftercareSchema(VersionedSchema):
    """Terminated → aftercare, for 6, 12, 18, 24 or 36 months."""

    months = fields.Int(allow_none=True, strict=True)


class AdmissionSchema(VersionedSchema):
    """A stay in a rumah singgah, shelter or panti from ``admitted_on`` (and until ``discharged_on`` when past)."""

    unit_id = fields.Int(allow_none=True, strict=True)
    admitted_on = fields.Str(allow_none=True)
    discharged_on = fields.Str(allow_none=True)


class DischargeSchema(VersionedSchema):
    """The end of the open stay, and the family or community setting the client goes on to."""

    discharged_on = fields.Str(allow_none=True)
    setting = fields.Str(allow_none=True)


class SettingChangeSchema(VersionedSchema):
    """A move between the family and community settings."""

    setting = fields.Str(allow_none=True)


class AssignmentSchema(VersionedSchema):
    """Handing the case to a unit and a caseworker of the agency."""

    unit_id = fields.Int(allow_none=True, strict=True)
    caseworker_id = fields.Int(allow_none=True, strict=True)


class ServiceDeliveryCreateSchema(LocatedSchema):
    """A delivered service, by id or slug; the device's UUID makes a retry return the first record."""

    uuid = fields.Str(allow_none=True)
    service_id = fields.Int(allow_none=True, strict=True)
    service = fields.Str(allow_none=True, metadata={"description": "The service's slug, instead of service_id."})
    delivered_on = fields.Str(allow_none=True)
    quantity = fields.Int(allow_none=True, strict=True)
    unit_label = fields.Str(allow_none=True)
    provider_unit_id = fields.Int(allow_none=True, strict=True)
    provider_name = fields.Str(allow_none=True)
    notes = fields.Str(allow_none=True)


class CaseNoteCreateSchema(LocatedSchema):
    """A note; the device's UUID makes a retry return the first note."""

    uuid = fields.Str(allow_none=True)
    body = fields.Str(allow_none=True)
