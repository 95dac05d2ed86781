"""The resumable upload endpoints of /api/v1 (see ``casework.sync.uploads``)."""

from flask import request
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import Schema, fields

from casework.api import bp
from casework.api.openapi import documented
from casework.core.errors import ValidationFailed
from casework.core.permissions import require
from casework.extensions import db
from casework.sync import uploads


class UploadCreateSchema(Schema):
    """A file the device is about to send: its ``uuid``, ``size`` in bytes, ``content_type`` and ``sha256`` (hex)."""

    uuid = fields.Str()
    size = fields.Int()
    content_type = fields.Str()
    sha256 = fields.Str()


class UploadStateSchema(Schema):
    """How far an upload has come: ``offset`` bytes received of ``size``; ``complete`` once all are in."""

    uuid = fields.Str()
    offset = fields.Int()
    size = fields.Int()
    complete = fields.Bool()


def _answer(upload, status=200):
    """The upload's state as JSON, with its offset also in the ``Upload-Offset`` header (as tus does)."""
    body = uploads.state(upload)
    return body, status, {"Upload-Offset": str(body["offset"]), "Cache-Control": "no-store"}


@bp.post("/uploads")
@require("sync.caseload")
@documented(UploadStateSchema, body=UploadCreateSchema, status=(201, 200))
def create_upload():
    """Announces a file to send in chunks; 201 at offset 0, or 200 with the offset reached for a repeated uuid.

    Larger than ``MAX_ATTACHMENT_MB`` is a 413; a type other than JPEG, PNG,
    WebP or PDF a 422 (the content is checked again when the upload is used).
    """
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationFailed(_("Isi permintaan harus berupa objek JSON."))
    upload, created = uploads.announce(current_user, data)
    answer = _answer(upload, 201 if created else 200)
    db.session.commit()
    return answer


@bp.get("/uploads/<upload_uuid>")
@require("sync.caseload")
@documented(UploadStateSchema)
def get_upload(upload_uuid):
    """The offset reached (also ``HEAD``, with the ``Upload-Offset`` header): where to resume."""
    return _answer(uploads.own(current_user, upload_uuid))


@bp.patch("/uploads/<upload_uuid>")
@require("sync.caseload")
@documented(UploadStateSchema)
def patch_upload(upload_uuid):
    """Appends the raw body at the ``Upload-Offset`` header; a wrong offset is a 409 carrying the right one.

    The chunk that completes the file checks its SHA-256: a mismatch is a 422
    and the upload starts over at offset 0.
    """
    offset = request.headers.get("Upload-Offset", "")
    offset = int(offset) if offset.isdigit() else None
    upload, intact = uploads.receive(current_user, upload_uuid, offset, request.get_data(cache=False))
    answer = _answer(upload)
    db.session.commit()
    if not intact:
        raise uploads.checksum_refusal()
    return answer
