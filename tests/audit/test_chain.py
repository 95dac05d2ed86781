"""Sealing the audit trail into a hash chain, and verification that names the first broken link."""

import sqlalchemy as sa

from casework.audit import chain
from casework.audit.models import AuditEvent
from casework.audit.services import record
from casework.extensions import db
from tests.audit.helpers import tamper, write_entries


def _seal_all():
    """Seals what is waiting, in small batches so the tests cross batch boundaries; returns the head."""
    chain.seal(batch_size=7)
    return chain.head()


def _seq_of(row_id):
    """The seq the sealer gave the row ``row_id``."""
    return db.session.scalar(sa.select(AuditEvent.seq).where(AuditEvent.id == row_id))


def test_sealing_gives_consecutive_seqs_in_id_order_and_the_chain_verifies(app):
    ids = write_entries(20)
    head_seq, head_hash = _seal_all()
    rows = db.session.execute(sa.select(AuditEvent.id, AuditEvent.seq).order_by(AuditEvent.seq)).all()
    assert [seq for _id, seq in rows] == list(range(1, head_seq + 1))
    assert [row_id for row_id, _seq in rows] == sorted(row_id for row_id, _seq in rows)
    assert set(ids) <= {row_id for row_id, _seq in rows}
    result = chain.verify()
    assert result.broken is None
    assert (result.verified, result.unsealed, result.head_hash) == (head_seq, 0, head_hash)


def test_a_second_run_chains_on_from_the_head_and_seals_nothing_twice(app):
    write_entries(5)
    first_seq, first_hash = _seal_all()
    later = write_entries(3)
    assert chain.unsealed_count() == 3
    assert chain.seal() == 3
    assert [_seq_of(row_id) for row_id in later] == [first_seq + 1, first_seq + 2, first_seq + 3]
    link = db.session.scalar(sa.select(AuditEvent.prev_hash).where(AuditEvent.id == later[0]))
    assert link == first_hash
    assert chain.seal() == 0
    assert chain.verify().broken is None


def test_the_hash_covers_every_field_in_a_canonical_form(app, make):
    user = make.user()
    record("test.canonical", user, actor=user, changed={"b": 2, "a": [1, "x"]})
    _seal_all()
    row = db.session.execute(sa.select(AuditEvent.__table__).order_by(AuditEvent.seq.desc()).limit(1)).one()
    text = chain.canonical(row, row.seq).decode()
    assert text.startswith('{"action":"test.canonical","actor_id":')
    assert '"details":{"changed":{"a":[1,"x"],"b":2}}' in text
    assert row.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ") in text
    assert row.hash == chain.entry_hash(row.prev_hash, row, row.seq)


def test_a_row_changed_behind_the_apps_back_is_named_by_its_seq(app):
    ids = write_entries(10)
    _seal_all()
    victim = ids[4]
    tamper("UPDATE audit_event SET action = 'test.innocent' WHERE id = :id", id=victim)
    result = chain.verify()
    assert result.broken is not None
    assert (result.broken.seq, result.broken.id, result.broken.action) == (_seq_of(victim), victim, "test.innocent")
    assert result.broken.reason.startswith("hash differs")
    assert result.verified == _seq_of(victim) - 1


def test_a_row_rewritten_with_a_fresh_hash_breaks_the_next_link(app):
    ids = write_entries(6)
    _seal_all()
    tamper("UPDATE audit_event SET details = '{\"n\": 99}', hash = :forged WHERE id = :id", id=ids[2], forged="f" * 64)
    broken = chain.verify().broken
    assert broken.seq == _seq_of(ids[2])
    assert broken.reason.startswith("hash differs")
    # Forging a matching hash for the row is not enough: the next entry still chains the old one.
    row = db.session.execute(sa.select(AuditEvent.__table__).where(AuditEvent.id == ids[2])).one()
    tamper(
        "UPDATE audit_event SET hash = :h WHERE id = :id", h=chain.entry_hash(row.prev_hash, row, row.seq), id=ids[2]
    )
    broken = chain.verify().broken
    assert (broken.seq, broken.id) == (_seq_of(ids[3]), ids[3])
    assert broken.reason.startswith("prev_hash mismatch")


def test_a_deleted_row_is_reported_as_a_gap(app):
    ids = write_entries(8)
    _seal_all()
    gone = _seq_of(ids[3])
    tamper("DELETE FROM audit_event WHERE id = :id", id=ids[3])
    broken = chain.verify().broken
    assert (broken.seq, broken.id) == (gone + 1, ids[4])
    assert broken.reason == f"seq gap: entries {gone} are missing (deleted)"


def test_rows_deleted_from_the_end_are_caught_only_by_an_anchor(app):
    ids = write_entries(4)
    head = _seal_all()
    tamper("DELETE FROM audit_event WHERE id = :id", id=ids[-1])
    assert chain.verify().broken is None
    broken = chain.verify(anchor=head).broken
    assert broken.reason.startswith("truncated")
    assert chain.verify(anchor=(head[0] - 1, chain.head()[1])).broken is None


def test_verify_writes_nothing_and_counts_the_unsealed(app):
    write_entries(3)
    _seal_all()
    write_entries(2)
    result = chain.verify()
    assert (result.broken, result.unsealed) == (None, 2)
    assert chain.unsealed_count() == 2
