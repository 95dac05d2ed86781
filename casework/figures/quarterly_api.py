"""API endpoints of the quarterly SPM report: the report, and the data officer's entry per service type.

The report is the page's: per SPM type of the agency's level the recipients
(needed, met, %), quality, index and band, budget and the entries, and the
total line; ``source`` says whether the figures come from the close of the
quarter's last month (and which revision) or are counted live. An entry is
changed at the ``version`` read (null when there was none): a stale one is
a 409 carrying the entry as it is now.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import EXCLUDE, Schema, fields

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_args, load_json
from casework.core.errors import NotFound, current_on_conflict
from casework.core.permissions import require
from casework.extensions import db
from casework.figures import quarterly
from casework.figures.achievement import parse_period, parse_places
from casework.figures.schemas import IndexPartSchema
from casework.reference.models import SpmServiceType


class QuarterlyQuerySchema(Schema):
    """A year and quarter, and the decimals of the percentages (0–4, default 2); checked by the report (422)."""

    class Meta:
        """Other arguments pass through."""

        unknown = EXCLUDE

    year = fields.Str(required=True)
    quarter = fields.Str(required=True)
    places = fields.Str(metadata={"description": "Decimals of the percentages: 0 to 4 (default 2)."})


class QuarterlyEntrySchema(Schema):
    """An entry of one SPM type and quarter (rupiah as integers); ``version`` goes back with a change."""

    year = fields.Int()
    quarter = fields.Int()
    spm_service_type = fields.Function(lambda entry: entry.spm_service_type.code)
    budget_allocation = fields.Int(allow_none=True)
    budget_realisation = fields.Int(allow_none=True)
    problems = fields.Str(allow_none=True)
    action_plan = fields.Str(allow_none=True)
    version = fields.Int(allow_none=True)


class QuarterlyEntryInputSchema(Schema):
    """Sets one entry at the ``version`` read (null when there was none); null or blank fields are emptied."""

    year = fields.Int(required=True, strict=True)
    quarter = fields.Int(required=True, strict=True)
    spm_service_type = fields.Str(required=True, metadata={"description": 'The SPM type\'s code, e.g. "kab-2".'})
    budget_allocation = fields.Int(allow_none=True, load_default=None, strict=True)
    budget_realisation = fields.Int(allow_none=True, load_default=None, strict=True)
    problems = fields.Str(allow_none=True, load_default=None)
    action_plan = fields.Str(allow_none=True, load_default=None)
    version = fields.Int(allow_none=True, load_default=None, strict=True)


class QuarterlyBudgetSchema(Schema):
    """Budget allocation and realisation in rupiah, and realisation ÷ allocation."""

    allocation = fields.Int(allow_none=True)
    realisation = fields.Int(allow_none=True)
    percent = fields.Decimal(as_string=True, allow_none=True)


class QuarterlyLineSchema(Schema):
    """One SPM type (``spm_service_type`` null: the total line): recipients, quality, index, band, budget, entry."""

    spm_service_type = fields.Function(lambda line: line.spm_type.code if line.spm_type else None)
    name = fields.Function(lambda line: line.spm_type.name if line.spm_type else None)
    recipients = fields.Function(lambda line: IndexPartSchema().dump(line.figures.recipients))
    quality = fields.Function(lambda line: IndexPartSchema().dump(line.figures.quality))
    index = fields.Function(lambda line: None if line.figures.index is None else str(line.figures.index))
    band = fields.Function(lambda line: line.figures.band)
    budget = fields.Function(
        lambda line: QuarterlyBudgetSchema().dump(
            {"allocation": line.allocation, "realisation": line.realisation, "percent": line.budget_percent}
        )
    )
    problems = fields.Function(lambda line: line.entry.problems if line.entry else None)
    action_plan = fields.Function(lambda line: line.entry.action_plan if line.entry else None)
    version = fields.Function(lambda line: line.entry.version if line.entry else None)


class QuarterlySourceSchema(Schema):
    """Where the figures come from: the latest close of the quarter's last month, or (``closed`` false) live."""

    closed = fields.Bool()
    month = fields.Int()
    revision = fields.Int(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)


def _source(report):
    """The report's ``source`` object."""
    close = report.closed
    return QuarterlySourceSchema().dump(
        {
            "closed": close is not None,
            "month": report.period.end.month,
            "revision": close.revision if close else None,
            "closed_at": close.closed_at if close else None,
        }
    )


class QuarterlyReportSchema(Schema):
    """The quarterly SPM report: counted from 1 January to the quarter's end, a line per type and the total."""

    year = fields.Int()
    quarter = fields.Int()
    counted_from = fields.Function(lambda report: date(report.year, 1, 1).isoformat())
    counted_to = fields.Function(lambda report: report.period.end.isoformat())
    places = fields.Int()
    source = fields.Function(_source)
    types = fields.List(fields.Nested(QuarterlyLineSchema), attribute="lines")
    total = fields.Nested(QuarterlyLineSchema)


@bp.get("/figures/quarterly")
@require("figures.view")
@documented(QuarterlyReportSchema, query=QuarterlyQuerySchema)
def quarterly_report():
    """The quarterly SPM report of a year's quarter, cumulative from 1 January (from the close when there is one)."""
    args = load_args(QuarterlyQuerySchema())
    period = parse_period(args.get("year"), args.get("quarter"))
    shown = quarterly.quarterly_report(
        current_user.agency, period.year, period.quarter, parse_places(args.get("places"))
    )
    return QuarterlyReportSchema().dump(shown)


@bp.put("/figures/quarterly/entries")
@require("figures.manage")
@documented(QuarterlyEntrySchema, body=QuarterlyEntryInputSchema)
def set_quarterly_entry():
    """Sets one SPM type's budget, problems and action plan for a quarter, at the version read. Stale: 409."""
    data = load_json(QuarterlyEntryInputSchema())
    agency = current_user.agency
    period = parse_period(data["year"], data["quarter"])
    spm_type = db.session.scalar(
        sa.select(SpmServiceType).where(sa.func.lower(SpmServiceType.code) == data["spm_service_type"].lower())
    )
    if spm_type is None:
        raise NotFound(_("Jenis layanan SPM tidak ditemukan."))
    values = {field: data[field] for field in (*quarterly.AMOUNTS, *quarterly.TEXTS)}

    def now():
        entry = quarterly.entries(agency, period.year, period.quarter).get(spm_type.id)
        return QuarterlyEntrySchema().dump(entry) if entry else None

    with current_on_conflict(now):
        entry = quarterly.set_entry(
            agency, current_user, period.year, period.quarter, spm_type, values, data["version"]
        )
    db.session.commit()
    # All blank on an absent entry stores nothing: the answer is an empty entry without a version.
    empty = quarterly.SpmQuarterlyEntry(year=period.year, quarter=period.quarter, spm_service_type=spm_type)
    return QuarterlyEntrySchema().dump(entry or empty)
