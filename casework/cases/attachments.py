"""Attachments on a case: photos and scanned letters, checked by content and size, listed on the timeline."""

from casework.audit.services import record
from casework.cases.models import CaseAttachment
from casework.cases.timeline import log_event
from casework.core.idempotency import earlier_create, parse_uuid
from casework.core.validation import Problems, text
from casework.extensions import db
from casework.files.services import PHOTOS_AND_PDF, store_upload


def add_attachment(case, actor, upload, data, filename=None, uuid=None):
    """Stores ``upload`` (a photo or a PDF) with an optional caption; returns (attachment, created).

    A repeated ``uuid`` returns the first attachment without storing the upload again.
    """
    problems = Problems()
    attachment_uuid = parse_uuid(problems, uuid)
    existing = earlier_create(problems, CaseAttachment, attachment_uuid, lambda earlier: earlier.case_id == case.id)
    if existing is not None:
        return existing, False
    caption = text(problems, data, CaseAttachment.__table__.c.caption)
    problems.raise_any()
    stored = store_upload(case.agency, actor, upload, filename=filename, kinds=PHOTOS_AND_PDF, field="file")
    attachment = CaseAttachment(
        uuid=attachment_uuid, case_id=case.id, file_id=stored.id, caption=caption, added_by_id=actor.id
    )
    db.session.add(attachment)
    db.session.flush()
    log_event(case, "attachment_added", actor, attachment_id=attachment.id, content_type=stored.content_type)
    record("case.attachment_added", attachment, actor=actor, case_id=case.id, file=str(stored.uuid))
    db.session.flush()
    return attachment, True
