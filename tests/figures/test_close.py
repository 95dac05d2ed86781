"""Monthly close: identical snapshots when nothing changed, late records as a new revision with a diff, immutability."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.cases.models import IntakeChannel
from casework.core.errors import ValidationFailed
from casework.extensions import db
from casework.figures.achievement import Period, achievement, agency_indicators, indicator_by_code, report_for
from casework.figures.close import close_month, parse_month, previous_month
from casework.figures.close_models import ClosedFact, ClosedIndicator, ClosedRow, MonthClose
from casework.figures.close_queries import closed_keyed, months_of_year, revision_diff
from casework.figures.drilldown import counted
from casework.figures.tasks import monthly_close
from casework.scheduling import load_jobs
from tests.figures import close_fixtures

august = close_fixtures.august

FACT_COLUMNS = (
    ClosedFact.indicator_id,
    ClosedFact.position,
    ClosedFact.row_key,
    ClosedFact.item_id,
    ClosedFact.on_day,
    ClosedFact.on_at,
    ClosedFact.on_quarter,
    ClosedFact.ref_id,
    ClosedFact.case_id,
    ClosedFact.numerator,
    ClosedFact.denominator,
)
ROW_COLUMNS = (ClosedRow.indicator_id, ClosedRow.position, ClosedRow.row_key, ClosedRow.realisation)


def snapshot(close):
    """A close's facts and lines, in order."""
    facts = db.session.execute(
        sa.select(*FACT_COLUMNS).where(ClosedFact.close_id == close.id).order_by(*FACT_COLUMNS[:2])
    ).all()
    rows = db.session.execute(
        sa.select(*ROW_COLUMNS, ClosedRow.denominator).where(ClosedRow.close_id == close.id).order_by(*ROW_COLUMNS[:2])
    ).all()
    return facts, rows


def actions(agency):
    """The audit actions of the agency's closes, oldest first."""
    return db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.action.like("figures.month_close%")).order_by(AuditEvent.id)
    ).all()


def figures(agency, code, period):
    """(realisation, denominator) per row of an indicator's table, total last."""
    table = report_for(agency, {"indicator": code, **{k: str(v) for k, v in period.as_dict().items()}})
    return [(row.key, row.realisation, row.denominator) for row in (*table.rows, table.total)], table


def test_closing_a_month_twice_gives_identical_snapshots(august):
    agency = august.agency
    first, changed = close_month(agency, 2026, 8, august.officer)
    assert changed and first.revision == 1
    frozen = snapshot(first)
    # Every active indicator is frozen, with its lines equal to the live table (cumulative: January to August).
    indicators = db.session.scalars(agency_indicators(agency)).all()
    assert {row.indicator_id for row in frozen[1]} == {indicator.id for indicator in indicators}
    for indicator in indicators:
        live = achievement(agency, indicator, Period(2026, month=8))
        lines = [row for row in frozen[1] if row.indicator_id == indicator.id]
        assert [(row.row_key, row.realisation, row.denominator) for row in lines] == [
            (line.key, line.realisation, line.denominator) for line in (*live.rows, live.total)
        ]
    outreach = indicator_by_code(agency, "OUTREACH-REACHED")
    assert sum(1 for fact in frozen[0] if fact.indicator_id == outreach.id) == 2  # Ani (July) and Budi

    again, changed = close_month(agency, 2026, 8, august.officer)
    assert not changed and again.id == first.id
    assert snapshot(again) == frozen
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MonthClose)) == 1
    assert actions(agency) == ["figures.month_closed", "figures.month_close_unchanged"]
    # Every kind of fact date is kept: days (outreach), timestamps (complaints), quarters (quality).
    kinds = dict(db.session.execute(sa.select(ClosedIndicator.indicator_id, ClosedIndicator.on_kind)).all())
    assert kinds[outreach.id] == "day"
    assert kinds[indicator_by_code(agency, "COMPLAINT-RESPONSE").id] == "at"
    assert kinds[indicator_by_code(agency, "KAB-2-MUTU").id] == "quarter"


