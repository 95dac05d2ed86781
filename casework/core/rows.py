"""Inserting rows with one INSERT, without the unit of work: write-once rows and idempotent creates."""

from functools import cache

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import make_transient_to_detached

from casework.extensions import db

_UPSERT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _values(mapper, row):
    """The column values set on ``row``, by column key."""
    return {attr.columns[0].key: row.__dict__[attr.key] for attr in mapper.column_attrs if attr.key in row.__dict__}


def append_row(row):
    """Inserts ``row``, a new model instance, at once in the session's transaction; returns it with its id set.

    One INSERT, without the unit of work: a flush of a new object costs several
    times its statement, and every case operation writes two such rows. The
    row is not added to the session (nothing else will change it); it commits
    or rolls back with the session's transaction like any flushed row. Rows it
    refers to must be in the database already (flushed), as for any INSERT.
    """
    mapper = sa.inspect(type(row))
    # On the session's connection, in its transaction: a Core statement needs none of the ORM's execution.
    result = db.session.connection().execute(_insert(mapper.local_table), _values(mapper, row))
    row.id = result.inserted_primary_key[0]
    return row


def insert_new(row, key="uuid"):
    """Inserts ``row`` unless a row with its ``key`` exists (INSERT … ON CONFLICT DO NOTHING); the row, or None.

    The idempotent create's insert: a new UUID (nearly every create) costs one
    statement, with no lookup before it, and a concurrent create with the same
    UUID waits for the first and then inserts nothing instead of failing. The
    inserted row joins the session as a loaded one, with its id and column
    defaults set, so reading it (or auditing it) costs no query.
    """
    mapper = sa.inspect(type(row))
    table = mapper.local_table
    connection = db.session.connection()
    result = connection.execute(_insert_unless_exists(connection.dialect.name, table, key), _values(mapper, row))
    row_id = result.scalar()
    if row_id is None:
        return None
    # The defaults the INSERT computed (created_at, …) become the row's, as a flush would set them.
    for column_key, value in result.last_inserted_params().items():
        row.__dict__.setdefault(mapper.get_property_by_column(table.c[column_key]).key, value)
    row.id = row_id
    make_transient_to_detached(row)
    db.session.add(row)
    return row


@cache
def _insert(table):
    """INSERT INTO ``table``, built once per table."""
    return table.insert()


# Built once per table: a statement is immutable, and building this one was a fifth of the insert's own work.
@cache
def _insert_unless_exists(dialect_name, table, key):
    """INSERT INTO ``table`` … ON CONFLICT (``key``) DO NOTHING RETURNING id, in ``dialect_name``'s syntax."""
    insert = _UPSERT_INSERTS[dialect_name](table)
    return insert.on_conflict_do_nothing(index_elements=[table.c[key]]).returning(table.c.id)
