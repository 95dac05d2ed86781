"""API schemas for a client's consent answers.

Input fields are loose on purpose: choices and dates are checked by
``casework.privacy.consent``, which answers in Indonesian by field for the
page and the API alike.
"""

from marshmallow import Schema, fields


def _value(attribute):
    """A Function field dumping the value of the enum held in ``attribute``."""
    return fields.Function(lambda obj: getattr(getattr(obj, attribute), "value", None))


class ConsentSchema(Schema):
    """One answer: purpose, yes/no, when and how, who recorded it, and when it was withdrawn."""

    id = fields.Int()
    uuid = fields.UUID()
    client_uuid = fields.Function(lambda consent: str(consent.client.uuid))
    purpose = _value("purpose")
    given = fields.Bool()
    recorded_on = fields.Date()
    method = _value("method")
    note = fields.Str(allow_none=True)
    recorded_by_id = fields.Int()
    withdrawn_on = fields.Date(allow_none=True)


class ConsentInputSchema(Schema):
    """An answer to record: ``purpose`` (services, referral, photos), ``given``, ``recorded_on``, ``method``."""

    uuid = fields.Str(allow_none=True)
    purpose = fields.Str(allow_none=True)
    given = fields.Raw(allow_none=True)
    recorded_on = fields.Str(allow_none=True)
    method = fields.Str(allow_none=True)
    note = fields.Str(allow_none=True)


class ConsentWithdrawSchema(Schema):
    """The day an answer is withdrawn from."""

    withdrawn_on = fields.Str(allow_none=True)
