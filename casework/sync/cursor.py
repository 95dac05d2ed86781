"""The caseload cursor: where a device's last download stood, signed, compact and opaque to the device.

It holds the feed position read *before* the records were (``position``:
the highest change seq and, on PostgreSQL, the transactions still running),
the ids of the cases, clients and findings the device was sent, and the
reference data's digest. The membership lets the next delta tell what left
the caseload (``removed``) and what joined it, whatever the reason (a
reassignment, a closure, a merge, or time: aftercare visits no longer due).
"""

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeTimedSerializer

from casework.core.errors import ServiceError
from casework.core.types import utcnow
from casework.extensions import db
from casework.sync.models import SyncChange

SALT = "casework.sync.cursor"
DAY = 86400


class BadCursor(ServiceError):
    """A cursor that is not ours, was issued to someone else, or is too old: the device downloads afresh."""

    status = 400
    code = "bad_cursor"


@dataclass(frozen=True)
class Position:
    """The feed position: the highest ``seq`` committed and, on PostgreSQL, the transactions still running then.

    Both come from one statement, so one snapshot: a change is visible in it
    unless its transaction was running (``running``, the snapshot's xip) or
    began later. A later one writes after the position was read, so its seq
    is higher; a running one may hold a lower seq and commit afterwards, and
    is caught by its transaction id. Only those transactions' changes may be
    sent twice; the device stores records by key, so a re-send is harmless.
    """

    seq: int
    running: frozenset = frozenset()

    def after(self):
        """SQL: the sync_change rows after this position."""
        later = SyncChange.seq > self.seq
        return sa.or_(later, SyncChange.txid.in_(self.running)) if self.running else later


_POSTGRESQL_POSITION = sa.text(
    "SELECT coalesce(max(seq), 0), (SELECT array_agg(xid::text::bigint)"
    " FROM pg_snapshot_xip(pg_current_snapshot()) AS xid) FROM sync_change"
)


@dataclass(frozen=True)
class Cursor:
    """What a device was sent: the position, the members of its caseload and the reference digest."""

    position: Position
    case_ids: frozenset
    client_ids: frozenset
    report_ids: frozenset
    reference: str


def position():
    """The feed position now; read it before the records, so nothing committed after is missed."""
    if db.session.get_bind().dialect.name == "postgresql":
        seq, running = db.session.execute(_POSTGRESQL_POSITION).one()
        return Position(seq, frozenset(running or ()))
    # SQLite has one writer at a time, committing in seq order: the highest seq is exact.
    return Position(db.session.scalar(sa.select(sa.func.coalesce(sa.func.max(SyncChange.seq), 0))))


def _pack(ids):
    """Sorted ids as their gaps (small numbers, which the serializer's zlib compresses well)."""
    previous, gaps = 0, []
    for value in sorted(ids):
        gaps.append(value - previous)
        previous = value
    return gaps


def _unpack(gaps):
    """The ids ``_pack`` gave the gaps of."""
    total, ids = 0, set()
    for gap in gaps:
        total += int(gap)
        ids.add(total)
    return frozenset(ids)


def _serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def max_age():
    """Seconds a cursor stays valid: the offline limit and a day (changes older than that are pruned)."""
    return (current_app.config["OFFLINE_MAX_DAYS"] + 1) * DAY


def encode(user, cursor):
    """The opaque string for ``cursor``, bound to ``user``."""
    position_ = cursor.position
    members = (_pack(cursor.case_ids), _pack(cursor.client_ids), _pack(cursor.report_ids))
    return _serializer().dumps([user.id, position_.seq, _pack(position_.running), *members, cursor.reference])


def decode(user, raw):
    """The cursor in ``raw``; a ``BadCursor`` when it is forged, expired, malformed or issued to another user."""
    try:
        user_id, seq, running, cases, clients, reports, reference = _serializer().loads(raw, max_age=max_age())
        if user_id != user.id:
            raise ValueError("another user's cursor")
        position_ = Position(int(seq), _unpack(running))
        return Cursor(position_, _unpack(cases), _unpack(clients), _unpack(reports), str(reference))
    except (BadData, ValueError, TypeError) as error:
        message = _("Penanda sinkronisasi (cursor) tidak sah atau kedaluwarsa. Unduh ulang seluruh data kerja.")
        raise BadCursor(message, fields={"cursor": [_("Tidak sah.")]}) from error


def prune(now=None):
    """Deletes the changes no valid cursor can still need (a day's margin kept); returns how many."""
    cutoff = (now or utcnow()) - timedelta(seconds=max_age() + DAY)
    return db.session.execute(sa.delete(SyncChange).where(SyncChange.changed_at < cutoff)).rowcount
