"""Reading the agency's units and users: look-ups that stay inside one agency, and list queries."""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from casework.auth.models import ApiToken, User
from casework.core.errors import NotFound
from casework.extensions import db
from casework.org.models import Unit, UnitKind
from casework.reference.services import get_region


def agency_unit(agency_id, unit_id):
    """The unit ``unit_id`` of agency ``agency_id``; another agency's unit is as good as missing."""
    unit = db.session.get(Unit, unit_id)
    if unit is None or unit.agency_id != agency_id:
        raise NotFound(_("Unit tidak ditemukan."))
    return unit


def agency_user(agency_id, user_id):
    """The user ``user_id`` of agency ``agency_id``; another agency's user is as good as missing."""
    user = db.session.get(User, user_id)
    if user is None or user.agency_id != agency_id:
        raise NotFound(_("Pengguna tidak ditemukan."))
    return user


def units(agency_id, kind=None, partner_type=None, active=None, q=None):
    """The agency's units and partners by name, filtered by kind, partner type, status and a name search."""
    select = (
        sa.select(Unit)
        .where(Unit.agency_id == agency_id)
        .options(selectinload(Unit.region), selectinload(Unit.parent))
        .order_by(Unit.name, Unit.id)
    )
    if kind is not None:
        select = select.where(Unit.kind == kind)
    if partner_type is not None:
        select = select.where(Unit.partner_type == partner_type)
    if active is not None:
        select = select.where(Unit.active.is_(active))
    if q:
        select = select.where(Unit.name.icontains(q, autoescape=True))
    return select


def users(agency_id, role=None, unit_id=None, active=None, q=None):
    """The agency's users by name, filtered by role, unit, status and a name or username search."""
    select = (
        sa.select(User)
        .where(User.agency_id == agency_id)
        .options(selectinload(User.unit), selectinload(User.region_scope))
        .order_by(User.full_name, User.id)
    )
    if role is not None:
        select = select.where(User.role == role)
    if unit_id is not None:
        select = select.where(User.unit_id == unit_id)
    if active is not None:
        select = select.where(User.active.is_(active))
    if q:
        select = select.where(
            sa.or_(User.full_name.icontains(q, autoescape=True), User.username.icontains(q, autoescape=True))
        )
    return select


def unit_choices(agency_id, staffed=False):
    """(id, name) of the agency's units for a select: all but partners, and only active ones when ``staffed``.

    Users work in active units of the agency; a parent can be any of its own units.
    """
    select = sa.select(Unit.id, Unit.name).where(Unit.agency_id == agency_id, Unit.kind != UnitKind.PARTNER)
    if staffed:
        select = select.where(Unit.active.is_(True))
    return [tuple(row) for row in db.session.execute(select.order_by(Unit.name))]


def user_tokens(user_id):
    """A user's API tokens, newest first."""
    return db.session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    ).all()


def region_names(codes):
    """The full name ("village, district, city, province") of each known code, to show typed codes back."""
    return {code: region.path for code in codes or () if (region := get_region(code)) is not None}
