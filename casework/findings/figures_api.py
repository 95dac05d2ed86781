"""API endpoints for the figures of findings and complaints, counted as the figure pages count them.

Percentages and response times are decimal strings ("107.63"), exactly as
published (rounded half-up from the exact ratio); null when nothing was
counted. Each figure comes with its numerator and denominator.
"""

from flask_login import current_user
from marshmallow import Schema, fields

from casework.api import bp
from casework.api.openapi import documented
from casework.core.permissions import require
from casework.findings import figures
from casework.findings.figures_routes import PeriodForm, ResponseTimesForm, YearForm


def _percent():
    """A published percentage: a decimal string with two places, null without a denominator."""
    return fields.Decimal(as_string=True, allow_none=True, metadata={"description": 'Half-up, two places: "107.63".'})


class ContributionRowSchema(Schema):
    """Findings reported by one volunteer or in one district, and how many reached a case."""

    name = fields.Str()
    reported = fields.Int()
    reached = fields.Int(metadata={"description": "Findings that opened a case or were attached to one."})
    percent = _percent()


class VolunteerContributionSchema(ContributionRowSchema):
    """One volunteer's row."""

    user_id = fields.Int(attribute="key")


class DistrictContributionSchema(ContributionRowSchema):
    """One district's (kecamatan's) row."""

    district_code = fields.Str(attribute="key")


class ContributionTotalSchema(Schema):
    """The total row: the ratio of the summed counts, not the mean of the rows' percentages."""

    reported = fields.Int()
    reached = fields.Int()
    percent = _percent()


class VolunteerTableSchema(Schema):
    """The table per volunteer."""

    rows = fields.List(fields.Nested(VolunteerContributionSchema))
    total = fields.Nested(ContributionTotalSchema)


class DistrictTableSchema(Schema):
    """The table per district."""

    rows = fields.List(fields.Nested(DistrictContributionSchema))
    total = fields.Nested(ContributionTotalSchema)


class ContributionSchema(Schema):
    """The PSKS contribution of a period: findings received in it, per volunteer and per district."""

    year = fields.Int()
    month = fields.Int(allow_none=True)
    quarter = fields.Int(allow_none=True)
    by_volunteer = fields.Nested(VolunteerTableSchema)
    by_district = fields.Nested(DistrictTableSchema)


class ResponseCountsSchema(Schema):
    """Complaints received in a period and how many of them are resolved (decided)."""

    received = fields.Int()
    resolved = fields.Int()
    percent = _percent()


class MonthResponseSchema(ResponseCountsSchema):
    """One month's complaints."""

    month = fields.Int()


class QuarterResponseSchema(ResponseCountsSchema):
    """One quarter's complaints: the sums of its months."""

    quarter = fields.Int()


class ComplaintResponseSchema(Schema):
    """The complaint response rate of a year, by month and quarter of receipt (Asia/Jakarta time)."""

    year = fields.Int()
    months = fields.List(fields.Nested(MonthResponseSchema))
    quarters = fields.List(fields.Nested(QuarterResponseSchema))
    total = fields.Nested(ResponseCountsSchema)


class MeasuredSchema(Schema):
    """How many reports were measured, and the median and 90th percentile (one decimal, half-up)."""

    count = fields.Int()
    median = fields.Decimal(as_string=True, allow_none=True)
    p90 = fields.Decimal(as_string=True, allow_none=True)


class ResponseTimesRowSchema(Schema):
    """Hours from receipt to decision and days from the day of receipt to the first visit."""

    decision_hours = fields.Nested(MeasuredSchema)
    visit_days = fields.Nested(MeasuredSchema)


class MonthResponseTimesSchema(ResponseTimesRowSchema):
    """The reports received in one month."""

    month = fields.Int()


class ResponseTimesSchema(Schema):
    """Response times of the reports received in a year, per month of receipt and for the whole year."""

    year = fields.Int()
    kind = fields.Str(allow_none=True)
    months = fields.List(fields.Nested(MonthResponseTimesSchema))
    total = fields.Nested(ResponseTimesRowSchema)


@bp.get("/findings/figures/contribution")
@require("findings.figures")
@documented(ContributionSchema, filters=("year", "month", "quarter"))
def findings_contribution():
    """The PSKS contribution: findings reported per volunteer and per district, and the share that reached a case.

    ``year`` defaults to this year; ``month`` (1–12) or ``quarter`` (1–4), not both, narrow it.
    """
    period = PeriodForm().period()
    agency_id = current_user.agency_id
    return ContributionSchema().dump(
        {
            "year": period.year,
            "month": period.month,
            "quarter": period.quarter,
            "by_volunteer": figures.contribution_by_volunteer(agency_id, period),
            "by_district": figures.contribution_by_district(agency_id, period),
        }
    )


@bp.get("/findings/figures/complaint-response")
@require("findings.figures")
@documented(ComplaintResponseSchema, filters=("year",))
def findings_complaint_response():
    """Complaints resolved ÷ complaints received × 100, per month and quarter of ``year`` (default this year)."""
    year = YearForm().chosen()["year"]
    return ComplaintResponseSchema().dump({"year": year, **figures.complaint_response(current_user.agency_id, year)})


@bp.get("/findings/figures/response-times")
@require("findings.figures")
@documented(ResponseTimesSchema, filters=("year", "kind"))
def findings_response_times():
    """Median and 90th-percentile response times per month of receipt; ``kind`` is "finding" or "complaint"."""
    chosen = ResponseTimesForm().chosen()
    kind = chosen.get("kind")
    times = figures.response_times(current_user.agency_id, chosen["year"], kind)
    return ResponseTimesSchema().dump({"year": chosen["year"], "kind": kind and kind.value, **times})
