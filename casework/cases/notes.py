"""Notes on a case; idempotent by the device's UUID like every create."""

from flask_babel import gettext as _

from casework.audit.services import record
from casework.cases.intake import parse_location
from casework.cases.models import CaseNote
from casework.cases.timeline import log_event
from casework.core.idempotency import earlier_create, parse_uuid
from casework.core.rows import insert_new
from casework.core.validation import Problems

NOTE_MAX_CHARS = 10_000


def add_note(case, actor, data, uuid=None):
    """Adds a note to the case's timeline; returns (note, created). A repeated ``uuid`` returns the first note.

    A new UUID is found out by the INSERT itself (one statement); a retry is
    looked up only when the INSERT finds the UUID taken, or the note would be refused.
    """
    problems = Problems()
    note_uuid = parse_uuid(problems, uuid)

    def first_added():
        """The note added before with this UUID (a retry), or None; a UUID used for something else is refused."""
        return earlier_create(problems, CaseNote, note_uuid, lambda note: note.case_id == case.id)

    body = (data.get("body") or "").strip()
    if not body:
        problems.add("body", _("Catatan tidak boleh kosong."))
    elif len(body) > NOTE_MAX_CHARS:
        problems.add("body", _("Paling banyak %(n)d karakter.", n=NOTE_MAX_CHARS))
    location = parse_location(problems, data)
    if problems.fields:
        existing = first_added()
        if existing is not None:
            return existing, False
        problems.raise_any()
    note = insert_new(CaseNote(uuid=note_uuid, case_id=case.id, body=body, author_id=actor.id))
    if note is None:
        return first_added(), False
    log_event(case, "note_added", actor, location, note_id=note.id)
    record("case.note_added", note, actor=actor, case_id=case.id)
    return note, True
