"""Notes on a case; idempotent by the device's UUID like every create."""

from flask_babel import gettext as _

from casework.audit.services import record
from casework.cases.intake import parse_location
from casework.cases.models import CaseNote
from casework.cases.timeline import log_event
from casework.core.idempotency import earlier_create, parse_uuid
from casework.core.validation import Problems
from casework.extensions import db

NOTE_MAX_CHARS = 10_000


def add_note(case, actor, data, uuid=None):
    """Adds a note to the case's timeline; returns (note, created)."""
    problems = Problems()
    note_uuid = parse_uuid(problems, uuid)
    existing = earlier_create(problems, CaseNote, note_uuid, lambda note: note.case_id == case.id)
    if existing is not None:
        return existing, False
    body = (data.get("body") or "").strip()
    if not body:
        problems.add("body", _("Catatan tidak boleh kosong."))
    elif len(body) > NOTE_MAX_CHARS:
        problems.add("body", _("Paling banyak %(n)d karakter.", n=NOTE_MAX_CHARS))
    location = parse_location(problems, data)
    problems.raise_any()
    note = CaseNote(uuid=note_uuid, case_id=case.id, body=body, author_id=actor.id)
    db.session.add(note)
    db.session.flush()
    log_event(case, "note_added", actor, location, note_id=note.id)
    record("case.note_added", note, actor=actor, case_id=case.id)
    db.session.flush()
    return note, True
