"""Inserting a batch of new rows and learning their ids.

PostgreSQL: the ids are taken from the table's sequence first (one query),
then the rows go in with a plain ``executemany``. ``INSERT … RETURNING`` of
many rows would be sent as one statement of 1,000 VALUES groups, which the
driver parses anew for every batch (its statement cache skips long text):
that parsing was a third of a clients import.

SQLite: ``INSERT … RETURNING`` with ``sort_by_parameter_order`` falls back to
one statement per row when the table has no sentinel column, so the ids come
back paired with each row's UUID (given here) instead, in whatever order the
database returns them.
"""

import uuid as uuid_module

import sqlalchemy as sa

from casework.extensions import db


def insert_returning_ids(model, rows):
    """Inserts ``rows`` (dicts) into ``model``'s table; returns their ids in the order of ``rows``."""
    table = model.__table__
    for row in rows:
        row.setdefault("uuid", uuid_module.uuid4())
    if db.session.get_bind().dialect.name == "postgresql":
        ids = _next_ids(table, len(rows))
        for row, new_id in zip(rows, ids, strict=True):
            row["id"] = new_id
        db.session.execute(table.insert(), rows)
        return ids
    result = db.session.execute(table.insert().returning(table.c.uuid, table.c.id), rows)
    ids = dict(result.all())
    return [ids[row["uuid"]] for row in rows]


def _next_ids(table, count):
    """``count`` fresh values of the sequence behind ``table.id`` (PostgreSQL)."""
    sequence = sa.func.pg_get_serial_sequence(table.name, "id")
    return list(db.session.scalars(sa.select(sa.func.nextval(sequence)).select_from(sa.func.generate_series(1, count))))
