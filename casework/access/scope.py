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
from sqlalchemy import event
from sqlalchemy.orm import Session

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
# Session.info key of the cases referred in from elsewhere, by units (``_referred_elsewhere``).
_REFERRED = "casework.scope_referred"


def _units(user):
    """(the ids of the units whose cases ``user``'s role reaches, whether those are all the agency's units).

    A caseworker reaches their unit; a supervisor theirs and the ones below it.
    """
    if user.role != Role.SUPERVISOR:
        return {user.unit_id}, False
    cache = g.setdefault("scope_units", {}) if has_request_context() else {}
    if user.id not in cache:
        parents = db.session.execute(sa.select(Unit.id, Unit.parent_id).where(Unit.agency_id == user.agency_id)).all()
        reached, frontier = {user.unit_id}, {user.unit_id}
        while frontier:
            frontier = {unit_id for unit_id, parent_id in parents if parent_id in frontier} - reached
            reached |= frontier
        cache[user.id] = reached, len(reached) == len(parents)
    return cache[user.id]


def _referred_elsewhere(units):
    """The ids of the cases referred to ``units`` (approved, or further) that another unit holds.

    A list of ids, not a subquery: the planners then know how few they are
    (a referral usually moves the case), and read them by their key. Kept in
    the session until it writes or its transaction ends (``_forget_referred``):
    a caseload page states its scope three times (the list, its total, the tab
    counts).
    """
    cache = db.session.info.setdefault(_REFERRED, {})
    key = tuple(units)
    if key not in cache:
        cache[key] = db.session.scalars(
            sa.select(Referral.case_id)
            .join(Case, Case.id == Referral.case_id)
            .where(Referral.to_unit_id.in_(units), Referral.status.in_(RECEIVED), Case.unit_id.not_in(units))
            .distinct()
        ).all()
    return cache[key]


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_transaction_end")
def _forget_referred(session, *_context):
    """A write, or another transaction, may have moved a referral: the next scope looks again."""
    session.info.pop(_REFERRED, None)


def _in_regions(column, codes):
    """SQL: the region code ``column`` is one of ``codes`` or lies inside one (a village inside its district)."""
    return sa.or_(column.in_(codes), *(column.startswith(f"{code}.", autoescape=True) for code in codes))


def _reaches(user, case):
    """The conditions on ``case`` whose OR is ``user``'s scope, or None when every agency case is in it."""
    limited = user.scope_kind != ScopeKind.AGENCY
    if user.role in AGENCY_WIDE and not limited:
        return None
    own = case.caseworker_id == user.id
    if user.role == Role.VOLUNTEER:
        return [own]
    reach = [sa.true()]
    if user.role not in AGENCY_WIDE:
        units, every = _units(user)
        if every and not limited:
            return None  # the head of the agency's top unit: every case is held by one of its units
        units = sorted(units)
        reach = [case.unit_id.in_(units)]
        referred = _referred_elsewhere(units)
        if referred:
            reach.append(case.id.in_(referred))
    if limited:
        reach = [part & _in_regions(case.intake_region_code, user.region_codes) for part in reach]
    return [*reach, own]


def case_condition(user, case=Case):
    """SQL on ``case`` (``Case`` or an alias): the case lies in ``user``'s scope; None when every agency case does.

    The caller still limits rows to the user's agency. Emergency grants are
    not part of it: a list shows the cases of one's work, not the ones opened
    in an emergency.
    """
    parts = _reaches(user, case)
    return None if parts is None else sa.or_(*parts)


def case_arms(user, case=Case):
    """``case_condition`` cut into conditions no two of which hold for one case; None when every agency case is in.

    For counting: no index serves an OR of a unit, a holder and a referral, so
    counting the OR reads every case of the agency, while counting each arm
    (the unit's cases; the referred ones outside it; one's own outside both)
    and adding up reads only the cases each one names, from its index.
    """
    parts = _reaches(user, case)
    if parts is None:
        return None
    return [
        sa.and_(part, *(sa.not_(sa.func.coalesce(earlier, sa.false())) for earlier in parts[:index]))
        for index, part in enumerate(parts)
    ]


def covers_unit(user, unit_id):
    """True when every case of the unit ``unit_id`` lies in ``user``'s scope, so a list of that unit needs no more."""
    if user.scope_kind != ScopeKind.AGENCY:
        return False
    return user.role in AGENCY_WIDE or (user.role != Role.VOLUNTEER and unit_id in _units(user)[0])


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
