"""The feed's housekeeping: rows older than any accepted cursor go, recent ones stay."""

from datetime import timedelta

import sqlalchemy as sa

from casework.core.types import utcnow
from casework.extensions import db
from casework.scheduling import load_jobs
from casework.sync.models import SyncChange


def test_prune_deletes_only_changes_no_cursor_can_need(app):
    days = app.config["OFFLINE_MAX_DAYS"]
    old = SyncChange(kind="notes", row_id=1, changed_at=utcnow() - timedelta(days=days + 3))
    recent = SyncChange(kind="notes", row_id=2, changed_at=utcnow() - timedelta(days=days))
    db.session.add_all([old, recent])
    db.session.flush()
    assert load_jobs()["sync.prune_changes"].func() >= 1
    left = set(db.session.scalars(sa.select(SyncChange.row_id).where(SyncChange.seq.in_([old.seq, recent.seq]))))
    assert left == {2}
