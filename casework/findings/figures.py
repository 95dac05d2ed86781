"""Figures of findings and complaints: the PSKS contribution, the complaint response rate and response times.

Everything is counted in SQL. Periods are calendar months of local time
(WIB, Asia/Jakarta): a month's reports are those whose ``received_at`` falls
between its first midnight and the next month's, compared as UTC instants,
so the ``ix_report_received`` index serves every period. Percentages follow
the published arithmetic of ``casework.core.figures``.

A report counts in the period it was received. A complaint counts as
resolved in a period when it was decided by the period's end (as the
official indicator counts it, ``casework.figures.counting``), so a period's
rate never changes once it is over: a complaint received on 30 January and
decided on 2 February is unresolved in January's row and resolved in the
first quarter's and the year's. A finding counts as having reached a case
by its status now.
"""

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from casework.auth.models import User
from casework.core.figures import percent, total_percent
from casework.core.localtime import local_today, local_zone, month_start
from casework.extensions import db
from casework.figures.achievement import Period
from casework.findings.models import REACHED_CASE, Report, ReportKind
from casework.reference.models import Region

QUARTERS = (1, 2, 3, 4)
# The percentiles of a response time, by name: the median and the 90th.
PERCENTILES = {"median": 50, "p90": 90}


class seconds_between(FunctionElement):
    """Whole seconds from the first timestamp to the second."""

    type = sa.Integer()
    inherit_cache = True


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element, compiler, **kw):
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(ROUND((julianday({end}) - julianday({start})) * 86400) AS INTEGER)"


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element, compiler, **kw):
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(ROUND(EXTRACT(EPOCH FROM ({end} - {start}))) AS INTEGER)"


class local_days_between(FunctionElement):
    """Days from the local (WIB) date of a timestamp to a date: 0 when the visit was on the day of receipt."""

    type = sa.Integer()
    inherit_cache = True


