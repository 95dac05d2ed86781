"""Daily in-app reminders of aftercare visits coming due and overdue.

Each unvisited slot is brought, once per stage, to the case's caseworker and
to the active volunteers whose region scope holds the client's home: "due"
when its day is within ``DUE_AHEAD_DAYS``, "overdue" once its day passed.
The unique (visit, stage, person) row makes a second run the same day (or
any later day) add nothing.
"""

from datetime import date, timedelta

import sqlalchemy as sa

from casework.aftercare.models import AftercareReminder, AftercareVisit, ReminderStage
from casework.aftercare.queries import in_region
from casework.auth.models import Role, User, UserRegionScope
from casework.cases.models import CLOSED_STAGES, Case
from casework.clients.models import Client
from casework.extensions import db
from casework.scheduling import job

DUE_AHEAD_DAYS = 7


def _recipients():
    """SQL condition on ``User``: the case's caseworker, or a volunteer whose scope holds the client's home."""
    in_scope = sa.exists().where(
        UserRegionScope.user_id == User.id, in_region(Client.domicile_region_code, UserRegionScope.region_code)
    )
    volunteer = (User.role == Role.VOLUNTEER) & (User.agency_id == Case.agency_id) & in_scope
    return User.active.is_(True) & ((User.id == Case.caseworker_id) | volunteer)


def _remind(stage, due_condition, today):
    """Inserts the reminders of ``stage`` not sent yet for unvisited slots matching ``due_condition``; the count."""
    sent = sa.exists().where(
        AftercareReminder.visit_id == AftercareVisit.id,
        AftercareReminder.stage == stage.value,
        AftercareReminder.user_id == User.id,
    )
    chosen = (
        sa.select(AftercareVisit.id, User.id, sa.literal(stage.value), sa.literal(today))
        .join(Case, Case.id == AftercareVisit.case_id)
        .join(Client, Client.id == Case.client_id)
        .join(User, _recipients())
        .where(AftercareVisit.visited_on.is_(None), Case.stage.in_(CLOSED_STAGES), due_condition, ~sent)
    )
    insert = (
        sa.insert(AftercareReminder)
        .from_select(["visit_id", "user_id", "stage", "created_on"], chosen)
        .returning(AftercareReminder.id)
    )
    # Counted from RETURNING: the driver's rowcount of an INSERT … SELECT is not reliable on every database.
    return len(db.session.execute(insert).all())


@job("aftercare.remind_visits", hour=6, minute=0)
def remind_visits(today=None):
    """Sends the day's reminders of visits due soon and overdue; returns {stage: reminders added}."""
    today = today or date.today()
    due_soon = AftercareVisit.due_on.between(today, today + timedelta(days=DUE_AHEAD_DAYS))
    return {
        ReminderStage.DUE.value: _remind(ReminderStage.DUE, due_soon, today),
        ReminderStage.OVERDUE.value: _remind(ReminderStage.OVERDUE, AftercareVisit.due_on < today, today),
    }
