"""append_row: a write-once row (timeline event, audit row) inserted at once, in the session's transaction."""

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.audit.services import record
from casework.core.rows import append_row
from casework.extensions import db


def _actions():
    return db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("test.%"))).all()


def test_an_appended_row_has_its_id_and_column_defaults(make):
    user = make.user()
    db.session.flush()
    row = append_row(AuditEvent(action="test.appended", actor_id=user.id, details={"n": 1}))
    stored = db.session.execute(sa.select(AuditEvent.__table__).where(AuditEvent.id == row.id)).one()
    assert (stored.action, stored.actor_id, stored.details) == ("test.appended", user.id, {"n": 1})
    assert stored.at is not None


def test_audit_and_appended_rows_go_with_the_change_they_describe(make):
    user = make.user()
    db.session.flush()
    savepoint = db.session.begin_nested()
    record("test.refused", user, actor=user)
    append_row(AuditEvent(action="test.appended", actor_id=user.id, details={}))
    assert sorted(_actions()) == ["test.appended", "test.refused"]
    savepoint.rollback()
    assert _actions() == []
    record("test.kept", user, actor=user)
    db.session.commit()
    assert _actions() == ["test.kept"]