def test_a_late_record_makes_a_new_revision_with_a_diff(august):
    agency, build = august.agency, august.build
    close_month(agency, 2026, 8, august.officer)
    # Entered in September, dated in August: Eka reached by outreach on 30 Aug; Dedi's needs met on 25 Aug.
    eka = build.case(build.client("Eka"), august.branch, IntakeChannel.OUTREACH, date(2026, 8, 30))
    august.dedi.needs_met_on = date(2026, 8, 25)
    db.session.flush()

    # The report of the closed month still shows what was submitted; the live count moved on.
    shown, table = figures(agency, "OUTREACH-REACHED", Period(2026, month=8))
    assert table.closed.close.revision == 1 and table.closed.figure.late_items == 0
    assert shown[0] == (str(august.branch.id), 2, None)

    second, changed = close_month(agency, 2026, 8, august.officer)
    assert changed and second.revision == 2
    shown, table = figures(agency, "OUTREACH-REACHED", Period(2026, month=8))
    assert table.closed.close.id == second.id and table.closed.figure.late_items == 1
    assert shown[0] == (str(august.branch.id), 3, None)

    diffs = {diff.indicator.code: diff for diff in revision_diff(second, close_month_revision(agency, 1))}
    assert set(diffs) == {"OUTREACH-REACHED", "KAB-2-PENERIMA", "PPKS-HANDLED"}
    outreach = diffs["OUTREACH-REACHED"]
    branch_line = next(line for line in outreach.lines if line.key == str(august.branch.id))
    assert (branch_line.before.realisation, branch_line.after.realisation) == (2, 3)
    assert [(fact.added, fact.case_number) for fact in outreach.facts] == [(True, eka.number)]
    # Dedi went from needed to met: his fact went out with 0 and came back with 1; one late item.
    recipients = diffs["KAB-2-PENERIMA"]
    assert sorted((fact.added, fact.numerator) for fact in recipients.facts) == [(False, 0), (True, 1)]
    assert recipients.figure.late_items == 1
    total = next(line for line in recipients.lines if line.key == "total")
    assert (total.before.realisation, total.before.denominator) == (1, 2)
    assert (total.after.realisation, total.after.denominator) == (2, 2)
    assert actions(agency) == ["figures.month_closed", "figures.month_closed"]
    status = months_of_year(agency.id, 2026)[7]
    assert status.latest.revision == 2 and status.late_items == 3  # Eka (outreach, handled) and Dedi


def close_month_revision(agency, revision):
    """Revision ``revision`` of the agency's August 2026 close."""
    return db.session.scalar(
        sa.select(MonthClose).where(MonthClose.agency_id == agency.id, MonthClose.revision == revision)
    )


def test_reports_whose_window_is_the_closed_month_are_served_from_it(august):
    agency, build = august.agency, august.build
    close_month(agency, 2026, 8, august.officer)
    build.case(build.client("Eka"), august.branch, IntakeChannel.OUTREACH, date(2026, 8, 30))
    db.session.flush()
    outreach = indicator_by_code(agency, "OUTREACH-REACHED")
    # The drill-down lists the frozen facts: as many as the frozen number, not the live one.
    _shown, table = figures(agency, "OUTREACH-REACHED", Period(2026, month=8))
    listed = db.session.execute(
        counted(agency, outreach, table.period, str(august.branch.id), keyed=closed_keyed(table))
    ).all()
    assert [row.client_name for row in listed] == ["Budi", "Ani"]
    assert counted_live(agency, outreach, table.period, august.branch) == 3
    # A cumulative year-to-August is only August's window when the period ends with August: a quarter never does.
    _shown, quarter = figures(agency, "OUTREACH-REACHED", Period(2026, quarter=3))
    assert quarter.closed is None and quarter.total.realisation == 3
    # A per-period indicator is served for the month only.
    _shown, complaints = figures(agency, "COMPLAINT-RESPONSE", Period(2026, month=8))
    assert complaints.closed is not None and complaints.total.realisation == 1
    # September is not closed: live.
    _shown, september = figures(agency, "OUTREACH-REACHED", Period(2026, month=9))
    assert september.closed is None and september.total.realisation == 3


def counted_live(agency, indicator, period, unit):
    """How many live facts the drill-down of a unit's row lists."""
    return len(db.session.execute(counted(agency, indicator, period, str(unit.id))).all())


def test_a_close_cannot_be_changed_or_removed_in_the_database(august):
    close, _changed = close_month(august.agency, 2026, 8, august.officer)
    statements = [
        sa.update(ClosedRow).where(ClosedRow.close_id == close.id).values(realisation=99),
        sa.delete(ClosedFact).where(ClosedFact.close_id == close.id),
        sa.update(ClosedIndicator).where(ClosedIndicator.close_id == close.id).values(added=5),
        sa.delete(MonthClose).where(MonthClose.id == close.id),
    ]
    for statement in statements:
        with pytest.raises(sa.exc.DBAPIError, match="immutable"), db.session.begin_nested():
            db.session.execute(statement)
    assert snapshot(close)[1][0].realisation is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ClosedRow).where(ClosedRow.realisation == 99)) == 0


def test_only_a_month_that_is_over_can_be_closed(august):
    with pytest.raises(ValidationFailed) as refused:
        close_month(august.agency, 2100, 1)
    assert "month" in refused.value.fields
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MonthClose)) == 0


def test_month_text_and_previous_month():
    assert parse_month("2026-11") == (2026, 11)
    for bad in ("2026-13", "2026-00", "1999-05", "26-11", "2026/11", "", None, "2026-1", "２０２６-11"):
        with pytest.raises(ValidationFailed):
            parse_month(bad)
    assert previous_month(date(2026, 1, 1)) == (2025, 12)
    assert previous_month(date(2026, 9, 1)) == (2026, 8)


def test_the_scheduled_job_closes_the_previous_month_once(august):
    job = load_jobs()["figures.monthly_close"]
    assert job.cron == {"day": 1, "hour": 1, "minute": 0}
    assert job.func(today=date(2026, 9, 1))[august.agency.code] == (1, True)
    assert monthly_close(today=date(2026, 9, 1))[august.agency.code] == (1, False)
    close = close_month_revision(august.agency, 1)
    assert (close.year, close.month, close.closed_by_id) == (2026, 8, None)
