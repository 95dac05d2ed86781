"""API endpoints for disaster events, sites, households (with members) and people.

Creates carry the device's ``uuid``: the first call answers 201, a retry
with the same UUID answers 200 with what was saved the first time and saves
nothing. Updates carry the ``version`` read; a stale one is a 409 carrying
the record as it is now. A household is saved with all its members or not
at all; a refusal names each problem under ``members.<index>.<field>``.
"""

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_json
from casework.clients.services import PossibleDuplicate
from casework.core.errors import ValidationFailed, current_on_conflict
from casework.core.localtime import local_today
from casework.core.pagination import keyset_meta, keyset_paginate, page_meta, paginate
from casework.core.permissions import require
from casework.disasters import events, people, queries, registration, sites
from casework.disasters.models import AffectedHousehold
from casework.disasters.schemas import (
    EventCreateSchema,
    EventPatchSchema,
    EventSchema,
    EventStatusSchema,
    HouseholdCreateSchema,
    HouseholdLeaveSchema,
    HouseholdSchema,
    LinkClientSchema,
    MakeCaseSchema,
    PersonCaseSchema,
    PersonSchema,
    SiteCloseSchema,
    SiteCreateSchema,
    SitePatchSchema,
    SiteSchema,
)
from casework.extensions import db

_EVENT, _SITE, _HOUSEHOLD, _PERSON = EventSchema(), SiteSchema(), HouseholdSchema(), PersonSchema()


def _created(body, created):
    """Commits; 201 for a new record, 200 for a repeated UUID."""
    db.session.commit()
    return body, 201 if created else 200


@bp.get("/disasters")
@require("disasters.view")
@documented(EventSchema, paging="offset")
def list_disaster_events():
    """The agency's disaster events, latest first."""
    page = paginate(queries.events_select(current_user.agency_id))
    return {"items": _EVENT.dump(page.items, many=True), **page_meta(page)}


@bp.post("/disasters")
@require("disasters.manage")
@documented(EventSchema, body=EventCreateSchema, status=(201, 200))
def create_disaster_event():
    """Opens a disaster event in emergency response; its number ("BCN-2026-0003") is given here."""
    data = load_json(EventCreateSchema())
    event, created = events.create_event(
        current_user.agency, current_user, data, uuid=data.pop("uuid", None), today=local_today()
    )
    return _created(_EVENT.dump(event), created)


@bp.get("/disasters/<event_uuid>")
@require("disasters.view")
@documented(EventSchema)
def get_disaster_event(event_uuid):
    """One disaster event of the agency."""
    return _EVENT.dump(queries.event(current_user.agency_id, event_uuid))


def _versioned(dump, body_schema, find, run):
    """Loads the body by ``body_schema`` and runs ``run(row, version, data)`` on ``find()``'s row; answers it.

    A stale version (or any other Conflict) is a 409 carrying the row as it is now.
    """
    row = find()
    data = load_json(body_schema)
    if "version" not in data:  # a partial schema does not require it; the change must still name its version
        raise ValidationFailed(_("Periksa kembali isian yang ditandai."), fields={"version": [_("Wajib diisi.")]})
    version = data.pop("version")
    with current_on_conflict(lambda: dump(find())):
        run(row, version, data)
    body = dump(row)
    db.session.commit()
    return body


def _event_finder(event_uuid):
    """Finds the agency's event ``event_uuid`` (again, after a rollback)."""
    return lambda: queries.event(current_user.agency_id, event_uuid)


@bp.patch("/disasters/<event_uuid>")
@require("disasters.manage")
@documented(EventSchema, body=EventPatchSchema)
def update_disaster_event(event_uuid):
    """Corrects the fields given at ``version``; a closed event is a 409."""
    return _versioned(
        _EVENT.dump,
        EventPatchSchema(partial=True),
        _event_finder(event_uuid),
        lambda event, version, data: events.update_event(event, current_user, version, data, today=local_today()),
    )


@bp.post("/disasters/<event_uuid>/status")
@require("disasters.manage")
@documented(EventSchema, body=EventStatusSchema)
def advance_disaster_status(event_uuid):
    """Moves the event one step: ``status`` recovery (ends the emergency) or closed (no new registrations)."""
    return _versioned(
        _EVENT.dump,
        EventStatusSchema(),
        _event_finder(event_uuid),
        lambda event, version, data: events.advance_status(event, current_user, version, data, today=local_today()),
    )


@bp.get("/disasters/<event_uuid>/sites")
@require("disasters.view")
@documented(SiteSchema, many=True)
def list_disaster_sites(event_uuid):
    """The event's evacuation sites, by name."""
    return {"items": _SITE.dump(queries.event(current_user.agency_id, event_uuid).sites, many=True)}


@bp.post("/disasters/<event_uuid>/sites")
@require("disasters.manage")
@documented(SiteSchema, body=SiteCreateSchema, status=(201, 200))
def create_disaster_site(event_uuid):
    """Adds an evacuation site to the event."""
    event = queries.event(current_user.agency_id, event_uuid)
    data = load_json(SiteCreateSchema())
    site, created = sites.add_site(event, current_user, data, uuid=data.pop("uuid", None), today=local_today())
    return _created(_SITE.dump(site), created)


@bp.get("/disasters/<event_uuid>/sites/<site_uuid>")
@require("disasters.view")
@documented(SiteSchema)
def get_disaster_site(event_uuid, site_uuid):
    """One site of the event."""
    event = queries.event(current_user.agency_id, event_uuid)
    return _SITE.dump(queries.site(current_user.agency_id, site_uuid, event))


