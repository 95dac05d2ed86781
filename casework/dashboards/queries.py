"""The dashboards' numbers: case counts grouped in SQL, and the official figures as the figures package counts them.

Case counts (opened and closed by month, open at each month's end, opened
by district) are GROUP BY queries here. Official figures (people reached by
outreach, SPM recipients, the SPM index, each indicator's achievement) are
never recounted: they come from ``casework.figures.achievement`` and
``casework.figures.spm`` — a month's point of a cumulative trend is that
month's year-to-date report, the very number its achievement page shows
(from the month's close once it is closed) — and the SPM recipients by district group the same facts
(``distinct_facts`` of the measure) by the district of the case's intake
village, so the districts add up to the official total.
"""

import calendar
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.cases.models import Case
from casework.core.figures import percent
from casework.extensions import db
from casework.figures.achievement import Period, agency_indicators, served
from casework.figures.counting import MEASURES, distinct_facts
from casework.figures.models import Indicator
from casework.figures.population import district_code
from casework.reference.models import Region

OUTREACH = "OUTREACH-REACHED"
SPM_RECIPIENTS_MEASURE = "spm_recipients"
OPENED, CLOSED = "opened", "closed"


def months_to_date(year, today=None):
    """The months of ``year`` with figures so far: all twelve of a past year, up to this month of this one."""
    today = today or date.today()
    if year > today.year:
        return []
    return list(range(1, (today.month if year == today.year else 12) + 1))


def _month_end(year, month):
    """The last day of ``month``."""
    return date(year, month, calendar.monthrange(year, month)[1])


def _held(agency, unit_id=None, caseworker_id=None):
    """The conditions "a case of the agency", of the unit and the caseworker when given."""
    conditions = [Case.agency_id == agency.id]
    if unit_id is not None:
        conditions.append(Case.unit_id == unit_id)
    if caseworker_id is not None:
        conditions.append(Case.caseworker_id == caseworker_id)
    return conditions


def case_flow(agency, year, unit_id=None):
    """``{month: {"opened": n, "closed": n}}``: cases taken in and cases terminated in each month of ``year``.

    One query: two GROUP BYs of the month, joined by UNION ALL. A reopened
    case is no longer terminated, so it counts as closed only once it closes again.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    parts = [
        sa.select(sa.literal(kind).label("kind"), sa.extract("month", column).label("month"), sa.func.count())
        .where(*_held(agency, unit_id), column.between(first, last))
        .group_by(sa.extract("month", column))
        for kind, column in ((OPENED, Case.intake_date), (CLOSED, Case.terminated_on))
    ]
    flow = {month: {OPENED: 0, CLOSED: 0} for month in range(1, 13)}
    for kind, month, count in db.session.execute(sa.union_all(*parts)):
        flow[int(month)][kind] = count
    return flow


def _open_on(day):
    """The condition "the case was open at the end of ``day``": taken in by then, not terminated by then."""
    return sa.and_(Case.intake_date <= day, sa.or_(Case.terminated_on.is_(None), Case.terminated_on > day))


def open_at_month_ends(agency, year, months, unit_id=None):
    """``{month: cases}`` open at the end of each month (taken in by then, not terminated by then), in one query."""
    if not months:
        return {}
    ends = [_month_end(year, month) for month in months]
    counts = [sa.func.coalesce(sa.func.sum(sa.case((_open_on(end), 1), else_=0)), 0) for end in ends]
    row = db.session.execute(
        sa.select(*counts).where(
            *_held(agency, unit_id),
            Case.intake_date <= ends[-1],
            sa.or_(Case.terminated_on.is_(None), Case.terminated_on > ends[0]),
        )
    ).one()
    return dict(zip(months, (int(count) for count in row), strict=True))


def indicator_trend(agency, indicator, year, months):
    """``{month: total Row}`` of ``indicator``: each month's report (year to date for a cumulative indicator)."""
    return {month: served(agency, indicator, Period(year, month=month)).total for month in months}


class Trend(NamedTuple):
    """A month's point of the SPM recipients trend: persons whose needs were met, of those who needed the service."""

    month: int
    met: int
    needed: int
    percent: object


def spm_recipient_indicators(agency):
    """The agency's active SPM recipients indicators (one per SPM type of its level)."""
    return db.session.scalars(agency_indicators(agency).where(Indicator.measure == SPM_RECIPIENTS_MEASURE)).all()


def spm_recipients_trend(agency, year, months):
    """Per month, year to date: the SPM types' recipients added up (as the SPM index's overall row adds them)."""
    indicators = spm_recipient_indicators(agency)
    trend = []
    for month in months:
        period = Period(year, month=month)
        totals = [served(agency, indicator, period).total for indicator in indicators]
        met = sum(total.realisation for total in totals)
        needed = sum(total.denominator or 0 for total in totals)
        trend.append(Trend(month, met, needed, percent(met, needed)))
    return trend


def outreach_trend(agency, year, months):
    """``{month: total Row}`` of people reached by outreach, year to date; empty when the indicator is not in use."""
    indicator = db.session.scalar(agency_indicators(agency).where(Indicator.code == OUTREACH))
    return indicator, (indicator_trend(agency, indicator, year, months) if indicator else {})


class DistrictRow(NamedTuple):
    """One district (kecamatan): cases taken in there in the year, and SPM recipients met of those in need."""

    code: str | None  # None: cases with no intake village recorded
    name: str
    opened: int
    met: int
    needed: int


def by_district(agency, year):
    """Per district of the cases' intake villages: cases taken in during ``year``, and SPM recipients met/needed.

    The recipients are the SPM measures' own facts for the year (each
    person once per type, where their latest case was taken in), so the
    districts add up to the types' official totals.
    """
    district = district_code(Case.intake_region_code)
    opened = dict(
        db.session.execute(
            sa.select(district, sa.func.count())
            .where(*_held(agency), Case.intake_date.between(date(year, 1, 1), date(year, 12, 31)))
            .group_by(district)
        ).all()
    )
    period = Period(year)
    facts = [
        distinct_facts(MEASURES[indicator.measure], period.window(agency.id, indicator))
        for indicator in spm_recipient_indicators(agency)
    ]
    recipients = {}
    if facts:
        union = sa.union_all(*(sa.select(f.c.region_code, f.c.numerator, f.c.denominator) for f in facts)).subquery()
        in_district = district_code(union.c.region_code)
        recipients = {
            code: (int(met or 0), int(needed or 0))
            for code, met, needed in db.session.execute(
                sa.select(in_district, sa.func.sum(union.c.numerator), sa.func.sum(union.c.denominator)).group_by(
                    in_district
                )
            )
        }
    codes = set(opened) | set(recipients)
    names = dict(db.session.execute(sa.select(Region.code, Region.name).where(Region.code.in_(codes - {None}))).all())
    rows = [
        DistrictRow(code, names.get(code, code), opened.get(code, 0), *recipients.get(code, (0, 0)))
        for code in sorted(codes - {None})
    ]
    if None in codes:
        unknown = _("Desa/kelurahan tidak dicatat")
        rows.append(DistrictRow(None, unknown, opened.get(None, 0), *recipients.get(None, (0, 0))))
    return rows


def achievement_to_date(agency, year):
    """``[(indicator, total Row)]``: every active indicator of the agency for ``year`` so far (as its page shows it)."""
    period = Period(year)
    return [
        (indicator, served(agency, indicator, period).total)
        for indicator in db.session.scalars(agency_indicators(agency))
    ]
