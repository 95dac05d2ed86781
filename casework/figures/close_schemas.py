"""API schemas for monthly closes: the months' status, closing a month, a revision's changes."""

from marshmallow import Schema, fields


class CloseYearQuerySchema(Schema):
    """The year whose months are listed (this year when absent)."""

    year = fields.Int(metadata={"description": "The year, e.g. 2026."})


class CloseInputSchema(Schema):
    """The month to close."""

    month = fields.Str(required=True, metadata={"description": 'The month as "YYYY-MM".'})


class CloseSchema(Schema):
    """One revision of a month's close."""

    year = fields.Int()
    month = fields.Int()
    revision = fields.Int()
    closed_at = fields.DateTime()
    by_scheduler = fields.Function(lambda close: close.closed_by_id is None)


class ClosedStateSchema(Schema):
    """Where a report served from a close comes from: the revision, when it closed, the late records it took in."""

    year = fields.Function(lambda state: state.close.year)
    month = fields.Function(lambda state: state.close.month)
    revision = fields.Function(lambda state: state.close.revision)
    closed_at = fields.Function(lambda state: state.close.closed_at.isoformat())
    late_items = fields.Function(lambda state: state.figure.late_items)


class CloseResultSchema(Schema):
    """A close: the revision that now holds the month, and whether this close made it (false: unchanged)."""

    close = fields.Nested(CloseSchema)
    changed = fields.Bool()


class MonthStatusSchema(Schema):
    """A month with its latest close (null: not closed) and the late records that revision took in."""

    month = fields.Int()
    latest = fields.Nested(CloseSchema, allow_none=True)
    late_items = fields.Int()


class ClosedLineSchema(Schema):
    """A line of an indicator's table before and after (null where it was not there)."""

    key = fields.Str()
    label = fields.Str()
    realisation_before = fields.Function(lambda line: line.before.realisation if line.before else None)
    realisation_after = fields.Function(lambda line: line.after.realisation if line.after else None)
    denominator_before = fields.Function(lambda line: line.before.denominator if line.before else None)
    denominator_after = fields.Function(lambda line: line.after.denominator if line.after else None)


class ClosedFactChangeSchema(Schema):
    """A counted row that came in (``added``) or went out."""

    added = fields.Bool()
    row_key = fields.Int(allow_none=True)
    item_id = fields.Int()
    ref_id = fields.Int()
    numerator = fields.Int()
    denominator = fields.Int()
    case_number = fields.Str(allow_none=True)


class IndicatorDiffSchema(Schema):
    """One indicator's changes: lines, counts of facts added and removed, distinct late items, the facts."""

    indicator = fields.Function(lambda diff: diff.indicator.code)
    added = fields.Function(lambda diff: diff.figure.added)
    removed = fields.Function(lambda diff: diff.figure.removed)
    late_items = fields.Function(lambda diff: diff.figure.late_items)
    lines = fields.List(fields.Nested(ClosedLineSchema))
    facts = fields.List(fields.Nested(ClosedFactChangeSchema))


class RevisionDiffSchema(Schema):
    """A revision and, per indicator that changed since the one before, what changed."""

    close = fields.Nested(CloseSchema)
    previous = fields.Nested(CloseSchema, allow_none=True)
    indicators = fields.List(fields.Nested(IndicatorDiffSchema))
