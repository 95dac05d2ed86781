"""The database keeps the audit trail append-only: no DELETE, no UPDATE except sealing a row once."""

import pytest
import sqlalchemy as sa

from casework.audit import chain
from casework.extensions import db
from tests.audit.helpers import write_entries


def _refused(statement, **params):
    """Asserts the database refuses ``statement`` (in a savepoint, so the test's transaction carries on)."""
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), db.session.begin_nested():
        db.session.execute(sa.text(statement), params)


def test_delete_is_refused_sealed_or_not(app):
    unsealed, sealed = write_entries(1)[0], write_entries(1)[0]
    chain.seal_batch()
    write_entries(1)
    _refused("DELETE FROM audit_event WHERE id = :id", id=sealed)
    _refused("DELETE FROM audit_event WHERE id = :id", id=unsealed)
    _refused("DELETE FROM audit_event")


def test_changing_an_entry_is_refused_before_and_after_sealing(app):
    (row_id,) = write_entries(1)
    _refused("UPDATE audit_event SET action = 'x.y' WHERE id = :id", id=row_id)
    _refused("UPDATE audit_event SET details = '{}' WHERE id = :id", id=row_id)
    chain.seal_batch()
    _refused("UPDATE audit_event SET address = '10.0.0.1' WHERE id = :id", id=row_id)


def test_only_a_first_complete_seal_is_allowed(app):
    (row_id,) = write_entries(1)
    _refused("UPDATE audit_event SET seq = 999999 WHERE id = :id", id=row_id)  # half a seal
    sealing = "UPDATE audit_event SET seq = :seq, prev_hash = :h, hash = :h WHERE id = :id"
    _refused(
        "UPDATE audit_event SET seq = 999999, prev_hash = :h, hash = :h, action = 'x' WHERE id = :id",
        h="a" * 64,
        id=row_id,
    )
    db.session.execute(sa.text(sealing), {"seq": 999999, "h": "a" * 64, "id": row_id})
    _refused(sealing, seq=999998, h="b" * 64, id=row_id)  # resealing
    _refused("UPDATE audit_event SET seq = NULL, prev_hash = NULL, hash = NULL WHERE id = :id", id=row_id)


def test_emptying_the_table_at_once_is_refused(app):
    # PostgreSQL's TRUNCATE fires no row trigger (its own trigger refuses it); SQLite empties a table by a bare DELETE.
    write_entries(1)
    postgresql = db.session.get_bind().dialect.name == "postgresql"
    _refused("TRUNCATE audit_event CASCADE" if postgresql else "DELETE FROM audit_event")
