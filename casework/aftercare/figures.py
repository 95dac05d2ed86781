"""Graduation figures, counted in SQL: the graduation rate by type, sustained graduation, the early-warning list.

- Exits of a period: the agency's cases terminated (or in aftercare) with a
  termination date in the period; one exit per case.
- Graduation rate by type = exits of the type ÷ exits (``graduation``: the type
  from the outcome and the exit decision). The self-reliant rate is the one
  that signals improvement.
- Sustained graduation at N months (12, 24): of the period's self-reliant
  graduates whose date +N months has passed, those not fallen back by then.
  Fallen back = an aftercare visit reported it, or the same client came back
  as a new case (opened after the termination), on or before +N months.
- Early warning: ended cases under watch (an exit assessment or aftercare
  visits) with a visit reporting a fall-back, a visit that did not meet the
  person, a visit overdue, or a new case of the client.

"+N months" is the calendar rule of ``casework.cases.stages.add_months``
(31 January + 1 month = the last day of February). SQL has no portable month
arithmetic, so dates are compared through an integer key
``(year × 12 + month) × 100 + day``: adding N months adds N × 100, and a day
d is on or before ``add_months(t, N)`` exactly when key(d) ≤ key(t) + N × 100
(a day past the end of a short month is larger than every day of it).
"""

import calendar
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from casework.aftercare.graduation import graduation_type_sql
from casework.aftercare.models import AftercareVisit, ExitAssessment, GraduationType, VisitResult
from casework.cases.models import CLOSED_STAGES, Case
from casework.clients.models import Client
from casework.core.figures import percent
from casework.core.pagination import paginate
from casework.extensions import db

SUSTAINED_MONTHS = (12, 24)


def _key(column):
    """The month-arithmetic key of a date column (see the module docstring)."""
    return (sa.extract("year", column) * 12 + sa.extract("month", column)) * 100 + sa.extract("day", column)


def _key_passed(day):
    """The largest key whose date +0 months is on or before ``day``: its own, or the month's end when it is one."""
    last = calendar.monthrange(day.year, day.month)[1]
    return (day.year * 12 + day.month) * 100 + (31 if day.day == last else day.day)


def _graduation_type():
    """The exit's graduation type as SQL (the case outcome and its exit assessment's decision, outer-joined)."""
    return graduation_type_sql(Case.outcome, ExitAssessment.decision)


def _exits(agency_id, window):
    """The agency's cases that ended in ``window``, with their exit assessments (if any) outer-joined."""
    return (
        sa.select()
        .select_from(Case)
        .outerjoin(ExitAssessment, ExitAssessment.case_id == Case.id)
        .where(
            Case.agency_id == agency_id,
            Case.stage.in_(CLOSED_STAGES),
            Case.terminated_on.between(window.start, window.end),
        )
    )


def graduation_rates(agency_id, window, places=2):
    """Exits of the period by graduation type: [{type, count, exits, percent}], the total, and exits unassessed."""
    kind = _graduation_type().label("kind")
    rows = db.session.execute(
        _exits(agency_id, window).add_columns(kind, sa.func.count(), sa.func.count(ExitAssessment.id)).group_by(kind)
    ).all()
    counts = {row.kind: row[1] for row in rows}
    exits = sum(counts.values())
    assessed = sum(row[2] for row in rows)
    types = [
        {"type": member, "count": counts.get(member.value, 0), "exits": exits}
        for member in (GraduationType.SELF_RELIANT, GraduationType.NATURAL, GraduationType.REMOVED)
    ]
    for row in types:
        row["percent"] = percent(row["count"], exits, places)
    # Every row shares the denominator: the total is the ratio of the sums, Σ count ÷ exits (never Σ of the rows' %).
    total = percent(sum(row["count"] for row in types), exits, places)
    return {"types": types, "exits": exits, "total_percent": total, "unassessed": exits - assessed}


def _fallen_back_by(months):
    """SQL: the exit's client fell back on or before its termination +``months`` (a visit said so, or a new case)."""
    limit = _key(Case.terminated_on) + months * 100
    return sa.or_(_fallen_visit(limit), _new_case(limit))


def _fallen_visit(limit=None):
    """SQL: a visit of the case reported a fall-back (on or before the key ``limit`` when given)."""
    condition = sa.exists().where(
        AftercareVisit.case_id == Case.id, AftercareVisit.result == VisitResult.FALLEN_BACK.value
    )
    return condition if limit is None else condition.where(_key(AftercareVisit.visited_on) <= limit)


def _new_case(limit=None):
    """SQL: the client came back as a new case opened after this one ended (by the key ``limit`` when given)."""
    later = aliased(Case)
    condition = sa.exists().where(
        later.client_id == Case.client_id, later.id > Case.id, later.intake_date >= Case.terminated_on
    )
    return condition if limit is None else condition.where(_key(later.intake_date) <= limit)


def sustained_graduation(agency_id, window, as_of=None, places=2):
    """For 12 and 24 months: [{months, eligible, sustained, percent}] of the period's self-reliant graduates."""
    as_of = as_of or date.today()
    graduates = _exits(agency_id, window).where(_graduation_type() == GraduationType.SELF_RELIANT.value)
    rows = []
    for months in SUSTAINED_MONTHS:
        passed = _key(Case.terminated_on) + months * 100 <= _key_passed(as_of)
        held = sa.case((_fallen_back_by(months), 0), else_=1)
        eligible, sustained = db.session.execute(
            graduates.add_columns(sa.func.count(), sa.func.coalesce(sa.func.sum(held), 0)).where(passed)
        ).one()
        rows.append(
            {
                "months": months,
                "eligible": eligible,
                "sustained": sustained,
                "percent": percent(sustained, eligible, places),
            }
        )
    return rows


def early_warning_select(agency_id, today=None):
    """Ended cases under watch showing a sign of falling back, latest termination first, with one flag per sign."""
    today = today or date.today()
    watched = sa.or_(ExitAssessment.id.is_not(None), sa.exists().where(AftercareVisit.case_id == Case.id))
    missed = sa.exists().where(AftercareVisit.case_id == Case.id, AftercareVisit.result == VisitResult.NOT_MET.value)
    overdue = sa.exists().where(
        AftercareVisit.case_id == Case.id, AftercareVisit.visited_on.is_(None), AftercareVisit.due_on < today
    )
    fallen, new_case = _fallen_visit(), _new_case()
    return (
        sa.select(
            Case.id,
            Case.uuid,
            Case.number,
            Case.terminated_on,
            Client.full_name,
            _graduation_type().label("graduation"),
            fallen.label("fallen_back"),
            missed.label("missed"),
            overdue.label("overdue"),
            new_case.label("new_case"),
        )
        .join(Client, Client.id == Case.client_id)
        .outerjoin(ExitAssessment, ExitAssessment.case_id == Case.id)
        .where(Case.agency_id == agency_id, Case.stage.in_(CLOSED_STAGES), watched)
        .where(sa.or_(fallen, missed, overdue, new_case))
        .order_by(Case.terminated_on.desc(), Case.id.desc())
    )


def early_warning_page(agency_id, today=None):
    """A page of the early-warning list (``page``, ``per_page`` arguments); its rows are in ``rows``.

    The pager reads a single column, so the page's case ids are paged first, then their rows read.
    """
    select = early_warning_select(agency_id, today)
    page = paginate(select.with_only_columns(Case.id))
    page.rows = db.session.execute(select.where(Case.id.in_(page.items))).all() if page.items else []
    return page
