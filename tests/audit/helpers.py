"""Helpers for the audit tests: writing entries, and changing rows behind the triggers' back."""

from contextlib import contextmanager

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.core.rows import append_row
from casework.extensions import db


def write_entries(count, actor=None, action="test.entry"):
    """Appends ``count`` audit rows (numbered in their details); returns their ids."""
    actor_id = actor.id if actor is not None else None
    return [append_row(AuditEvent(action=action, actor_id=actor_id, details={"n": n})).id for n in range(count)]


@contextmanager
def triggers_bypassed():
    """Lets the block change or delete audit rows, as someone with direct database access could.

    SQLite: the triggers are dropped and created again afterwards (all in the
    test's transaction). PostgreSQL: ``session_replication_role = replica``
    for the transaction (we connect as a superuser), which skips ordinary triggers.
    """
    if db.session.get_bind().dialect.name == "sqlite":
        saved = db.session.execute(
            sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'")
        ).all()
        for name, _sql in saved:
            db.session.execute(sa.text(f"DROP TRIGGER {name}"))
        yield
        for _name, sql in saved:
            db.session.execute(sa.text(sql))
    else:
        db.session.execute(sa.text("SET LOCAL session_replication_role = replica"))
        yield
        db.session.execute(sa.text("SET LOCAL session_replication_role = origin"))


def tamper(statement, **params):
    """Runs ``statement`` on the audit table with the triggers bypassed."""
    with triggers_bypassed():
        db.session.execute(sa.text(statement), params)