def _site_change(event_uuid, site_uuid, schema, operation):
    """Runs ``operation(site, actor, version, data)`` with the body loaded by ``schema``; answers the site."""
    event = queries.event(current_user.agency_id, event_uuid)
    return _versioned(
        _SITE.dump,
        schema,
        lambda: queries.site(current_user.agency_id, site_uuid, event),
        lambda site, version, data: operation(site, current_user, version, data, today=local_today()),
    )


@bp.patch("/disasters/<event_uuid>/sites/<site_uuid>")
@require("disasters.manage")
@documented(SiteSchema, body=SitePatchSchema)
def update_disaster_site(event_uuid, site_uuid):
    """Corrects the site's fields given at ``version``."""
    return _site_change(event_uuid, site_uuid, SitePatchSchema(partial=True), sites.update_site)


@bp.post("/disasters/<event_uuid>/sites/<site_uuid>/close")
@require("disasters.manage")
@documented(SiteSchema, body=SiteCloseSchema)
def close_disaster_site(event_uuid, site_uuid):
    """Closes the site on ``closed_on`` (default today); everyone still there leaves that day."""
    return _site_change(event_uuid, site_uuid, SiteCloseSchema(), sites.close_site)


@bp.post("/disasters/<event_uuid>/households")
@require("disasters.register")
@documented(HouseholdSchema, body=HouseholdCreateSchema, status=(201, 200))
def create_disaster_household(event_uuid):
    """Registers a household with all its members (the first is the head); 200 when the UUID was used already.

    A member with the NIK of a client of the agency is linked to that client.
    Problems name the member: ``members.2.age_years``: "Anggota ke-3: umur
    lebih dari 130 tahun."; the same NIK twice in the event, a closed event, or
    a site of another event or closed are refused; nothing is saved then.
    """
    event = queries.event(current_user.agency_id, event_uuid)
    data = load_json(HouseholdCreateSchema())
    household, created = registration.register_household(
        event, current_user, data, uuid=data.pop("uuid", None), today=local_today()
    )
    return _created(_HOUSEHOLD.dump(household), created)


@bp.get("/disasters/<event_uuid>/households")
@require("disasters.register")
@documented(HouseholdSchema, filters=("site",), paging="cursor")
def list_disaster_households(event_uuid):
    """The event's households with their members, in registration order; ``site`` (a site UUID) narrows it."""
    event = queries.event(current_user.agency_id, event_uuid)
    site = queries.site(current_user.agency_id, request.args["site"], event) if request.args.get("site") else None
    page = keyset_paginate(queries.households_select(event, site), (AffectedHousehold.id,))
    return {"items": _HOUSEHOLD.dump(page.items, many=True), **keyset_meta(page)}


@bp.post("/disasters/households/<household_uuid>/leave")
@require("disasters.register")
@documented(HouseholdSchema, body=HouseholdLeaveSchema)
def leave_disaster_site(household_uuid):
    """The household goes home on ``left_on`` (default today): its members still at the site leave that day."""
    return _versioned(
        _HOUSEHOLD.dump,
        HouseholdLeaveSchema(),
        lambda: queries.household(current_user.agency_id, household_uuid),
        lambda household, version, data: sites.leave_site(household, current_user, version, data, today=local_today()),
    )


@bp.get("/disasters/households/<household_uuid>")
@require("disasters.register")
@documented(HouseholdSchema)
def get_disaster_household(household_uuid):
    """One household of the agency's events, with its members."""
    return _HOUSEHOLD.dump(queries.household(current_user.agency_id, household_uuid))


@bp.get("/disasters/people/<person_uuid>")
@require("disasters.register")
@documented(PersonSchema)
def get_disaster_person(person_uuid):
    """One affected person."""
    return _PERSON.dump(queries.person(current_user.agency_id, person_uuid))


@bp.post("/disasters/people/<person_uuid>/client")
@require("disasters.register")
@documented(PersonSchema, body=LinkClientSchema)
def link_disaster_person(person_uuid):
    """Links the person to a client of the registry (one client is one person of an event)."""
    return _versioned(
        _PERSON.dump,
        LinkClientSchema(),
        lambda: queries.person(current_user.agency_id, person_uuid),
        lambda person, version, data: people.link_client(person, current_user, version, data["client_uuid"]),
    )


@bp.post("/disasters/people/<person_uuid>/case")
@require("disasters.register")
@documented(PersonCaseSchema, body=MakeCaseSchema, status=201)
def make_disaster_case(person_uuid):
    """Opens a case for the person (registering a client when not linked); the case's timeline names the event.

    A new client who looks like a registered one is a 409 ``possible_duplicate``
    with the candidates; send ``client_uuid`` to use one, or ``confirm_new``.
    """
    person = queries.person(current_user.agency_id, person_uuid)
    data = load_json(MakeCaseSchema())
    try:
        case = people.case_from_person(person, current_user, data.pop("version"), data, today=local_today())
    except PossibleDuplicate as error:
        db.session.rollback()
        error.current = {
            "confirmable": error.confirmable,
            "candidates": [
                {"uuid": str(match.client.uuid), "full_name": match.client.full_name, "score": match.score}
                for match in error.matches
            ],
        }
        raise
    body = {
        "person_uuid": str(person.uuid),
        "case_uuid": str(case.uuid),
        "case_number": case.number,
        "client_uuid": str(case.client.uuid),
    }
    db.session.commit()
    return body, 201
