"""API schemas for disaster events, sites, households and people.

Input fields are loose on purpose (text, numbers, booleans): dates, choices,
regions and the rules between them are checked by the services, which answer
in Indonesian by field for the pages and the API alike (a member's problems
under ``members.<index>.<field>``).
"""

from marshmallow import EXCLUDE, Schema, fields

from casework.disasters.models import DisasterEvent
from casework.extensions import db


def _value(attribute):
    """A Function field dumping the value of the enum held in ``attribute``."""
    return fields.Function(lambda obj: getattr(getattr(obj, attribute), "value", None))


class _Loose(Schema):
    """Unknown fields are dropped, not refused: older tablets may send what a newer API no longer reads."""

    class Meta:
        """Drops unknown fields."""

        unknown = EXCLUDE


class EventInputSchema(_Loose):
    """An event's fields, as created or corrected."""

    kind = fields.Str(allow_none=True, metadata={"description": "flood, tidal_flood, fire, house_collapse, …"})
    name = fields.Str(allow_none=True)
    occurred_on = fields.Str(allow_none=True, metadata={"description": "YYYY-MM-DD, not in the future."})
    emergency_from = fields.Str(allow_none=True, metadata={"description": "Default: the day it occurred."})
    emergency_until = fields.Str(allow_none=True)
    description = fields.Str(allow_none=True)
    villages = fields.List(fields.Str(), allow_none=True, metadata={"description": "Village (level 4) codes."})


class EventCreateSchema(EventInputSchema):
    """A new event; the device's UUID makes a retry return the first."""

    uuid = fields.Str(allow_none=True)


class EventPatchSchema(EventInputSchema):
    """Corrections at the version read."""

    version = fields.Int(required=True)


class EventStatusSchema(_Loose):
    """One status step: ``status`` is the next one (recovery, then closed)."""

    version = fields.Int(required=True)
    status = fields.Str(required=True)
    emergency_until = fields.Str(allow_none=True)
    closed_on = fields.Str(allow_none=True)


class EventSchema(Schema):
    """A disaster event."""

    uuid = fields.UUID()
    number = fields.Str()
    kind = _value("kind")
    name = fields.Str()
    occurred_on = fields.Date()
    status = _value("status")
    emergency_from = fields.Date()
    emergency_until = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    description = fields.Str(allow_none=True)
    villages = fields.Function(lambda event: [village.region_code for village in event.villages])
    version = fields.Int()


class SiteInputSchema(_Loose):
    """A site's fields."""

    name = fields.Str(allow_none=True)
    region_code = fields.Str(allow_none=True, metadata={"description": "The village (level 4)."})
    address = fields.Str(allow_none=True)
    capacity = fields.Raw(allow_none=True, metadata={"description": "People it can hold, 0 or more."})
    opened_on = fields.Str(allow_none=True)
    latitude = fields.Raw(allow_none=True)
    longitude = fields.Raw(allow_none=True)


class SiteCreateSchema(SiteInputSchema):
    """A new site; the device's UUID makes a retry return the first."""

    uuid = fields.Str(allow_none=True)


class SitePatchSchema(SiteInputSchema):
    """Corrections at the version read."""

    version = fields.Int(required=True)


class SiteCloseSchema(_Loose):
    """Closing a site on a day (default today); everyone still there leaves that day."""

    version = fields.Int(required=True)
    closed_on = fields.Str(allow_none=True)


class HouseholdLeaveSchema(_Loose):
    """A household going home from its site on a day (default today)."""

    version = fields.Int(required=True)
    left_on = fields.Str(allow_none=True)


class SiteSchema(Schema):
    """An evacuation site."""

    uuid = fields.UUID()
    event_uuid = fields.Function(lambda site: str(site.event.uuid))
    name = fields.Str()
    region_code = fields.Str()
    address = fields.Str(allow_none=True)
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    capacity = fields.Int()
    opened_on = fields.Date()
    closed_on = fields.Date(allow_none=True)
    version = fields.Int()


