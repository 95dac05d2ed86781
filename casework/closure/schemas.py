"""API schemas for closures: the closure as returned, and the bodies of a decision and of reopening."""

from marshmallow import Schema, fields

from casework.cases.schemas import VersionedSchema


class ClosureSchema(Schema):
    """A closure proposal and its decision; ``version`` goes back with a decision, ``case_version`` with the case's."""

    uuid = fields.UUID()
    case_uuid = fields.Function(lambda closure: str(closure.case.uuid))
    case_stage = fields.Function(lambda closure: closure.case.stage.value)
    case_version = fields.Function(lambda closure: closure.case.version)
    outcome = fields.Function(lambda closure: closure.outcome.value)
    terminated_on = fields.Date()
    termination_notes = fields.Str(allow_none=True)
    aftercare_months = fields.Int(allow_none=True)
    status = fields.Function(lambda closure: closure.status.value)
    proposed_by_id = fields.Int()
    proposed_at = fields.AwareDateTime()
    decided_by_id = fields.Int(allow_none=True)
    decided_at = fields.AwareDateTime(allow_none=True)
    decision_reason = fields.Str(allow_none=True)
    version = fields.Int()


class DecisionSchema(VersionedSchema):
    """A decision on a closure at the closure's ``version``."""


class ReasonedSchema(VersionedSchema):
    """A rejection of a closure (at the closure's ``version``) or a reopening (at the case's), with its reason."""

    reason = fields.Str(allow_none=True)
