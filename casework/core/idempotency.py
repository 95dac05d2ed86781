"""Idempotent creates: every create carries a UUID made by the device, so a retry finds the first record."""

import uuid as uuid_module

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.extensions import db


def parse_uuid(problems, value):
    """The client-generated UUID, or a new one when none is given; a malformed one is a noted problem."""
    if value in (None, ""):
        return uuid_module.uuid4()
    if isinstance(value, uuid_module.UUID):
        return value
    try:
        return uuid_module.UUID(str(value))
    except ValueError:
        problems.add("uuid", _("UUID tidak valid."))
        return None


def earlier_create(problems, model, uuid, same_parent):
    """The row of ``model`` created before with ``uuid``, or None.

    ``same_parent(row)`` says whether that row belongs where this create
    puts it; a UUID reused for something else is refused, never returned.
    """
    if uuid is None:
        return None
    # Most creates are new: the lookup reads the id alone, the row only when there is one.
    table = model.__table__
    found = db.session.execute(sa.select(table.c.id).where(table.c.uuid == uuid)).scalar()
    existing = db.session.get(model, found) if found is not None else None
    if existing is not None and not same_parent(existing):
        problems.add("uuid", _("UUID ini sudah dipakai untuk data lain."))
        problems.raise_any()
    return existing
