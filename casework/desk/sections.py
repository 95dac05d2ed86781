"""The desk's own sections: closures waiting for approval, overdue cases, and caseload per caseworker.

A supervisor sees their unit's cases; an administrator the agency's.
Closures wait for any supervisor of the agency, so every one is listed.
"""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from casework.access.scope import scoped
from casework.auth.models import Role, User
from casework.cases.forms import OVERDUE_LABELS
from casework.cases.labels import OUTCOME_LABELS
from casework.cases.models import Case
from casework.cases.queries import open_cases, overdue_conditions, overdue_counts
from casework.cases.routes import holder_filter
from casework.closure.models import CaseClosure, ClosureStatus
from casework.extensions import db

# Closures shown at once; the oldest come first.
CLOSURES_SHOWN = 50


def _scope(user):
    """("unit" or "all", the caseload filter) for ``user``: a supervisor's unit, else the agency."""
    scope = "unit" if user.role == Role.SUPERVISOR else "all"
    return scope, holder_filter(scope, user)


def closures(user):
    """The closures in ``user``'s scope waiting for a decision, oldest first, each with approve and reject buttons."""
    waiting = db.session.scalars(
        scoped(
            sa.select(CaseClosure)
            .join(Case, Case.id == CaseClosure.case_id)
            .where(Case.agency_id == user.agency_id, CaseClosure.status == ClosureStatus.PENDING),
            user,
        )
        .options(
            joinedload(CaseClosure.case).joinedload(Case.client),
            joinedload(CaseClosure.case).joinedload(Case.caseworker),
            joinedload(CaseClosure.proposed_by),
        )
        .order_by(CaseClosure.proposed_at, CaseClosure.id)
        .limit(CLOSURES_SHOWN)
    ).all()
    if not waiting:
        return None
    return "desk/_closures.html", {"closures": waiting, "outcome_labels": OUTCOME_LABELS}


def overdue(user, today=None):
    """How many open cases are overdue, by kind, each linking to the filtered caseload; None when none is."""
    scope, holder = _scope(user)
    counts = overdue_counts(user.agency, **holder, today=today)
    if not any(counts.values()):
        return None
    return "desk/_overdue.html", {"counts": counts, "scope": scope, "overdue_labels": OVERDUE_LABELS}


def caseload_rows(user, today=None):
    """Per caseworker holding open cases in ``user``'s scope: (name, open cases, overdue by kind), one GROUP BY."""
    today = today or date.today()
    _scope_name, holder = _scope(user)
    conditions = overdue_conditions(user.agency, today)
    select = (
        sa.select(
            User.full_name,
            sa.func.count().label("open"),
            *(sa.func.count().filter(condition).label(kind) for kind, condition in conditions.items()),
        )
        .select_from(Case)
        .join(User, User.id == Case.caseworker_id)
        .where(Case.agency_id == user.agency_id, open_cases())
        .group_by(User.id, User.full_name)
        .order_by(sa.func.count().desc(), User.full_name)
    )
    if holder.get("unit_id"):
        select = select.where(Case.unit_id == holder["unit_id"])
    return [row._asdict() for row in db.session.execute(select)]


def caseload(user):
    """Open cases and overdue ones per caseworker; None when nobody holds an open case."""
    rows = caseload_rows(user)
    if not rows:
        return None
    return "desk/_caseload.html", {"rows": rows, "kinds": list(OVERDUE_LABELS), "overdue_labels": OVERDUE_LABELS}
