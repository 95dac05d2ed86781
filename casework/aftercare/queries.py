"""Reading aftercare visits and reminders, each limited to what the signed-in user may see.

A volunteer (TKSK / PSM) sees the visits of clients living in their region
scope (their districts or villages), and only what a visit needs: the
client's name, village and the due date. A caseworker sees their own cases'
visits, a supervisor their unit's, an administrator the agency's. Any other
visit is as missing as an unknown one (404).
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager, joinedload

from casework.aftercare.models import AftercareReminder, AftercareVisit
from casework.auth.models import Role, UserRegionScope
from casework.cases.models import CLOSED_STAGES, Case
from casework.clients.models import Client
from casework.core.errors import NotFound
from casework.extensions import db


def in_region(region_code, scope_code):
    """SQL: ``region_code`` is the region ``scope_code`` or lies inside it (a village inside its district)."""
    return sa.or_(region_code == scope_code, region_code.like(scope_code + ".%"))


def _visible(user):
    """SQL condition on ``Case`` and ``Client``: the cases whose visits ``user`` may see and record."""
    condition = (Case.agency_id == user.agency_id) & Case.stage.in_(CLOSED_STAGES)
    if user.role == Role.VOLUNTEER:
        scope = sa.exists().where(
            UserRegionScope.user_id == user.id,
            in_region(Client.domicile_region_code, UserRegionScope.region_code),
        )
        return condition & scope
    if user.role == Role.CASEWORKER:
        return condition & (Case.caseworker_id == user.id)
    if user.role == Role.SUPERVISOR:
        return condition & (Case.unit_id == user.unit_id)
    return condition


def visits_select(user, open_only=True):
    """The visits ``user`` may see, soonest due first, with each case's client and village loaded."""
    select = (
        sa.select(AftercareVisit)
        .join(Case, Case.id == AftercareVisit.case_id)
        .join(Client, Client.id == Case.client_id)
        .where(_visible(user))
        .options(contains_eager(AftercareVisit.case).contains_eager(Case.client).joinedload(Client.domicile_region))
        .order_by(AftercareVisit.due_on, AftercareVisit.id)
    )
    if open_only:
        select = select.where(AftercareVisit.visited_on.is_(None))
    return select


def visible_visit(user, visit_id):
    """The visit ``visit_id`` if ``user`` may see it; any other is missing."""
    found = db.session.scalar(visits_select(user, open_only=False).where(AftercareVisit.id == visit_id))
    if found is None:
        raise NotFound(_("Kunjungan bimbingan lanjut tidak ditemukan."))
    return found


def case_visits(case):
    """The case's aftercare visits in order, with who recorded each."""
    return db.session.scalars(
        sa.select(AftercareVisit)
        .where(AftercareVisit.case_id == case.id)
        .options(joinedload(AftercareVisit.recorded_by))
        .order_by(AftercareVisit.month_offset)
    ).all()


def reminders(user, today=None):
    """The user's unread reminders of visits still not made, most overdue first."""
    today = today or date.today()
    return db.session.scalars(
        sa.select(AftercareReminder)
        .join(AftercareVisit, AftercareVisit.id == AftercareReminder.visit_id)
        .where(
            AftercareReminder.user_id == user.id,
            AftercareReminder.read_at.is_(None),
            AftercareVisit.visited_on.is_(None),
        )
        .options(joinedload(AftercareReminder.visit))
        .order_by(AftercareVisit.due_on, AftercareReminder.id)
    ).all()
