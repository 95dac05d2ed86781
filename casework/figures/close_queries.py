"""Reading monthly closes: the latest revision, a report served from it, its counted facts, the months' status, diffs.

A report is served from a close when its window is the close's: the month
itself, and for a cumulative indicator also the quarter or year ending with
that month (both count 1 January to the same last day). Serving reads the
close, the indicator's part and its lines: three indexed reads, whatever the
size of the agency.
"""

from typing import NamedTuple

import sqlalchemy as sa

from casework.cases.models import Case
from casework.core.figures import percent
from casework.extensions import db
from casework.figures.achievement import Achievement, Row
from casework.figures.close_models import ON_AT, ON_DAY, ClosedFact, ClosedIndicator, ClosedRow, MonthClose
from casework.figures.models import Indicator, PeriodRule


class ClosedState(NamedTuple):
    """Where a served report comes from: the close (revision, date) and the indicator's part of it."""

    close: MonthClose
    figure: ClosedIndicator


def latest_close(agency_id, year, month):
    """The latest revision of the agency's close of the month, or None."""
    return db.session.scalar(
        sa.select(MonthClose)
        .where(MonthClose.agency_id == agency_id, MonthClose.year == year, MonthClose.month == month)
        .order_by(MonthClose.revision.desc())
        .limit(1)
    )


def close_revision(agency_id, year, month, revision):
    """One revision of the agency's close of a month, or None."""
    return db.session.scalar(
        sa.select(MonthClose).where(
            MonthClose.agency_id == agency_id,
            MonthClose.year == year,
            MonthClose.month == month,
            MonthClose.revision == revision,
        )
    )


def _closing_month(indicator, period):
    """The month whose close has the window of ``period`` for ``indicator``; None when none has."""
    if period.month:
        return period.month
    return period.end.month if indicator.period_rule == PeriodRule.CUMULATIVE else None


def _row(line, places):
    """A frozen line as a report row, its percentage rounded to ``places``."""
    return Row(
        line.row_key,
        line.label,
        line.realisation,
        line.denominator,
        percent(line.realisation, line.denominator, places),
    )


def closed_report(agency, indicator, period, places):
    """The achievement table from the latest close of the period's month; None when it is not closed.

    An indicator the close does not hold (made active after it) is not served from it.
    """
    month = _closing_month(indicator, period)
    close = latest_close(agency.id, period.year, month) if month else None
    if close is None:
        return None
    figure = db.session.scalar(
        sa.select(ClosedIndicator).where(
            ClosedIndicator.close_id == close.id, ClosedIndicator.indicator_id == indicator.id
        )
    )
    if figure is None:
        return None
    lines = [
        _row(line, places)
        for line in db.session.scalars(
            sa.select(ClosedRow)
            .where(ClosedRow.close_id == close.id, ClosedRow.indicator_id == indicator.id)
            .order_by(ClosedRow.position)
        )
    ]
    window = period.window(agency.id, indicator)
    return Achievement(indicator, period, window, lines[:-1], lines[-1], places, ClosedState(close, figure))


def closed_keyed(shown):
    """The frozen facts of a report served from a close, with the columns of ``achievement.keyed_facts``.

    None for a live report (the drill-down then counts live).
    """
    if shown.closed is None:
        return None
    close, figure = shown.closed
    on = {ON_DAY: ClosedFact.on_day, ON_AT: ClosedFact.on_at}.get(figure.on_kind, ClosedFact.on_quarter)
    return (
        sa.select(
            ClosedFact.item_id,
            on.label("on"),
            ClosedFact.ref_id,
            ClosedFact.case_id,
            ClosedFact.unit_id,
            ClosedFact.region_code,
            ClosedFact.numerator,
            ClosedFact.denominator,
            ClosedFact.row_key,
        )
        .where(ClosedFact.close_id == close.id, ClosedFact.indicator_id == figure.indicator_id)
        .subquery("keyed")
    )


class MonthStatus(NamedTuple):
    """A month of a year as the close page lists it (``latest`` None: not closed)."""

    month: int
    latest: MonthClose | None
    late_items: int


