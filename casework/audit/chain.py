"""The audit trail's hash chain: sealing new rows into it, and verifying it.

Writers only INSERT (``record``), so they never wait on one another for a
chain head. The sealer (``seal``, run every minute by the ``audit.seal`` job
and by ``flask casework audit seal``) takes the unsealed rows in id order and
gives each the next ``seq`` and ``hash = sha256(prev_hash + canonical JSON of
the row)``. A row committed late (a lower id that committed after a higher one
was sealed, possible on PostgreSQL) is sealed by a later run with a later
seq: the seqs never have a gap, so a gap means a deleted entry.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.extensions import db
from casework.scheduling import advisory_key

GENESIS = "0" * 64
BATCH = 5000
LOCK = "audit.seal"

_table = AuditEvent.__table__
_CONTENT = ("id", "at", "actor_id", "action", "object_type", "object_id", "address", "details")
# What sealing writes: an installation's own chain, never copied into another one (see the agency import).
SEAL_COLUMNS = ("seq", "prev_hash", "hash")


def canonical(row, seq):
    """The bytes hashed for ``row`` at ``seq``: its fields as JSON with sorted keys and a fixed UTC time format.

    Both databases give the same text for the same row, so a chain verifies
    wherever it is read.
    """
    fields = {name: getattr(row, name) for name in _CONTENT}
    fields["at"] = fields["at"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    fields["seq"] = seq
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


def entry_hash(prev_hash, row, seq):
    """The hash of ``row`` sealed at ``seq`` after an entry whose hash is ``prev_hash``."""
    return hashlib.sha256(prev_hash.encode() + canonical(row, seq)).hexdigest()


def _take_lock():
    """Waits for the sealer's lock for the current transaction, before anything of the chain is read.

    PostgreSQL: an advisory lock, so two sealers never chain from the same
    head. SQLite: its one write lock, taken at once by a write that touches
    no row; a transaction that read first could not start writing after
    another connection committed ("database is locked", in WAL mode).
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.select(sa.func.pg_advisory_xact_lock(advisory_key(LOCK))))
    else:
        db.session.execute(sa.text("UPDATE audit_event SET seq = seq WHERE 0"))


def head():
    """(seq, hash) of the last sealed entry, or (0, GENESIS) when nothing is sealed yet."""
    last = db.session.execute(
        sa.select(_table.c.seq, _table.c.hash).where(_table.c.seq.is_not(None)).order_by(_table.c.seq.desc()).limit(1)
    ).first()
    return (last.seq, last.hash) if last else (0, GENESIS)


def unsealed_count():
    """How many rows wait for the sealer."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(_table).where(_table.c.seq.is_(None)))


_seal_statement = (
    _table.update()
    .where(_table.c.id == sa.bindparam("row_id"), _table.c.seq.is_(None))
    .values(seq=sa.bindparam("new_seq"), prev_hash=sa.bindparam("new_prev"), hash=sa.bindparam("new_hash"))
)


def seal_batch(limit=BATCH):
    """Seals up to ``limit`` unsealed rows, oldest id first, in the current transaction; returns how many."""
    _take_lock()
    seq, prev = head()
    columns = [_table.c[name] for name in _CONTENT]
    rows = db.session.execute(sa.select(*columns).where(_table.c.seq.is_(None)).order_by(_table.c.id).limit(limit))
    sealed = []
    for row in rows:
        seq += 1
        digest = entry_hash(prev, row, seq)
        sealed.append({"row_id": row.id, "new_seq": seq, "new_prev": prev, "new_hash": digest})
        prev = digest
    if sealed:
        db.session.execute(_seal_statement, sealed)
    return len(sealed)


def seal(batch_size=BATCH):
    """Seals every unsealed row, committing each batch of ``batch_size``; returns how many were sealed.

    Each batch is committed (and the lock released) before the next, so
    memory and lock time stay flat however many rows wait.
    """
    total = 0
    while True:
        count = seal_batch(batch_size)
        db.session.commit()
        total += count
        if count < batch_size:
            return total


@dataclass(frozen=True)
class Break:
    """The first broken link: the entry where verification stopped, and why."""

    seq: int
    reason: str
    id: int | None = None
    action: str | None = None
    at: datetime | None = None

    def describe(self):
        """One line for an operator."""
        if self.id is None:
            return f"after seq {self.seq}: {self.reason}"
        return f"seq {self.seq} (id {self.id}, {self.action}, {self.at.isoformat()}): {self.reason}"


@dataclass(frozen=True)
class Verification:
    """What ``verify`` found: entries verified, rows still unsealed, the head, and the first break if any."""

    verified: int
    unsealed: int
    head_seq: int
    head_hash: str
    broken: Break | None


def _check(row, expected_seq, prev, anchor):
    """Why ``row`` breaks the chain at ``expected_seq`` after ``prev``, or None when it holds."""
    if row.seq != expected_seq:
        missing = f"{expected_seq}" if row.seq == expected_seq + 1 else f"{expected_seq}–{row.seq - 1}"
        return f"seq gap: entries {missing} are missing (deleted)"
    if row.prev_hash != prev:
        return "prev_hash mismatch: the previous entry was rewritten (its hash differs from the one chained here)"
    if entry_hash(prev, row, row.seq) != row.hash:
        return "hash differs: this entry was changed after sealing"
    if anchor and anchor[0] == row.seq and anchor[1] != row.hash:
        return f"anchor mismatch: the anchored hash for seq {row.seq} is {anchor[1]}, the chain has {row.hash}"
    return None


def verify(anchor=None, batch_size=BATCH):
    """Recomputes the chain over the sealed rows in seq order, streaming; writes nothing.

    ``anchor``, a (seq, hash) written down earlier, also catches entries
    deleted from the end of the chain, which no link inside it can show.
    """
    columns = [_table.c[name] for name in (*_CONTENT, "seq", "prev_hash", "hash")]
    select = sa.select(*columns).where(_table.c.seq.is_not(None)).order_by(_table.c.seq)
    rows = db.session.execute(select, execution_options={"yield_per": batch_size})
    expected, prev, broken = 1, GENESIS, None
    for row in rows:
        reason = _check(row, expected, prev, anchor)
        if reason:
            broken = Break(row.seq, reason, row.id, row.action, row.at)
            break
        expected, prev = expected + 1, row.hash
    rows.close()
    verified = expected - 1
    if broken is None and anchor and anchor[0] > verified:
        broken = Break(verified, f"truncated: the chain ends at seq {verified}, but seq {anchor[0]} was anchored")
    return Verification(verified, unsealed_count(), verified, prev, broken)
