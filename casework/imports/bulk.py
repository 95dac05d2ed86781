"""Inserting a batch of new rows in one statement and learning their ids.

``INSERT … RETURNING`` with ``sort_by_parameter_order`` falls back to one
statement per row on SQLite when the table has no sentinel column, so the
ids come back paired with each row's UUID (given here) instead, in whatever
order the database returns them.
"""

import uuid as uuid_module

from casework.extensions import db


def insert_returning_ids(model, rows):
    """Inserts ``rows`` (dicts) into ``model``'s table; returns their ids in the order of ``rows``."""
    table = model.__table__
    for row in rows:
        row.setdefault("uuid", uuid_module.uuid4())
    result = db.session.execute(table.insert().returning(table.c.uuid, table.c.id), rows)
    ids = dict(result.all())
    return [ids[row["uuid"]] for row in rows]