def months_of_year(agency_id, year):
    """The twelve months of ``year`` with their latest close and the late items it took in."""
    latest = (
        sa.select(MonthClose.month, sa.func.max(MonthClose.revision).label("revision"))
        .where(MonthClose.agency_id == agency_id, MonthClose.year == year)
        .group_by(MonthClose.month)
        .subquery()
    )
    late = (
        sa.select(ClosedIndicator.close_id, sa.func.sum(ClosedIndicator.late_items).label("late_items"))
        .group_by(ClosedIndicator.close_id)
        .subquery()
    )
    found = {
        close.month: (close, items or 0)
        for close, items in db.session.execute(
            sa.select(MonthClose, late.c.late_items)
            .join(latest, sa.and_(latest.c.month == MonthClose.month, latest.c.revision == MonthClose.revision))
            .outerjoin(late, late.c.close_id == MonthClose.id)
            .where(MonthClose.agency_id == agency_id, MonthClose.year == year)
        )
    }
    return [MonthStatus(month, *found.get(month, (None, 0))) for month in range(1, 13)]


class LineChange(NamedTuple):
    """A line of an indicator's table in two revisions (None where the line was not there)."""

    key: str
    label: str
    before: ClosedRow | None
    after: ClosedRow | None


class FactChange(NamedTuple):
    """A counted fact that came in (``added``) or went out of the figure between two revisions."""

    added: bool
    row_key: int | None
    item_id: int
    ref_id: int
    numerator: int
    denominator: int
    case_number: str | None


class IndicatorDiff(NamedTuple):
    """What changed for one indicator between a revision and the one before."""

    indicator: Indicator
    figure: ClosedIndicator
    lines: list
    facts: list


DIFF_FACTS_SHOWN = 200


def _lines(close_id, indicator_id):
    """An indicator's lines in a close, by row key."""
    return {
        line.row_key: line
        for line in db.session.scalars(
            sa.select(ClosedRow)
            .where(ClosedRow.close_id == close_id, ClosedRow.indicator_id == indicator_id)
            .order_by(ClosedRow.position)
        )
    }


def _fact_changes(close_id, previous_id, indicator_id, limit):
    """The facts added to and removed from an indicator between two closes (at most ``limit`` of each)."""
    names = ("row_key", "item_id", "on_day", "on_at", "on_quarter", "ref_id", "case_id", "numerator", "denominator")

    def facts(of):
        return sa.select(*(getattr(ClosedFact, name) for name in names)).where(
            ClosedFact.close_id == of, ClosedFact.indicator_id == indicator_id
        )

    changes = []
    for added, (new, old) in ((True, (close_id, previous_id)), (False, (previous_id, close_id))):
        diff = sa.except_(facts(new), facts(old)).subquery()
        rows = db.session.execute(
            sa.select(diff.c.row_key, diff.c.item_id, diff.c.ref_id, diff.c.numerator, diff.c.denominator, Case.number)
            .outerjoin(Case, Case.id == diff.c.case_id)
            .order_by(diff.c.item_id, diff.c.ref_id)
            .limit(limit)
        )
        changes.extend(FactChange(added, *row) for row in rows)
    return changes


def revision_diff(close, previous, limit=DIFF_FACTS_SHOWN):
    """Per indicator that changed: its lines before and after, and the facts added and removed."""
    figures = db.session.execute(
        sa.select(ClosedIndicator, Indicator)
        .join(Indicator, Indicator.id == ClosedIndicator.indicator_id)
        .where(ClosedIndicator.close_id == close.id)
        .order_by(Indicator.ordinal, Indicator.code)
    ).all()
    diffs = []
    for figure, indicator in figures:
        after = _lines(close.id, indicator.id)
        before = _lines(previous.id, indicator.id) if previous else {}
        lines = [
            LineChange(key, (after.get(key) or before.get(key)).label, before.get(key), after.get(key))
            for key in [*after, *(key for key in before if key not in after)]
        ]
        moved = any(
            line.before is None
            or line.after is None
            or (line.before.realisation, line.before.denominator, line.before.label)
            != (line.after.realisation, line.after.denominator, line.after.label)
            for line in lines
        )
        if previous is None or figure.added or figure.removed or moved:
            facts = _fact_changes(close.id, previous.id, indicator.id, limit) if previous else []
            diffs.append(IndicatorDiff(indicator, figure, lines, facts))
    return diffs
