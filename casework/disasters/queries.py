"""Reading disaster records: an agency's events, sites, households and people by UUID, and their lists.

Another agency's record, or a UUID naming nothing, is the same 404. Counts
are grouped queries, never loops over rows.
"""

import uuid as uuid_module

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload, selectinload

from casework.cases.models import Case
from casework.clients.models import Client
from casework.core.errors import NotFound
from casework.core.lookup import agency_record
from casework.disasters.models import AffectedHousehold, AffectedPerson, DisasterEvent, EvacuationSite
from casework.extensions import db


def _key(value):
    """``value`` as a UUID, or None."""
    try:
        return uuid_module.UUID(str(value))
    except ValueError:
        return None


def event(agency_id, value):
    """The agency's event with UUID ``value`` (404 otherwise)."""
    return agency_record(
        DisasterEvent,
        agency_id,
        value,
        _("Bencana tidak ditemukan."),
        options=(selectinload(DisasterEvent.villages), selectinload(DisasterEvent.sites)),
    )


def _of_agency(model, agency_id, value, message, options=()):
    """The row of ``model`` (which has ``event_id``) with UUID ``value`` whose event is the agency's."""
    key = _key(value)
    row = (
        db.session.scalar(
            sa.select(model)
            .join(DisasterEvent, DisasterEvent.id == model.event_id)
            .where(model.uuid == key, DisasterEvent.agency_id == agency_id)
            .options(*options)
        )
        if key
        else None
    )
    if row is None:
        raise NotFound(message)
    return row


def site(agency_id, value, event_row=None):
    """The agency's site with UUID ``value`` (of ``event_row`` when given; 404 otherwise)."""
    row = _of_agency(EvacuationSite, agency_id, value, _("Tempat pengungsian tidak ditemukan."))
    if event_row is not None and row.event_id != event_row.id:
        raise NotFound(_("Tempat pengungsian tidak ditemukan."))
    return row


def household(agency_id, value):
    """The agency's household with UUID ``value``, its members loaded (404 otherwise)."""
    return _of_agency(
        AffectedHousehold,
        agency_id,
        value,
        _("Keluarga tidak ditemukan."),
        options=(selectinload(AffectedHousehold.members), joinedload(AffectedHousehold.site)),
    )


def person(agency_id, value):
    """The agency's affected person with UUID ``value`` (404 otherwise)."""
    return _of_agency(AffectedPerson, agency_id, value, _("Orang tidak ditemukan."))


def events_select(agency_id):
    """A select of the agency's events, latest first."""
    return (
        sa.select(DisasterEvent)
        .where(DisasterEvent.agency_id == agency_id)
        .order_by(DisasterEvent.occurred_on.desc(), DisasterEvent.id.desc())
    )


def registered_counts(event_ids):
    """{event id: (households, people)} for ``event_ids``, in one grouped query."""
    if not event_ids:
        return {}
    rows = db.session.execute(
        sa.select(
            AffectedPerson.event_id,
            sa.func.count(sa.distinct(AffectedPerson.household_id)),
            sa.func.count(AffectedPerson.id),
        )
        .where(AffectedPerson.event_id.in_(event_ids))
        .group_by(AffectedPerson.event_id)
    ).all()
    return {event_id: (households, people) for event_id, households, people in rows}


def households_select(event_row, site_row=None):
    """A select of the event's households (of one site when given), members loaded, for keyset paging by id."""
    select = (
        sa.select(AffectedHousehold)
        .where(AffectedHousehold.event_id == event_row.id)
        .options(selectinload(AffectedHousehold.members), joinedload(AffectedHousehold.site))
    )
    if site_row is not None:
        select = select.where(AffectedHousehold.site_id == site_row.id)
    return select


def latest_households(event_row, site_row=None, limit=10):
    """The event's (or site's) households registered last, newest first."""
    select = households_select(event_row, site_row).order_by(AffectedHousehold.id.desc()).limit(limit)
    return db.session.scalars(select).unique().all()


def clients_and_cases(people):
    """{"clients": {id: Client}, "cases": {id: Case}} linked to ``people``, two queries at most."""
    client_ids = {person.client_id for person in people if person.client_id}
    case_ids = {person.case_id for person in people if person.case_id}
    clients = db.session.scalars(sa.select(Client).where(Client.id.in_(client_ids))).all() if client_ids else []
    cases = db.session.scalars(sa.select(Case).where(Case.id.in_(case_ids))).all() if case_ids else []
    return {"clients": {row.id: row for row in clients}, "cases": {row.id: row for row in cases}}
