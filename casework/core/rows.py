"""Appending rows that are written once and never changed (timeline events, audit rows) with one INSERT."""

import sqlalchemy as sa

from casework.extensions import db


def append_row(row):
    """Inserts ``row``, a new model instance, at once in the session's transaction; returns it with its id set.

    One INSERT, without the unit of work: a flush of a new object costs several
    times its statement, and every case operation writes two such rows. The
    row is not added to the session (nothing else will change it); it commits
    or rolls back with the session's transaction like any flushed row. Rows it
    refers to must be in the database already (flushed), as for any INSERT.
    """
    mapper = sa.inspect(type(row))
    values = {attr.columns[0].key: row.__dict__[attr.key] for attr in mapper.column_attrs if attr.key in row.__dict__}
    result = db.session.execute(mapper.local_table.insert(), values)
    row.id = result.inserted_primary_key[0]
    return row
