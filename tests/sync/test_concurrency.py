"""A transaction that began before a cursor was issued and commits after it is in the next delta (PostgreSQL)."""

import threading
from uuid import UUID

import pytest
import sqlalchemy as sa

from casework.auth.models import User
from casework.cases import notes
from casework.cases.models import Case, CaseNote
from casework.extensions import db
from casework.sync.models import SyncChange
from tests.sync.conftest import settle

FEED = "/api/v1/sync/caseload"


def _note(case_id, user_id, body):
    """Adds a note through the service in the current session; returns its uuid (not committed)."""
    note, _created = notes.add_note(db.session.get(Case, case_id), db.session.get(User, user_id), {"body": body})
    db.session.flush()
    return str(note.uuid)


def test_a_late_commit_is_delivered_in_the_next_delta(ctx, field, new_case, signed_in):
    if ctx.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite has one writer: a change cannot commit after a later one was read")
    case = new_case()
    case_id, user_id = case.id, field.users.caseworker.id
    device = signed_in(field.users.caseworker)
    first = device.get(FEED).json
    written, release, late = threading.Event(), threading.Event(), []

    def slow_writer():
        """Writes a note (its feed row gets a seq now), then holds the transaction open until told to commit."""
        with ctx.app_context():
            late.append(_note(case_id, user_id, "Ditulis lebih dulu, disimpan belakangan."))
            written.set()
            release.wait(timeout=30)
            db.session.commit()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    try:
        assert written.wait(timeout=30)
        settle()
        early = _note(case_id, user_id, "Ditulis belakangan, disimpan lebih dulu.")
        db.session.commit()
        middle = device.get(FEED, query_string={"cursor": first["cursor"]}).json
        assert [note["uuid"] for note in middle["records"]["notes"]] == [early]
    finally:
        release.set()
        thread.join(timeout=30)
    settle()
    seqs = dict(
        db.session.execute(
            sa.select(CaseNote.uuid, SyncChange.seq)
            .join(SyncChange, SyncChange.row_id == CaseNote.id)
            .where(SyncChange.kind == "notes", CaseNote.case_id == case_id)
        ).all()
    )
    # The late note's change has the lower seq: a cursor of "the highest seq seen" alone would skip it.
    assert seqs[UUID(late[0])] < seqs[UUID(early)]
    last = device.get(FEED, query_string={"cursor": middle["cursor"]}).json
    assert late[0] in {note["uuid"] for note in last["records"]["notes"]}
