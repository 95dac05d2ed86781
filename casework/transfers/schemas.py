"""API schemas for transfers and returns.

Input fields are loose (text, whole numbers); the operations check them and
answer in Indonesian by field. Creates carry the device's ``uuid``; decisions
and steps carry the ``version`` of the transfer or return plan they were read at.
"""

from marshmallow import EXCLUDE, Schema, fields, validate

from casework.cases.schemas import LocatedSchema, ProposalSchema
from casework.transfers.models import TransferStatus


def _enum_value(attribute):
    """A Function field dumping the value of the enum held in ``attribute``."""
    return fields.Function(lambda obj: getattr(getattr(obj, attribute), "value", None))


class TransferSchema(ProposalSchema):
    """A transfer as the API returns it; ``snapshot`` holds the case's facts at hand-over (accepted only)."""

    uuid = fields.UUID()
    case_uuid = fields.Function(lambda transfer: str(transfer.case.uuid))
    from_agency_id = fields.Int()
    to_agency_id = fields.Int()
    status = _enum_value("status")
    reason = fields.Str()
    handover_items = fields.Str(allow_none=True)
    from_case_number = fields.Str()
    to_case_number = fields.Str(allow_none=True)
    snapshot = fields.Dict(allow_none=True)


class TransferFilterSchema(Schema):
    """The transfer lists: outgoing (default) or incoming, of one status."""

    class Meta:
        """The pager's arguments are read by the pager."""

        unknown = EXCLUDE

    direction = fields.Str(validate=validate.OneOf(["out", "in"]), load_default="out")
    status = fields.Str(validate=validate.OneOf([status.value for status in TransferStatus]))


class TransferCreateSchema(LocatedSchema):
    """A proposed transfer: the receiving agency, the reason, what is handed over; ``uuid`` makes retries safe."""

    uuid = fields.Str(allow_none=True)
    to_agency_id = fields.Int(allow_none=True, strict=True)
    reason = fields.Str(allow_none=True)
    handover_items = fields.Str(allow_none=True)


class TransferVersionedSchema(LocatedSchema):
    """A decision on a transfer at the ``version`` it was read at."""

    version = fields.Int(required=True, strict=True)


class TransferDecisionSchema(TransferVersionedSchema):
    """The sending supervisor's approval or rejection; a rejection needs ``decision_note``."""

    decision_note = fields.Str(allow_none=True)


class TransferDeclineSchema(TransferVersionedSchema):
    """The receiving agency declines, with ``answer_note`` (required)."""

    answer_note = fields.Str(allow_none=True)


class TransferAcceptSchema(TransferDeclineSchema):
    """The receiving agency accepts: who holds the case there, and optionally its registry's record of the client."""

    unit_id = fields.Int(allow_none=True, strict=True, metadata={"description": "Default: the caller's unit."})
    caseworker_id = fields.Int(
        allow_none=True, strict=True, metadata={"description": "Default: the caller, when a supervisor."}
    )
    client_uuid = fields.Str(
        allow_none=True,
        metadata={"description": "A client of the receiving registry; default: the NIK holder, else a copy."},
    )


class ReturnPlanSchema(Schema):
    """A return-to-origin plan, with its departure and arrival once recorded."""

    uuid = fields.UUID()
    case_uuid = fields.Function(lambda plan: str(plan.case.uuid))
    status = _enum_value("status")
    from_place = fields.Str()
    from_region_code = fields.Str(allow_none=True)
    to_region_code = fields.Str()
    to_address = fields.Str(allow_none=True)
    travel_date = fields.Date()
    travel_mode = _enum_value("travel_mode")
    escort_user_id = fields.Int(allow_none=True)
    escort_name = fields.Str(allow_none=True)
    handover = _enum_value("handover")
    family_name = fields.Str(allow_none=True)
    family_relationship = fields.Str(allow_none=True)
    origin_agency_id = fields.Int(allow_none=True)
    origin_agency_name = fields.Str(allow_none=True)
    notes = fields.Str(allow_none=True)
    planned_by_id = fields.Int()
    departed_on = fields.Date(allow_none=True)
    arrived_on = fields.Date(allow_none=True)
    received_by = fields.Str(allow_none=True)
    arrival_notes = fields.Str(allow_none=True)
    created_at = fields.AwareDateTime()
    version = fields.Int()


class ReturnPlanCreateSchema(LocatedSchema):
    """A return plan; ``uuid`` makes retries safe. Dates are YYYY-MM-DD; the travel date may lie ahead."""

    uuid = fields.Str(allow_none=True)
    from_place = fields.Str(allow_none=True)
    from_region_code = fields.Str(allow_none=True)
    to_region_code = fields.Str(allow_none=True, metadata={"description": "The village of origin (level 4)."})
    to_address = fields.Str(allow_none=True)
    travel_date = fields.Str(allow_none=True)
    travel_mode = fields.Str(allow_none=True)
    escort_user_id = fields.Int(allow_none=True, strict=True)
    escort_name = fields.Str(allow_none=True)
    handover = fields.Str(allow_none=True, metadata={"description": '"family" or "origin_agency".'})
    family_name = fields.Str(allow_none=True)
    family_relationship = fields.Str(allow_none=True)
    origin_agency_id = fields.Int(allow_none=True, strict=True)
    origin_agency_name = fields.Str(allow_none=True)
    notes = fields.Str(allow_none=True)


class DepartureSchema(TransferVersionedSchema):
    """The client set off on ``departed_on``."""

    departed_on = fields.Str(allow_none=True)


class ArrivalSchema(TransferVersionedSchema):
    """The client arrived on ``arrived_on`` and was received by ``received_by``."""

    arrived_on = fields.Str(allow_none=True)
    received_by = fields.Str(allow_none=True)
    arrival_notes = fields.Str(allow_none=True)
