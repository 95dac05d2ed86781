"""API schemas for achievement reports, their drill-down lists and the SPM index.

Percentages travel as decimal strings ("107.63"), exactly as rounded and
shown; numerators and denominators as integers, so a reader can redo the
arithmetic.
"""

from marshmallow import EXCLUDE, Schema, fields

from casework.figures.close_schemas import ClosedStateSchema
from casework.figures.drilldown import fact_day


class PeriodQuerySchema(Schema):
    """A year, with a quarter or a month (not both), and the decimals shown (0–4, default 2).

    Kept as text here: the report checks the values and answers each in Indonesian by field.
    """

    class Meta:
        """Paging arguments pass through."""

        unknown = EXCLUDE

    year = fields.Str(required=True)
    quarter = fields.Str()
    month = fields.Str()
    places = fields.Str(metadata={"description": "Decimals of the percentages: 0 to 4 (default 2)."})


class AchievementQuerySchema(PeriodQuerySchema):
    """Which indicator, and the period."""

    indicator = fields.Str(required=True, metadata={"description": 'The indicator\'s code, e.g. "KAB-2-PENERIMA".'})


class CountedQuerySchema(AchievementQuerySchema):
    """The number to drill into: a row's key (``total`` for the total) and its part."""

    row = fields.Str(required=True, metadata={"description": 'A row\'s ``key``, or "total".'})
    part = fields.Str(metadata={"description": '"realisation" (default) or "denominator" (measured ones only).'})


class IndicatorSchema(Schema):
    """An indicator: what it counts, by which rows, over which days, divided by what."""

    code = fields.Str()
    name = fields.Str()
    name_en = fields.Str()
    counting_unit = fields.Function(lambda indicator: indicator.counting_unit.value)
    reported_by = fields.Function(lambda indicator: indicator.reported_by.value)
    period_rule = fields.Function(lambda indicator: indicator.period_rule.value)
    denominator = fields.Function(lambda indicator: indicator.denominator.value)
    spm_service_type = fields.Function(
        lambda indicator: indicator.spm_service_type.code if indicator.spm_service_type else None
    )


class RowSchema(Schema):
    """One line of an achievement table; ``percent`` is null without a denominator."""

    key = fields.Str()
    label = fields.Str()
    realisation = fields.Int()
    denominator = fields.Int(allow_none=True)
    percent = fields.Decimal(as_string=True, allow_none=True)


class PeriodSchema(Schema):
    """The period asked for, and the days counted (from 1 January for cumulative indicators)."""

    year = fields.Int()
    quarter = fields.Int(allow_none=True)
    month = fields.Int(allow_none=True)
    counted_from = fields.Date()
    counted_to = fields.Date()


class AchievementSchema(Schema):
    """An indicator's achievement for a period: rows per unit and the total (the ratio of the sums)."""

    indicator = fields.Nested(IndicatorSchema)
    period = fields.Function(
        lambda report: PeriodSchema().dump(
            {**report.period._asdict(), "counted_from": report.window.start, "counted_to": report.window.end}
        )
    )
    places = fields.Int()
    rows = fields.List(fields.Nested(RowSchema))
    total = fields.Nested(RowSchema)
    # Null for live figures; the revision served when the period's month is closed.
    closed = fields.Function(lambda report: ClosedStateSchema().dump(report.closed) if report.closed else None)


class CountedSchema(Schema):
    """A row counted in a figure: the client or record, its day, its case, and what it added."""

    item_id = fields.Int()
    on = fields.Function(lambda row: fact_day(row.on).isoformat() if hasattr(row.on, "isoformat") else row.on)
    case_number = fields.Str(allow_none=True)
    case_uuid = fields.UUID(allow_none=True)
    client_name = fields.Str(allow_none=True)
    numerator = fields.Int()
    denominator = fields.Int()


class IndexPartSchema(Schema):
    """Recipients or quality of an SPM index row."""

    realisation = fields.Int()
    denominator = fields.Int(allow_none=True)
    percent = fields.Decimal(as_string=True, allow_none=True)


class SpmIndexRowSchema(Schema):
    """One SPM service type (or, with ``spm_service_type`` null, all of them): achievements, index, band."""

    spm_service_type = fields.Function(lambda row: row.spm_type.code if row.spm_type else None)
    name = fields.Function(lambda row: row.spm_type.name if row.spm_type else None)
    recipients = fields.Nested(IndexPartSchema)
    quality = fields.Nested(IndexPartSchema)
    index = fields.Decimal(as_string=True, allow_none=True)
    band = fields.Str(allow_none=True)


class SpmIndexSchema(Schema):
    """The SPM index of a period: the weights used, a row per service type, and the overall row."""

    weights = fields.Dict(keys=fields.Str(), values=fields.Int())
    types = fields.List(fields.Nested(SpmIndexRowSchema))
    overall = fields.Nested(SpmIndexRowSchema)