class MemberInputSchema(_Loose):
    """A member of a household; the first is the head."""

    uuid = fields.Str(allow_none=True)
    name = fields.Str(allow_none=True)
    sex = fields.Str(allow_none=True, metadata={"description": "male or female."})
    age_years = fields.Raw(allow_none=True, metadata={"description": "Whole years 0-130 (or give birth_date)."})
    birth_date = fields.Str(allow_none=True)
    relation = fields.Str(allow_none=True, metadata={"description": "spouse, child, parent, other_relative, other."})
    nik = fields.Str(allow_none=True)
    elderly = fields.Raw(allow_none=True, metadata={"description": "Omitted or null: from the age (60 and over)."})
    pregnant_or_nursing = fields.Raw(allow_none=True)
    under_five = fields.Raw(allow_none=True, metadata={"description": "Omitted or null: from the age (under 5)."})
    disability = fields.Raw(allow_none=True)


class HouseholdCreateSchema(_Loose):
    """A household with all its members, saved together or not at all."""

    uuid = fields.Str(allow_none=True, metadata={"description": "The device's UUID: a retry returns the first."})
    site_uuid = fields.Str(allow_none=True, metadata={"description": "An open site of the event; none: not there."})
    arrived_on = fields.Str(allow_none=True, metadata={"description": "Arrival at the site; default today."})
    region_code = fields.Str(allow_none=True, metadata={"description": "The household's village (level 4)."})
    kk_number = fields.Str(allow_none=True)
    address = fields.Str(allow_none=True)
    members = fields.List(fields.Nested(MemberInputSchema), required=True)


class PersonSchema(Schema):
    """An affected person."""

    uuid = fields.UUID()
    household_uuid = fields.Function(lambda person: str(person.household.uuid))
    relation = _value("relation")
    name = fields.Str()
    sex = _value("sex")
    birth_date = fields.Date(allow_none=True)
    age_years = fields.Int(allow_none=True)
    nik = fields.Str(allow_none=True)
    elderly = fields.Bool()
    pregnant_or_nursing = fields.Bool()
    under_five = fields.Bool()
    disability = fields.Bool()
    region_code = fields.Str()
    site_uuid = fields.Function(lambda person: str(person.site.uuid) if person.site else None)
    arrived_on = fields.Date(allow_none=True)
    left_on = fields.Date(allow_none=True)
    client_linked = fields.Function(lambda person: person.client_id is not None)
    case_linked = fields.Function(lambda person: person.case_id is not None)
    version = fields.Int()


class HouseholdSchema(Schema):
    """A household and its members."""

    uuid = fields.UUID()
    event_uuid = fields.Function(lambda household: str(db.session.get(DisasterEvent, household.event_id).uuid))
    kk_number = fields.Str(allow_none=True)
    region_code = fields.Str()
    address = fields.Str(allow_none=True)
    site_uuid = fields.Function(lambda household: str(household.site.uuid) if household.site else None)
    registered_at = fields.AwareDateTime()
    version = fields.Int()
    members = fields.Nested(PersonSchema, many=True)


class LinkClientSchema(_Loose):
    """Linking a person to a client of the registry at the person's version."""

    version = fields.Int(required=True)
    client_uuid = fields.Str(required=True)


class MakeCaseSchema(_Loose):
    """Opening a case for a person: a client to use (optional), or confirming a new one after candidates."""

    version = fields.Int(required=True)
    uuid = fields.Str(allow_none=True, metadata={"description": "The case's UUID: a retry returns the first."})
    client_uuid = fields.Str(allow_none=True)
    confirm_new = fields.Bool(load_default=False)
    circumstances = fields.Str(allow_none=True)
    unit_id = fields.Raw(allow_none=True)
    caseworker_id = fields.Raw(allow_none=True)


class PersonCaseSchema(Schema):
    """The case opened for a person."""

    person_uuid = fields.Str()
    case_uuid = fields.Str()
    case_number = fields.Str()
    client_uuid = fields.Str()
