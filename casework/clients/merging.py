"""Merging two records of one person into one, and undoing that.

A merge moves to the survivor every row that references the merged client.
The referencing columns are read from the metadata (every foreign key to
``client.id``), so tables added later (cases, services, ...) move without a
change here. Left out: name tokens (rebuilt), merge records themselves and
``client.merged_into_id`` (they describe merges, not the person).

A row whose move would break a unique rule (the survivor already holds the
same category since the same day) stays with the merged client: the
survivor's row wins, the merged client's is kept intact where it was and
recorded under ``left``; an undo has nothing to restore for it. Nothing is
deleted and the survivor's own fields are not filled in, so an undo is exact:
it moves back the recorded rows and clears ``merged_into_id``.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import flag_modified

from casework.audit.services import record
from casework.clients.models import Client, ClientMerge, ClientNameToken
from casework.clients.services import flush_client, reindex, stale_message
from casework.core.errors import Conflict
from casework.core.types import utcnow
from casework.core.validation import Problems, text
from casework.extensions import db

# Tables whose client references are not the person's records.
NOT_MOVED = frozenset({"client", "client_name_token", "client_merge"})


def referencing_columns():
    """Every column of the metadata holding a client id that a merge moves, by table and column name."""
    target = Client.__table__.c.id
    found = [
        key.parent
        for table in db.metadata.sorted_tables
        if table.name not in NOT_MOVED
        for key in table.foreign_keys
        if key.column is target
    ]
    return sorted(found, key=lambda column: (column.table.name, column.name))


def _name(column):
    """How a merge record names a column: "table.column"."""
    return f"{column.table.name}.{column.name}"


def _column(name):
    """The column a merge record names."""
    table, column = name.split(".")
    return db.metadata.tables[table].c[column]


def _primary(column):
    """The single-column primary key of the column's table (every referencing table has one)."""
    [primary] = column.table.primary_key.columns
    return primary


def _keys(column, client_id):
    """The primary keys of the rows whose ``column`` holds ``client_id``, in order."""
    primary = _primary(column)
    return list(db.session.scalars(sa.select(primary).where(column == client_id).order_by(primary)))


def _move(column, keys, source_id, target_id):
    """Moves the rows ``keys`` from ``source_id`` to ``target_id``; returns the number moved."""
    moved = sa.update(column.table).where(column == source_id, _primary(column).in_(keys))
    values = {column.name: target_id}
    if "version" in column.table.c:
        # A moved record changed (its client did): a device holding the old version must see a conflict.
        values["version"] = column.table.c.version + 1
    return db.session.execute(moved.values(values)).rowcount


def _move_each(column, keys, source_id, target_id):
    """Moves the rows ``keys`` to ``target_id``; returns (moved, left): those a unique rule kept where they were.

    All at once first; only when that collides, row by row, each in its own
    savepoint, so one colliding row does not stop the others.
    """
    try:
        with db.session.begin_nested():
            _move(column, keys, source_id, target_id)
        return keys, []
    except IntegrityError:
        pass
    moved, left = [], []
    for key in keys:
        try:
            with db.session.begin_nested():
                _move(column, [key], source_id, target_id)
            moved.append(key)
        except IntegrityError:
            left.append(key)
    return moved, left


def _reason(value):
    """The reason given, required; a ValidationFailed on ``reason`` when blank or too long."""
    problems = Problems()
    reason = text(problems, {"reason": value}, ClientMerge.__table__.c.reason, required=True)
    problems.raise_any()
    return reason


def _refuse_merged(client):
    """Refuses a client already merged into another."""
    if client.merged_into_id is not None:
        raise Conflict(_("Klien %(name)s sudah digabung ke klien lain.", name=client.full_name))


def merge_clients(survivor, merged, actor, reason, versions):
    """Merges ``merged`` into ``survivor`` (both read at ``versions``: survivor's, merged's); returns the ClientMerge.

    Both must be of one agency, different, and neither merged already.
    """
    reason = _reason(reason)
    if survivor.agency_id != merged.agency_id or survivor.id == merged.id:
        raise Conflict(_("Pilih klien lain dari instansi ini untuk digabungkan."))
    _refuse_merged(survivor)
    _refuse_merged(merged)
    if tuple(versions) != (survivor.version, merged.version):
        raise Conflict(stale_message())
    # Both versions move first: a concurrent edit or merge of either fails here, before any row moves.
    merged.merged_into_id = survivor.id
    flag_modified(survivor, "full_name")
    flush_client()
    moved, left = {}, {}
    for column in referencing_columns():
        keys = _keys(column, merged.id)
        if keys:
            done, stayed = _move_each(column, keys, merged.id, survivor.id)
            if done:
                moved[_name(column)] = done
            if stayed:
                left[_name(column)] = stayed
    merge = ClientMerge(
        survivor_id=survivor.id, merged_id=merged.id, reason=reason, moved=moved, left=left, merged_by_id=actor.id
    )
    db.session.add(merge)
    # A merged record is found through its survivor only: its words would just crowd the matcher's pool.
    db.session.execute(sa.delete(ClientNameToken).where(ClientNameToken.client_id == merged.id))
    reindex(survivor)
    record("client.merged", merge, actor=actor, survivor_id=survivor.id, merged_id=merged.id, **_counts(moved, left))
    return _settle(merge)


def undo_merge(merge, actor, reason):
    """Moves the rows the merge moved back to the merged client and makes it a record of its own again.

    Refused when already undone, or while the survivor is itself merged
    into a third record (that merge is undone first).
    """
    reason = _reason(reason)
    if merge.undone_at is not None:
        raise Conflict(_("Penggabungan ini sudah dibatalkan."))
    survivor, merged = merge.survivor, merge.merged
    if survivor.merged_into_id is not None:
        message = _("Klien %(name)s sudah digabung lagi; batalkan penggabungan itu dulu.", name=survivor.full_name)
        raise Conflict(message)
    merged.merged_into_id = None
    flag_modified(survivor, "full_name")
    merge.undone_at, merge.undone_by_id, merge.undo_reason = utcnow(), actor.id, reason
    flush_client()
    # Rows deleted since, or moved on to a third client, are no longer the survivor's to give back.
    restored = {name: _move(_column(name), keys, survivor.id, merged.id) for name, keys in merge.moved.items()}
    reindex(survivor)
    reindex(merged)
    record("client.merge_undone", merge, actor=actor, survivor_id=survivor.id, merged_id=merged.id, restored=restored)
    return _settle(merge)


def _counts(moved, left):
    """How many rows of each table moved and stayed, for the audit row (the keys are in the merge record)."""
    return {
        "moved": {name: len(keys) for name, keys in moved.items()},
        "left": {name: len(keys) for name, keys in left.items()},
    }


def _settle(merge):
    """Flushes, then forgets loaded rows: they were moved behind the session's back (categories, cases)."""
    db.session.flush()
    db.session.expire_all()
    return merge
