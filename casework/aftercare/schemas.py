"""API schemas for the exit assessment, aftercare visits and the graduation figures.

Input fields are loose on purpose: dates, choices and scores are checked by
``casework.aftercare.services``, which answers in Indonesian by field for the
pages and the API alike. A volunteer's visit shows only what the visit needs.
"""

from marshmallow import EXCLUDE, Schema, fields, validate

from casework.aftercare.graduation import graduation_type, self_reliance_index
from casework.cases.schemas import LocatedSchema, VersionedSchema


def _value(attribute):
    """A Function field dumping the value of the enum held in ``attribute``."""
    return fields.Function(lambda obj: getattr(getattr(obj, attribute), "value", None))


class ExitScoreSchema(Schema):
    """One variable's score, with the weight and maximum it was scored against."""

    code = fields.Function(lambda score: score.variable.code)
    name = fields.Function(lambda score: score.variable.name)
    score = fields.Int()
    weight = fields.Int()
    max_score = fields.Int()


class ExitAssessmentSchema(Schema):
    """An exit assessment: the index as its exact parts and rounded, the decision, the graduation type."""

    uuid = fields.UUID()
    case_uuid = fields.Function(lambda assessment: str(assessment.case.uuid))
    assessed_on = fields.Date()
    decision = _value("decision")
    graduation = fields.Function(
        lambda assessment: (
            graduation_type(assessment.case.outcome, assessment.decision).value if assessment.case.outcome else None
        )
    )
    score_total = fields.Int()
    score_max = fields.Int()
    index = fields.Function(lambda assessment: str(self_reliance_index(assessment.score_total, assessment.score_max)))
    scores = fields.List(fields.Nested(ExitScoreSchema))
    assessed_by_id = fields.Int()
    version = fields.Int()


class ExitAssessmentInputSchema(LocatedSchema):
    """An exit assessment to record: ``scores`` {variable code: score}; ``version`` when replacing one."""

    uuid = fields.Str(allow_none=True)
    version = fields.Int(allow_none=True, strict=True)
    assessed_on = fields.Str(allow_none=True)
    decision = fields.Str(allow_none=True)
    scores = fields.Dict(keys=fields.Str(), values=fields.Raw(allow_none=True), load_default=dict)


class AftercareVisitSchema(Schema):
    """A visit slot as its recorder sees it: the client's name and village, the due date, what it found."""

    id = fields.Int()
    client_name = fields.Function(lambda visit: visit.case.client.full_name)
    village = fields.Function(
        lambda visit: visit.case.client.domicile_region.name if visit.case.client.domicile_region else None
    )
    month_offset = fields.Int()
    due_on = fields.Date()
    visited_on = fields.Date(allow_none=True)
    result = _value("result")
    version = fields.Int()


class AftercareVisitRecordSchema(VersionedSchema):
    """A visit made, at the slot's ``version``: when, ``result`` (stable, fallen_back, not_met), notes."""

    visited_on = fields.Str(allow_none=True)
    result = fields.Str(allow_none=True)
    notes = fields.Str(allow_none=True)


class GraduationPeriodSchema(Schema):
    """The period of the figures: ``year``, and a ``quarter`` or a ``month``; ``places`` of the percentages."""

    class Meta:
        unknown = EXCLUDE

    year = fields.Int(required=True, validate=validate.Range(2000, 2100))
    quarter = fields.Int(allow_none=True, validate=validate.Range(1, 4))
    month = fields.Int(allow_none=True, validate=validate.Range(1, 12))
    places = fields.Int(load_default=2, validate=validate.Range(0, 4))


class TypeRateSchema(Schema):
    """Exits of one graduation type and their share of all exits."""

    type = fields.Function(lambda row: row["type"].value)
    count = fields.Int()
    exits = fields.Int()
    percent = fields.Decimal(as_string=True, allow_none=True)


class SustainedSchema(Schema):
    """Self-reliant graduates whose +N months point passed (``eligible``) and those not fallen back by then."""

    months = fields.Int()
    eligible = fields.Int()
    sustained = fields.Int()
    percent = fields.Decimal(as_string=True, allow_none=True)


class GraduationFiguresSchema(Schema):
    """The graduation figures of a period."""

    start = fields.Date()
    end = fields.Date()
    exits = fields.Int()
    unassessed = fields.Int()
    types = fields.List(fields.Nested(TypeRateSchema))
    total_percent = fields.Decimal(as_string=True, allow_none=True)
    sustained = fields.List(fields.Nested(SustainedSchema))


class EarlyWarningSchema(Schema):
    """An ended case showing signs of falling back, one flag per sign."""

    case_uuid = fields.Function(lambda row: str(row.uuid))
    number = fields.Str()
    client_name = fields.Function(lambda row: row.full_name)
    terminated_on = fields.Date()
    graduation = fields.Str()
    fallen_back = fields.Bool()
    missed = fields.Bool()
    overdue = fields.Bool()
    new_case = fields.Bool()
