"""API schemas for referrals.

Inputs are loose (text, ids): the referral operations check them and answer
in Indonesian by field. Every decision carries the referral's ``version``.
"""

from marshmallow import Schema, fields

from casework.cases.schemas import ProposalSchema, enum_value


class ReferralSchema(ProposalSchema):
    """A referral as the API returns it; ``version`` goes back with every decision on it."""

    uuid = fields.UUID()
    number = fields.Str()
    case_uuid = fields.Function(lambda referral: str(referral.case.uuid))
    destination_kind = enum_value("destination_kind")
    to_unit_id = fields.Int(allow_none=True)
    to_agency_name = fields.Str(allow_none=True)
    to_region_code = fields.Str(allow_none=True)
    destination_name = fields.Str()
    services = fields.Function(lambda referral: [service.slug for service in referral.services])
    reason = fields.Str()
    urgency = enum_value("urgency")
    consent_given = fields.Bool()
    no_consent_reason = enum_value("no_consent_reason")
    consent_notes = fields.Str(allow_none=True)
    status = enum_value("status")
    completed_by_id = fields.Int(allow_none=True)
    completed_at = fields.AwareDateTime(allow_none=True)
    result = fields.Str(allow_none=True)
    # Filled by the API: waiting for a decision or an answer longer than the agency's referral_due_days.
    overdue = fields.Bool()


class ReferralCreateSchema(Schema):
    """A referral proposal; the device's UUID makes a retry return the first referral."""

    uuid = fields.Str(allow_none=True)
    destination_kind = fields.Str(
        allow_none=True, metadata={"description": '"unit" (of the agency), "partner" (directory) or "agency".'}
    )
    to_unit_id = fields.Int(allow_none=True, strict=True, metadata={"description": "The unit or partner, by id."})
    to_agency_name = fields.Str(allow_none=True, metadata={"description": "Another region's Dinas Sosial."})
    to_region_code = fields.Str(allow_none=True, metadata={"description": "Its province or city/regency code."})
    service_ids = fields.List(fields.Int(strict=True), metadata={"description": "Catalogued services requested."})
    reason = fields.Str(allow_none=True)
    urgency = fields.Str(allow_none=True, metadata={"description": '"routine" (default), "urgent" or "emergency".'})
    consent_given = fields.Bool(allow_none=True)
    no_consent_reason = fields.Str(
        allow_none=True,
        metadata={"description": 'Without consent: "child", "no_capacity", "unconscious" or "other" (explain it).'},
    )
    consent_notes = fields.Str(allow_none=True)
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)


class ReferralDecisionSchema(Schema):
    """A decision on a referral at the ``version`` it was read at, with its text.

    ``reason`` is required to reject or decline, ``result`` to complete; ``note`` is optional.
    """

    version = fields.Int(required=True, strict=True)
    note = fields.Str(allow_none=True)
    reason = fields.Str(allow_none=True)
    result = fields.Str(allow_none=True)
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
