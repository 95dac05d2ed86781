"""API schemas for filing findings and complaints, and for the status a reporter may see.

Input fields are loose on purpose (text, booleans): dates, choices, regions
and the rules between them are checked by ``casework.findings.services``,
which answers in Indonesian by field for the pages and the API alike.
"""

from marshmallow import EXCLUDE, Schema, fields


def _value(attribute):
    """A Function field dumping the value of the enum held in ``attribute``."""
    return fields.Function(lambda obj: getattr(getattr(obj, attribute), "value", None))


class FindingCreateSchema(Schema):
    """A field finding. The device's UUID makes a retry return the first one; photos come as multipart parts."""

    class Meta:
        """Multipart bodies carry the photos as parts of their own, read separately."""

        unknown = EXCLUDE

    uuid = fields.Str(allow_none=True)
    region_code = fields.Str(allow_none=True, metadata={"description": "The village (level 4), e.g. 32.75.07.1004."})
    place = fields.Str(allow_none=True)
    observed_on = fields.Str(allow_none=True, metadata={"description": "YYYY-MM-DD, not in the future."})
    category_id = fields.Raw(allow_none=True, metadata={"description": "Id of an active PPKS category (a guess)."})
    description = fields.Str(allow_none=True)
    urgency = fields.Str(allow_none=True, metadata={"description": "emergency, soon or routine (default)."})
    consent_given = fields.Raw(allow_none=True, metadata={"description": "true when the person agreed."})
    person_name = fields.Str(allow_none=True)
    person_sex = fields.Str(allow_none=True, metadata={"description": "male or female."})
    person_age = fields.Raw(allow_none=True, metadata={"description": "Whole years, 0-130."})
    person_details = fields.Str(allow_none=True)
    # Form fields arrive as text: multipart sends GPS as text, which the service parses as it does JSON numbers.
    latitude = fields.Raw(allow_none=True)
    longitude = fields.Raw(allow_none=True)


class ComplaintCreateSchema(FindingCreateSchema):
    """A complaint from the public: the finding's fields, how it came in, and who to answer."""

    source = fields.Str(allow_none=True, metadata={"description": "call_centre, walk_in, message or letter."})
    reporter_name = fields.Str(allow_none=True)
    reporter_contact = fields.Str(allow_none=True)


class ReportStatusSchema(Schema):
    """Where a report stands, as its reporter may see it: no client or case details beyond the case number."""

    uuid = fields.UUID()
    number = fields.Str()
    kind = _value("kind")
    status = _value("status")
    region_code = fields.Str()
    region_name = fields.Function(lambda report: report.region.name)
    observed_on = fields.Date()
    received_at = fields.AwareDateTime()
    decided_at = fields.AwareDateTime(allow_none=True)
    case_number = fields.Function(
        lambda report: report.case.number if report.case_id is not None else None,
        metadata={"description": "The case opened or attached from the report, once there is one."},
    )
    close_reason = _value("close_reason")
    photo_count = fields.Function(lambda report: len(report.photos))
