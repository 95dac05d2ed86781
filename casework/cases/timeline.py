"""The case timeline, and what every case operation shares: the version check, the flush, the event.

Every operation on a case goes through ``changing``: it refuses a stale
version, and on success writes one timeline event and one audit row in the
same transaction as the change. The timeline is what caseworkers read; the
audit trail is what the agency is accountable for.
"""

from contextlib import contextmanager

from flask_babel import gettext as _
from sqlalchemy.orm.attributes import flag_modified

from casework.audit.services import record
from casework.cases.models import CaseEvent
from casework.core.errors import check_version, flush_versioned
from casework.core.rows import append_row
from casework.extensions import db
from casework.notifications.hooks import notify


def stale_message():
    """What a user is told when someone else changed the case first."""
    return _(
        "Kasus ini sudah diubah orang lain sejak Anda membukanya. "
        "Lihat keadaan terbaru di bawah, lalu ulangi langkah Anda."
    )


def flush():
    """Flushes; a concurrent save of the same row becomes a Conflict."""
    flush_versioned(stale_message)


def log_event(case, kind, actor, location=None, **details):
    """Adds a timeline event to the case; ``location`` is an optional (latitude, longitude).

    The one function that writes a case event. The row is inserted at once (``append_row``), in the
    transaction of the change it describes; the case must be in the database already (flushed).
    """
    latitude, longitude = location if location else (None, None)
    event = append_row(
        CaseEvent(
            case_id=case.id, kind=kind, actor_id=actor.id, latitude=latitude, longitude=longitude, details=details
        )
    )
    notify(case, event)
    return event


@contextmanager
def changing(case, version, kind, actor, location=None, **details):
    """Runs a change of ``case`` at ``version``; then moves its version and records the event and audit row.

    The body may add facts to the yielded dict; they go into the event and the audit row.
    """
    check_version(case, version, stale_message())
    facts = dict(details)
    yield facts
    # Child rows alone would not move the case's version: mark the case itself changed.
    flag_modified(case, "stage")
    flush()
    log_event(case, kind, actor, location, **facts)
    # A reason is free text that may name people: the audit row (never anonymised) says only that one was given.
    record(f"case.{kind}", case, actor=actor, **{key: True if key == "reason" else val for key, val in facts.items()})
    db.session.flush()
