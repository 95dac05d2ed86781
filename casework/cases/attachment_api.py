"""API endpoints for a case's attachments: a multipart upload (idempotent by the device's UUID) and the list.

The file goes through the same checks as on the case page (type by content,
size, EXIF stripped from photos); too large a file is a 413 in the error
envelope.
"""

from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.cases import queries
from casework.cases.attachments import add_attachment
from casework.cases.schemas import CaseAttachmentCreateSchema, CaseAttachmentSchema
from casework.core.permissions import require
from casework.extensions import db
from casework.sync.uploads import file_or_upload

_ATTACHMENT = CaseAttachmentSchema()


@bp.post("/cases/<case_uuid>/attachments")
@require("cases.manage")
@documented(CaseAttachmentSchema, body=CaseAttachmentCreateSchema, upload="file", status=(201, 200))
def create_attachment(case_uuid):
    """Attaches a photo or PDF sent as the multipart part ``file``; 201 when stored, 200 when the UUID was stored.

    The text parts are ``uuid`` (the device's) and an optional ``caption``. Or a JSON body with the same
    fields and ``upload`` naming a finished resumable upload (``POST /api/v1/uploads``).
    """
    case = queries.readable_case(current_user, case_uuid)
    data, upload = file_or_upload(CaseAttachmentCreateSchema(), "file")
    attachment, created = add_attachment(
        case, current_user, upload, data, filename=getattr(upload, "filename", None), uuid=data.get("uuid")
    )
    body = _ATTACHMENT.dump(attachment)
    db.session.commit()
    return body, 201 if created else 200


@bp.get("/cases/<case_uuid>/attachments")
@require("cases.view")
@documented(CaseAttachmentSchema, many=True)
def list_attachments(case_uuid):
    """The case's attachments, latest first."""
    case = queries.readable_case(current_user, case_uuid)
    return {"items": _ATTACHMENT.dump(queries.attachments(case), many=True)}