@compiles(local_days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    # WIB keeps no daylight saving time, so SQLite (which knows no zones) shifts by its fixed offset.
    shift = int(datetime(2000, 1, 1, tzinfo=local_zone()).utcoffset().total_seconds())
    return f"CAST(julianday({end}) - julianday({start}, '{shift:+d} seconds', 'start of day') AS INTEGER)"


@compiles(local_days_between, "postgresql")
def _days_postgresql(element, compiler, **kw):
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({end} - CAST(({start} AT TIME ZONE '{local_zone().key}') AS DATE))"


def current_year():
    """The current year in local time."""
    return local_today().year


def received_in(period, *kinds):
    """Conditions: a report of one of ``kinds`` received in ``period`` (an index range on ``received_at``)."""
    return (
        Report.kind.in_(kinds),
        Report.received_at >= month_start(period.year, period.months[0]),
        Report.received_at < month_start(period.year, period.months[-1] + 1),
    )


def _local_month(column, year):
    """The local month (1–12) of a timestamp of ``year`` or later: 13 after the year, NULL when it is NULL.

    Compared with the months' UTC bounds, so it is the same on both databases.
    """
    months = ((column < month_start(year, month + 1), month) for month in range(1, 13))
    return sa.case((column.is_(None), None), *months, else_=13)


def _with_percent(rows, numerator, denominator):
    """``rows``, each with its ``percent`` of ``numerator`` to ``denominator``."""
    return [{**row, "percent": percent(row[numerator], row[denominator])} for row in rows]


def _shares(rows, numerator, denominator):
    """``rows`` each with its ``percent``, and the total row: the ratio of the sums."""
    rows = _with_percent(rows, numerator, denominator)
    pairs = [(row[numerator], row[denominator]) for row in rows]
    total = {
        numerator: sum(pair[0] for pair in pairs),
        denominator: sum(pair[1] for pair in pairs),
        "percent": total_percent(pairs),
    }
    return {"rows": rows, "total": total}


def _contribution(agency_id, period, key, name, joined):
    """Findings reported and reached a case in ``period``, grouped by ``key`` (labelled ``name``)."""
    select = (
        sa.select(
            key.label("key"),
            name.label("name"),
            sa.func.count().label("reported"),
            sa.func.count().filter(Report.status.in_(REACHED_CASE)).label("reached"),
        )
        .select_from(joined)
        .where(Report.agency_id == agency_id, *received_in(period, ReportKind.FINDING))
        .group_by(key, name)
        .order_by(sa.func.count().desc(), name, key)
    )
    return _shares([row._asdict() for row in db.session.execute(select)], "reached", "reported")


def contribution_by_volunteer(agency_id, period):
    """The PSKS contribution per volunteer: findings they reported in ``period`` and how many reached a case."""
    joined = sa.join(Report, User, User.id == Report.reported_by_id)
    return _contribution(agency_id, period, User.id, User.full_name, joined)


def contribution_by_district(agency_id, period):
    """The PSKS contribution per district (kecamatan) of the findings' villages."""
    village, district = aliased(Region), aliased(Region)
    joined = sa.join(Report, village, village.code == Report.region_code).join(
        district, district.code == village.parent_code
    )
    return _contribution(agency_id, period, district.code, district.name, joined)


def complaint_response(agency_id, year):
    """Complaints received and resolved per month and quarter of ``year``, and in the year, each with its rate.

    Resolved: decided by the end of the row's own period, so the year's row
    may count more than its months' rows add up to (decisions after a
    month's end count in its quarter and its year).
    """
    months_of = (
        sa.select(
            _local_month(Report.received_at, year).label("received"),
            _local_month(Report.decided_at, year).label("decided"),
        )
        .where(Report.agency_id == agency_id, *received_in(Period(year), ReportKind.COMPLAINT))
        .subquery()
    )
    received, decided = months_of.c.received, months_of.c.decided
    select = sa.select(
        received.label("month"),
        sa.func.count().label("received"),
        sa.func.count().filter(decided <= received).label("resolved"),
        # The last month of the received month's quarter.
        sa.func.count().filter(decided <= (received + 2) // 3 * 3).label("in_quarter"),
        sa.func.count().filter(decided <= 12).label("in_year"),
    ).group_by(received)
    counted = {row.month: row._asdict() for row in db.session.execute(select)}
    empty = {"received": 0, "resolved": 0, "in_quarter": 0, "in_year": 0}
    months = [{**empty, **counted.get(month, {}), "month": month} for month in range(1, 13)]

    def summed(rows, resolved):
        return {"received": sum(row["received"] for row in rows), "resolved": sum(row[resolved] for row in rows)}

    quarters = [
        {"quarter": quarter, **summed(months[3 * quarter - 3 : 3 * quarter], "in_quarter")} for quarter in QUARTERS
    ]
    year_row = summed(months, "in_year")
    return {
        "months": _with_percent(months, "resolved", "received"),
        "quarters": _with_percent(quarters, "resolved", "received"),
        "total": {**year_row, "percent": percent(year_row["resolved"], year_row["received"])},
    }


def _percentiles(conditions, value, bucket):
    """Per ``bucket``: how many values, and each of ``PERCENTILES`` × 100.

    Percentiles interpolate linearly between the two nearest ranks (as
    PostgreSQL's ``percentile_cont``): the p-th of n sorted values sits at
    0-based rank h = (n − 1) × p ÷ 100, between ranks ⌊h⌋ and ⌊h⌋ + 1.
    Integer values come back × 100 as exact integers, so nothing is lost
    before the published rounding. Window functions rank the values, so it
    runs the same on SQLite and PostgreSQL.
    """
    values = sa.select(bucket.label("bucket"), value.label("value")).where(*conditions).subquery()
    ranked = sa.select(
        values.c.bucket,
        values.c.value,
        (sa.func.row_number().over(partition_by=values.c.bucket, order_by=values.c.value) - 1).label("rank"),
        sa.func.count().over(partition_by=values.c.bucket).label("n"),
    ).subquery()
    columns = []
    for name, share in PERCENTILES.items():
        position = (ranked.c.n - 1) * share  # the rank × 100
        low, weight = position // 100, position % 100
        at_low = (ranked.c.rank == low, ranked.c.value * (100 - weight))
        at_next = (ranked.c.rank == low + 1, ranked.c.value * weight)
        columns.append(sa.func.sum(sa.case(at_low, at_next, else_=0)).label(name))
    select = sa.select(ranked.c.bucket, sa.func.count().label("count"), *columns).group_by(ranked.c.bucket)
    return {row.bucket: row for row in db.session.execute(select)}


def _half_up(value, places=1):
    """``value`` rounded half-up to ``places`` decimals, as published figures are."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _times(year, conditions, value, divisor):
    """Per month of receipt and for the year: how many ``value``s, and their percentiles in units of ``divisor``."""
    months = _percentiles(conditions, value, _local_month(Report.received_at, year))
    whole = _percentiles(conditions, value, sa.literal_column("0"))

    def figures(row):
        if row is None:
            return {"count": 0, **dict.fromkeys(PERCENTILES)}
        return {
            "count": row.count,
            **{name: _half_up(Decimal(row._mapping[name]) / 100 / divisor) for name in PERCENTILES},
        }

    return [figures(months.get(month)) for month in range(1, 13)], figures(whole.get(0))


def response_times(agency_id, year, kind=None):
    """Hours from receipt to decision and days from receipt to the first visit, per month of receipt and the year.

    Each has the number of reports measured (decided, or visited) and the
    median and 90th percentile, rounded half-up to one decimal. ``kind``
    narrows to findings or complaints.
    """
    received = (Report.agency_id == agency_id, *received_in(Period(year), *([kind] if kind else ReportKind)))
    decisions, decisions_total = _times(
        year, (*received, Report.decided_at.is_not(None)), seconds_between(Report.received_at, Report.decided_at), 3600
    )
    visits, visits_total = _times(
        year,
        (*received, Report.first_visit_on.is_not(None)),
        local_days_between(Report.received_at, Report.first_visit_on),
        1,
    )
    return {
        "months": [
            {"month": month, "decision_hours": decision, "visit_days": visit}
            for month, decision, visit in zip(range(1, 13), decisions, visits, strict=True)
        ],
        "total": {"decision_hours": decisions_total, "visit_days": visits_total},
    }
