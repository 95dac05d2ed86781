"""Writers and the sealer at the same time, committed for real: the chain never has a gap."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from casework.audit import chain
from casework.audit.models import AuditEvent
from casework.extensions import db
from tests.audit.helpers import write_entries

WRITERS = 4
PER_WRITER = 40


def _seqs_and_count(app):
    """The sealed seqs in order, and how many rows there are."""
    with app.app_context():
        seqs = db.session.scalars(sa.select(AuditEvent.seq).where(AuditEvent.seq.is_not(None)).order_by(AuditEvent.seq))
        return list(seqs), db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


def test_a_row_that_commits_late_is_sealed_later_without_a_gap(committed_app):
    if committed_app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite has one writer: a lower id cannot commit after a higher one")
    inserted, release = threading.Event(), threading.Event()
    late = []

    def slow_writer():
        """Inserts a row, then waits to commit until a later row was sealed."""
        with committed_app.app_context():
            late.extend(write_entries(1, action="test.late"))
            inserted.set()
            release.wait(timeout=30)
            db.session.commit()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert inserted.wait(timeout=30)
    with committed_app.app_context():
        (early,) = write_entries(1, action="test.early")
        db.session.commit()
        chain.seal()
        early_seq = db.session.scalar(sa.select(AuditEvent.seq).where(AuditEvent.id == early))
    release.set()
    thread.join(timeout=30)
    with committed_app.app_context():
        assert chain.seal() == 1
        late_row = db.session.execute(sa.select(AuditEvent.seq).where(AuditEvent.id == late[0])).one()
        assert late[0] < early and late_row.seq == early_seq + 1
        result = chain.verify()
        assert result.broken is None and result.unsealed == 0
    seqs, count = _seqs_and_count(committed_app)
    assert seqs == list(range(1, count + 1))


def test_concurrent_writers_and_sealers_leave_a_complete_chain(committed_app):
    done = threading.Event()
    failures = []

    def writer(_):
        """Writes PER_WRITER entries, each in its own committed transaction."""
        for _n in range(PER_WRITER):
            with committed_app.app_context():
                write_entries(1, action="test.concurrent")
                db.session.commit()

    def sealer():
        """Seals again and again until the writers are done (two of these run at once)."""
        try:
            while not done.is_set():
                with committed_app.app_context():
                    chain.seal(batch_size=10)
        except Exception as error:  # reported by the assertion below
            failures.append(error)

    sealers = [threading.Thread(target=sealer) for _ in range(2)]
    for thread in sealers:
        thread.start()
    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(writer, range(WRITERS)))
    done.set()
    for thread in sealers:
        thread.join(timeout=60)
    assert failures == []
    with committed_app.app_context():
        chain.seal()
        result = chain.verify()
        assert result.broken is None and result.unsealed == 0
        written = db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "test.concurrent")
        )
        assert written == WRITERS * PER_WRITER
    seqs, count = _seqs_and_count(committed_app)
    assert seqs == list(range(1, count + 1))
