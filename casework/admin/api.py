"""API endpoints for administration: units and partners, user accounts, and the directory.

They call the same services as the pages. A change names the version it was
read at; a stale one gets a 409 whose envelope carries the record as it is now.
"""

from functools import partial

from flask_login import current_user

from casework.admin import queries, services
from casework.admin.forms import DirectoryFilterForm, UnitFilterForm, UserFilterForm
from casework.admin.schemas import (
    AdminUserSchema,
    DirectoryEntrySchema,
    UnitInputSchema,
    UnitPatchSchema,
    UnitSchema,
    UserCreateSchema,
    UserPatchSchema,
)
from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_json
from casework.core.errors import Conflict
from casework.core.pagination import page_meta, paginate
from casework.core.permissions import require
from casework.extensions import db


def _page_of(select, schema):
    """One page of ``select``'s rows dumped by ``schema``, with the paging facts."""
    page = paginate(select)
    return {"items": schema.dump(page.items, many=True), **page_meta(page)}


def _patch(obj, patch_schema, schema, update, set_active):
    """Applies a PATCH: the changes at the version given, then ``active`` when given; commits.

    A stale version is a 409 whose envelope carries the record as the database
    now holds it, so the client can merge and retry.
    """
    changes = load_json(patch_schema)
    version, active = changes.pop("version"), changes.pop("active", None)
    try:
        update(obj, version, **changes)
        if active is not None:
            set_active(obj, active)
    except Conflict as error:
        db.session.rollback()
        error.current = schema.dump(obj)
        raise
    db.session.commit()
    return schema.dump(obj)


# --- Units and partners ----------------------------------------------------------------------------


@bp.get("/units")
@require("admin.units")
@documented(UnitSchema, filters=("kind", "active", "q"), paging="offset")
def list_units():
    """The agency's units and partners; filters ``kind``, ``active`` (1/0), ``q``; paged."""
    return _page_of(queries.units(current_user.agency_id, **UnitFilterForm().values()), UnitSchema())


@bp.post("/units")
@require("admin.units")
@documented(UnitSchema, body=UnitInputSchema, status=201)
def create_unit():
    """Adds a unit or partner organisation."""
    unit = services.create_unit(current_user.agency, **load_json(UnitInputSchema()))
    db.session.commit()
    return UnitSchema().dump(unit), 201


@bp.get("/units/<int:unit_id>")
@require("admin.units")
@documented(UnitSchema)
def get_unit(unit_id):
    """One unit of the agency."""
    return UnitSchema().dump(queries.agency_unit(current_user.agency_id, unit_id))


@bp.patch("/units/<int:unit_id>")
@require("admin.units")
@documented(UnitSchema, body=UnitPatchSchema)
def update_unit(unit_id):
    """Changes the fields given (``active`` deactivates or reactivates); ``version`` is required."""
    unit = queries.agency_unit(current_user.agency_id, unit_id)
    return _patch(unit, UnitPatchSchema(), UnitSchema(), services.update_unit, services.set_unit_active)


# --- Users -----------------------------------------------------------------------------------------


@bp.get("/users")
@require("admin.users")
@documented(AdminUserSchema, filters=("role", "unit_id", "active", "q"), paging="offset")
def list_users():
    """The agency's accounts; filters ``role``, ``unit_id``, ``active`` (1/0), ``q``; paged."""
    filters = UserFilterForm(current_user.agency_id).values()
    return _page_of(queries.users(current_user.agency_id, **filters), AdminUserSchema())


@bp.post("/users")
@require("admin.users")
@documented(AdminUserSchema, body=UserCreateSchema, status=201)
def create_user():
    """Creates an account with an initial password."""
    user = services.create_user(current_user.agency, **load_json(UserCreateSchema()))
    db.session.commit()
    return AdminUserSchema().dump(user), 201


@bp.get("/users/<int:user_id>")
@require("admin.users")
@documented(AdminUserSchema)
def get_user(user_id):
    """One account of the agency."""
    return AdminUserSchema().dump(queries.agency_user(current_user.agency_id, user_id))


@bp.patch("/users/<int:user_id>")
@require("admin.users")
@documented(AdminUserSchema, body=UserPatchSchema)
def update_user(user_id):
    """Changes the fields given (``active`` deactivates or reactivates); ``version`` is required."""
    user = queries.agency_user(current_user.agency_id, user_id)
    set_active = partial(services.set_user_active, actor=current_user)
    return _patch(user, UserPatchSchema(), AdminUserSchema(), services.update_user, set_active)


# --- The directory -----------------------------------------------------------------------------------


@bp.get("/directory")
@require("org.view")
@documented(DirectoryEntrySchema, filters=("kind", "partner_type", "q"), paging="offset")
def directory():
    """The agency's active units and partners for referrals; filters ``kind``, ``partner_type``, ``q``; paged."""
    filters = DirectoryFilterForm().values()
    return _page_of(queries.units(current_user.agency_id, active=True, **filters), DirectoryEntrySchema())
