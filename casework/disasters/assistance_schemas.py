"""API schemas for disaster assistance, distribution lists and the situation of an event.

Input fields are loose on purpose: ``casework.disasters.assistance`` checks
them and answers in Indonesian by field, for the pages and the API alike.
"""

from marshmallow import Schema, fields


def _value(attribute):
    """A Function field dumping the value of the enum held in ``attribute``."""
    return fields.Function(lambda obj: getattr(getattr(obj, attribute), "value", None))


class AssistanceInputSchema(Schema):
    """Assistance for a person or a household on a day; the quantity set (0 removes the record)."""

    uuid = fields.Str(allow_none=True, metadata={"description": "The device's UUID: a retry returns the first."})
    person = fields.Str(allow_none=True, metadata={"description": "UUID of a person of the event."})
    household = fields.Str(allow_none=True, metadata={"description": "UUID of a household of the event."})
    kind = fields.Str(
        metadata={"description": "meals, clothing, shelter, special_handling, psychosocial or other (with service)."}
    )
    service = fields.Raw(allow_none=True, metadata={"description": "Catalogue service slug or id (kind other)."})
    given_on = fields.Str(metadata={"description": "YYYY-MM-DD."})
    quantity = fields.Raw(metadata={"description": "Meals 0-3 (per person, per day); other kinds items or sessions."})
    unit = fields.Str(allow_none=True)
    note = fields.Str(allow_none=True)


class TickSchema(Schema):
    """One tick of a distribution list: a person of the site, a kind, the quantity now given that day."""

    person = fields.Str(required=True)
    kind = fields.Str(required=True)
    quantity = fields.Raw(required=True)


class AssistanceSchema(Schema):
    """A recorded assistance (or, after a quantity of 0, the slot with quantity 0)."""

    uuid = fields.UUID(allow_none=True)
    kind = _value("kind")
    given_on = fields.Date()
    quantity = fields.Int()
    service_id = fields.Int(allow_none=True)
    note = fields.Str(allow_none=True)
    changed = fields.Bool()


class DistributionLineSchema(Schema):
    """A person on a site's list for a day and what they were given (per kind)."""

    person = fields.Function(lambda line: str(line.person.uuid))
    household = fields.Function(lambda line: str(line.person.household.uuid))
    name = fields.Function(lambda line: line.person.name)
    given = fields.Function(lambda line: {getattr(kind, "value", kind): qty for kind, qty in line.given.items()})


class SituationSchema(Schema):
    """An event's situation figures (the situation page's numbers)."""

    today = fields.Date()
    totals = fields.Dict()
    sites = fields.List(fields.Dict())
    villages = fields.List(fields.Dict())
    days = fields.List(fields.Dict())
    unfed = fields.Int()
    needs_met = fields.Int()
    needs_registered = fields.Int()
