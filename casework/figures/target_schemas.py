"""API schemas for annual targets, the registered population and their CSV imports."""

from marshmallow import EXCLUDE, Schema, fields


class TargetSchema(Schema):
    """One annual target; ``unit_code`` null is the agency as a whole. ``version`` goes back with a change."""

    year = fields.Int()
    indicator_code = fields.Function(lambda target: target.indicator.code)
    unit_id = fields.Int(allow_none=True)
    unit_code = fields.Function(lambda target: target.unit.code if target.unit else None, allow_none=True)
    target = fields.Int()
    version = fields.Int()


class TargetQuerySchema(Schema):
    """Which targets to list: a year, optionally one indicator by code."""

    class Meta:
        unknown = EXCLUDE

    year = fields.Int(required=True)
    indicator = fields.Str(metadata={"description": "An indicator code, e.g. OUTREACH-REACHED."})


class TargetInputSchema(Schema):
    """Sets one target (``target`` null removes it) at the ``version`` read (null when none was stored)."""

    year = fields.Int(required=True)
    indicator_code = fields.Str(required=True)
    unit_code = fields.Str(allow_none=True, load_default=None, metadata={"description": "Null: the whole agency."})
    target = fields.Int(allow_none=True, required=True)
    version = fields.Int(allow_none=True, load_default=None)


class TargetCellSchema(Schema):
    """A target as it is after a change: ``target`` and ``version`` are null when it was removed."""

    year = fields.Int()
    indicator_code = fields.Str()
    unit_code = fields.Str(allow_none=True)
    target = fields.Int(allow_none=True)
    version = fields.Int(allow_none=True)


class ImportInputSchema(Schema):
    """The text part of an import upload: ``dry_run`` checks the file and writes nothing."""

    dry_run = fields.Bool(load_default=False)


class ImportResultSchema(Schema):
    """What an import did (or, in a dry run, would do), per action."""

    dry_run = fields.Bool()
    created = fields.Int()
    updated = fields.Int()
    unchanged = fields.Int()


class PopulationQuerySchema(Schema):
    """A year of the population, optionally inside a region (a regency or district code)."""

    class Meta:
        unknown = EXCLUDE

    year = fields.Int(required=True)
    region_prefix = fields.Str(metadata={"description": "A regency or district code, e.g. 32.75.01."})


class PopulationTotalQuerySchema(PopulationQuerySchema):
    """The total's filters: categories by slug or local code (comma-separated) and the counting unit."""

    category = fields.Str(metadata={"description": "Comma-separated category codes; all when absent."})
    counting_unit = fields.Str(metadata={"description": "person (default), household, or all."})


class PopulationTotalSchema(Schema):
    """The registered population matching the filters, in one counting unit (or both, when asked for all)."""

    year = fields.Int()
    region_prefix = fields.Str(allow_none=True)
    counting_unit = fields.Str()
    total = fields.Int()


class PopulationCellSchema(Schema):
    """One count of the population table: a category in one counting unit."""

    category = fields.Str(metadata={"description": "The category's national slug."})
    counting_unit = fields.Str()
    count = fields.Int()


class PopulationRowSchema(Schema):
    """A district's counts by category, and its totals per counting unit."""

    district_code = fields.Str()
    district_name = fields.Str()
    cells = fields.List(fields.Nested(PopulationCellSchema))
    totals = fields.Dict(keys=fields.Str(), values=fields.Int())


class PopulationTableSchema(Schema):
    """The population by district × category, with column totals and grand totals per counting unit."""

    year = fields.Int()
    rows = fields.List(fields.Nested(PopulationRowSchema))
    column_totals = fields.List(fields.Nested(PopulationCellSchema))
    totals = fields.Dict(keys=fields.Str(), values=fields.Int())
