"""Work scope: which of the agency's cases a user works on (role × scope, beside role × action in permissions).

A permission (``casework.core.permissions``) says what a role may do; the
scope says on which cases. Each role reaches:

- administrators, data officers and viewers: every case of the agency;
- supervisors: the cases of their unit and of the units below it;
- caseworkers: the cases of their unit;
- volunteers: no case (they file findings and aftercare visits, see their modules).

Beyond that reach a user always works on the cases they hold, on cases referred
to their unit (or, for a supervisor, the units below it) once the referral was
approved, and on a case whose client they hold an unexpired emergency grant for
(break glass, ``casework.access.services``). A user limited to districts or
villages (``User.scope_kind``) reaches only the cases taken in there, within
the reach of their role. The client registry itself is shared by the agency's
case staff (the duplicate check needs it); sensitive clients are restricted by
``casework.access.rules``.
"""

import sqlalchemy as sa
from flask import g, has_request_context
from sqlalchemy.orm import aliased

from casework.access.models import BreakGlassGrant
from casework.auth.models import Role, ScopeKind
from casework.cases.models import Case
from casework.core.types import utcnow
from casework.extensions import db
from casework.org.models import Unit
from casework.referrals.models import Referral, ReferralStatus

AGENCY_WIDE = frozenset({Role.ADMIN, Role.DATA_OFFICER, Role.VIEWER})
# A referral to a unit lets the unit work on the case once a supervisor approved it, and keeps the case readable
# to it after it completed the referral; a rejected or declined one does not.
RECEIVED = (ReferralStatus.APPROVED, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED)


def _units(user):
    """The ids of the units whose cases ``user``'s role reaches: their unit, and for a supervisor the ones below."""
    if user.role != Role.SUPERVISOR:
        return {user.unit_id}
    cache = g.setdefault("scope_units", {}) if has_request_context() else {}
    if user.id not in cache:
        parents = db.session.execute(sa.select(Unit.id, Unit.parent_id).where(Unit.agency_id == user.agency_id)).all()
        reached, frontier = {user.unit_id}, {user.unit_id}
        while frontier:
            frontier = {unit_id for unit_id, parent_id in parents if parent_id in frontier} - reached
            reached |= frontier
        cache[user.id] = reached
    return cache[user.id]


def _in_regions(column, codes):
    """SQL: the region code ``column`` is one of ``codes`` or lies inside one (a village inside its district)."""
    return sa.or_(column.in_(codes), *(column.startswith(f"{code}.", autoescape=True) for code in codes))


def case_condition(user, case=Case):
    """SQL on ``case`` (``Case`` or an alias): the case lies in ``user``'s scope; None when every agency case does.

    The caller still limits rows to the user's agency. Emergency grants are
    not part of it: a list shows the cases of one's work, not the ones opened
    in an emergency.
    """
    limited = user.scope_kind != ScopeKind.AGENCY
    if user.role in AGENCY_WIDE and not limited:
        return None
    own = case.caseworker_id == user.id
    if user.role == Role.VOLUNTEER:
        return own
    reach = sa.true()
    if user.role not in AGENCY_WIDE:
        units = sorted(_units(user))
        # Aliased: the caller's select may read referrals itself (the referral list), and must not correlate.
        received = aliased(Referral)
        referred = sa.exists().where(
            received.case_id == case.id, received.to_unit_id.in_(units), received.status.in_(RECEIVED)
        )
        reach = case.unit_id.in_(units) | referred
    if limited:
        reach = reach & _in_regions(case.intake_region_code, user.region_codes)
    return own | reach


def in_scope(user, case, now=None):
    """True when ``user`` works on ``case``: within their scope, or under an unexpired emergency grant."""
    if case.caseworker_id == user.id:
        return True
    condition = case_condition(user)
    if condition is None:
        return True
    granted = sa.exists().where(
        BreakGlassGrant.user_id == user.id,
        BreakGlassGrant.client_id == Case.client_id,
        BreakGlassGrant.expires_at > (now or utcnow()),
    )
    return bool(db.session.scalar(sa.select(condition | granted).where(Case.id == case.id)))


def scoped(select, user, case=Case):
    """``select`` (which reads ``case``) limited to the cases in ``user``'s scope."""
    condition = case_condition(user, case)
    return select if condition is None else select.where(condition)
