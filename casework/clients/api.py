"""API endpoints for the client registry, through the same services as the pages.

A create carries the device's UUID: a retry returns the first record (200
instead of 201). Possible duplicates are a 409 whose envelope lists the
candidates under ``current``; a stale change is a 409 carrying the client as
it is now.
"""

from flask_login import current_user

from casework.access.gate import hide_unreadable
from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_json
from casework.clients import queries, services
from casework.clients.forms import SearchForm
from casework.clients.models import Client
from casework.clients.schemas import CandidateSchema, ClientCreateSchema, ClientPatchSchema, ClientSchema
from casework.core.errors import Conflict
from casework.core.pagination import COUNT_BOUND, keyset_meta, keyset_paginate, page_meta, paginate
from casework.core.permissions import require
from casework.extensions import db


def _duplicates(error):
    """What a possible-duplicate refusal carries: whether the caller may confirm, and the candidates."""
    return {"confirmable": error.confirmable, "candidates": CandidateSchema().dump(error.matches, many=True)}


@bp.get("/clients")
@require("clients.view")
@documented(ClientSchema, filters=("q",), paging=("cursor", "offset"))
def list_clients():
    """The agency's clients, newest first by ``cursor``; ``q`` searches by name (best match first) or NIK, by ``page``.

    Without ``q`` the list is walked with ``cursor``/``next_cursor``, which
    neither skips nor repeats a client when others are registered meanwhile.
    A search is ranked by score and paged by ``page`` with totals.
    """
    filters = SearchForm().values()
    found = queries.search(current_user.agency_id, **filters)
    if filters.get("q"):
        page = paginate(found, bound=COUNT_BOUND)
        hide_unreadable(current_user, [client.id for client in page.items])
        return {"items": ClientSchema().dump(page.items, many=True), **page_meta(page)}
    page = keyset_paginate(found, (Client.created_at, Client.id), descending=True)
    hide_unreadable(current_user, [client.id for client in page.items])
    return {"items": ClientSchema().dump(page.items, many=True), **keyset_meta(page)}


@bp.post("/clients")
@require("clients.manage")
@documented(ClientSchema, body=ClientCreateSchema, status=(201, 200))
def create_client():
    """Registers a client; 201 when created, 200 when the UUID was already registered."""
    data = load_json(ClientCreateSchema())
    client_uuid, confirm_new = data.pop("uuid", None), data.pop("confirm_new", False)
    try:
        client, created = services.register_client(
            current_user.agency, current_user, data, uuid=client_uuid, confirm_new=confirm_new
        )
    except services.PossibleDuplicate as error:
        db.session.rollback()
        error.current = _duplicates(error)
        raise
    body = ClientSchema().dump(client)
    db.session.commit()
    return body, 201 if created else 200


@bp.get("/clients/<client_uuid>")
@require("clients.view")
@documented(ClientSchema)
def get_client(client_uuid):
    """One client of the agency, with warnings about its NIK and KK."""
    return ClientSchema().dump(queries.readable_client(current_user, client_uuid))


@bp.patch("/clients/<client_uuid>")
@require("clients.manage")
@documented(ClientSchema, body=ClientPatchSchema)
def update_client(client_uuid):
    """Changes the fields given; ``version`` is required and a stale one gets the current client in a 409."""
    client = queries.readable_client(current_user, client_uuid)
    changes = load_json(ClientPatchSchema())
    version, confirm_distinct = changes.pop("version"), changes.pop("confirm_distinct", False)
    try:
        services.update_client(client, version, changes, confirm_distinct=confirm_distinct)
    except Conflict as error:
        db.session.rollback()
        duplicate = isinstance(error, services.PossibleDuplicate)
        error.current = _duplicates(error) if duplicate else ClientSchema().dump(client)
        raise
    db.session.commit()
    return ClientSchema().dump(client)
