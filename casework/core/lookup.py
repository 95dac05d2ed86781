"""Finding one row from what a request names: an agency's record by UUID, or a row by a typed id."""

import uuid as uuid_module

import sqlalchemy as sa

from casework.core.errors import NotFound
from casework.extensions import db


def uuid_or_none(value):
    """``value`` as a UUID, or None when it is not one."""
    try:
        return uuid_module.UUID(str(value))
    except ValueError:
        return None


def agency_record(model, agency_id, value, missing_message, options=()):
    """The ``model`` row with UUID ``value`` in agency ``agency_id``; another agency's is as good as missing.

    ``options`` are loader options for the query (what to load with the row).
    """
    key = uuid_or_none(value)
    # unique(): ``options`` may load collections joined, one result row per item.
    row = (
        db.session.scalars(sa.select(model).where(model.uuid == key).options(*options)).unique().first()
        if key
        else None
    )
    if row is None or row.agency_id != agency_id:
        raise NotFound(missing_message)
    return row


def row_by_id(model, value):
    """The ``model`` row whose integer id is ``value`` (a number or digits), or None for anything else."""
    text = str(value if value is not None else "").strip()
    return db.session.get(model, int(text)) if text.isascii() and text.isdigit() else None
