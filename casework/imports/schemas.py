"""API schemas of imports: the job, its report rows, the upload's text part, decisions."""

from marshmallow import EXCLUDE, Schema, fields, validate

from casework.imports.queries import FILTERS


class ImportJobSchema(Schema):
    """An import job: its dry-run counts per action, then the import's progress and what it applied."""

    uuid = fields.UUID()
    record_type = fields.Str()
    status = fields.Str(metadata={"description": "checking, checked, queued, running, done, failed"})
    total = fields.Int(metadata={"description": "Data rows in the file."})
    done = fields.Int(metadata={"description": "Rows processed so far (by the dry run, then by the import)."})
    counts = fields.Dict(keys=fields.Str(), values=fields.Int(), metadata={"description": "Dry run rows per action."})
    error_count = fields.Int()
    undecided = fields.Int(metadata={"description": "Rows with likely duplicates still waiting for a decision."})
    applied = fields.Dict(keys=fields.Str(), values=fields.Int(), metadata={"description": "Imported rows per action."})
    resume_line = fields.Int(metadata={"description": "The file line a resumed import starts from."})
    failure = fields.Str(allow_none=True)
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)


class ImportErrorSchema(Schema):
    """A problem with a cell (``column``) or a row (``column`` null)."""

    column = fields.Str(allow_none=True)
    message = fields.Str()


class ImportCandidateSchema(Schema):
    """An existing client the row may be, with the matcher's score and reasons."""

    id = fields.Int()
    label = fields.Str()
    score = fields.Int()
    reasons = fields.List(fields.Str())


class ImportRowSchema(Schema):
    """The dry run's verdict on one row: error, decide, create, link, update (unchanged rows are not listed)."""

    line = fields.Int()
    action = fields.Str()
    label = fields.Str(allow_none=True)
    target_id = fields.Int(allow_none=True)
    errors = fields.List(fields.Nested(ImportErrorSchema))
    candidates = fields.List(fields.Nested(ImportCandidateSchema))
    decision = fields.Str(allow_none=True)


class ImportUploadSchema(Schema):
    """The text part of an upload: ``new_when_unsure`` registers likely duplicates as new without asking."""

    new_when_unsure = fields.Bool(load_default=False)


class ReportQuerySchema(Schema):
    """Which report rows to list."""

    class Meta:
        unknown = EXCLUDE

    action = fields.Str(validate=validate.OneOf(FILTERS))


class ImportDecisionSchema(Schema):
    """A decision on one row: ``new`` (register as new), ``skip``, or a candidate's client id."""

    line = fields.Int(required=True)
    decision = fields.Str(required=True)


class ImportDecisionsSchema(Schema):
    """Decisions on rows with likely duplicates."""

    decisions = fields.List(
        fields.Nested(ImportDecisionSchema), required=True, validate=validate.Length(min=1, max=1000)
    )
