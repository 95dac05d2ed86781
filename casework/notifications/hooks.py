"""Who is told of a timeline event: rules by the event kind's suffix, applied in one INSERT ... SELECT.

- ``*_proposed`` and ``break_glass`` (emergency access to a sensitive case):
  the supervisors of the case's unit (when the unit has none besides the
  actor, every supervisor of the agency): someone must decide or know;
- ``*_approved``, ``*_rejected``, ``*_accepted``, ``*_declined``,
  ``*_completed``: the proposer (``proposed_by`` in the event's details) and
  the case's caseworker;
- ``referral_approved`` with ``to_unit_id``: also the active users of that
  unit (they receive it); ``transfer_approved`` with ``to_agency_id``: also
  the supervisors and administrators of that agency.

Never the actor, only active accounts, one row per person. Kinds without a
rule cost nothing: no query at all.
"""

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from casework.auth.models import Role, User
from casework.extensions import db
from casework.notifications.models import Notification

DECISION_SUFFIXES = ("_approved", "_rejected", "_accepted", "_declined", "_completed")
DECIDERS = (Role.SUPERVISOR, Role.ADMIN)
# Emergency access to a sensitive case (``casework.access.services``): its unit's supervisors must know.
BREAK_GLASS = "break_glass"


def _unit_supervisors(case, actor_id):
    """The supervisors of the case's unit; when it has none besides the actor, those of the whole agency."""
    other = aliased(User)
    unit_has_one = sa.exists().where(
        other.agency_id == case.agency_id,
        other.unit_id == case.unit_id,
        other.role == Role.SUPERVISOR,
        other.active.is_(True),
        other.id != actor_id,
    )
    in_agency = (User.agency_id == case.agency_id) & (User.role == Role.SUPERVISOR)
    return in_agency & ((User.unit_id == case.unit_id) | ~unit_has_one)


def recipients(case, kind, actor_id, details):
    """The SQL condition on ``User`` naming who is told of an event of ``kind``, or None when nobody is."""
    if kind.endswith("_proposed") or kind == BREAK_GLASS:
        return _unit_supervisors(case, actor_id)
    if not kind.endswith(DECISION_SUFFIXES):
        return None
    people = {details.get("proposed_by"), case.caseworker_id} - {None}
    condition = User.id.in_(people)
    if kind == "referral_approved" and details.get("to_unit_id"):
        condition |= (User.agency_id == case.agency_id) & (User.unit_id == details["to_unit_id"])
    if kind == "transfer_approved" and details.get("to_agency_id"):
        condition |= (User.agency_id == details["to_agency_id"]) & User.role.in_(DECIDERS)
    return condition


def notify(case, event):
    """Adds the notifications of ``event`` (just logged on ``case``) for everyone its kind's rule names."""
    condition = recipients(case, event.kind, event.actor_id, event.details or {})
    if condition is None:
        return
    chosen = sa.select(User.id, sa.literal(event.id), sa.literal(case.id)).where(
        User.active.is_(True), User.id != event.actor_id, condition
    )
    db.session.execute(sa.insert(Notification).from_select(["user_id", "event_id", "case_id"], chosen))
