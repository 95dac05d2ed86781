"""Storing an upload: size and type checked by content, photos cleaned, the bytes on disk before the row.

Features call ``store_upload`` from their own operations (a client's photo, a
case's attachments) and link the returned ``StoredFile``; the caller commits.
Refusals name the form field, in Indonesian. The uploader's file name may
name a person: it is kept on the row for downloads, never logged or audited.
"""

import hashlib
import re
import uuid as uuid_module
from pathlib import PurePath

from flask import current_app
from flask_babel import gettext as _

from casework.audit.services import record
from casework.core.errors import ValidationFailed
from casework.extensions import db
from casework.files import storage
from casework.files.content import FileKind, identify
from casework.files.models import StoredFile

PHOTOS = frozenset({FileKind.IMAGE})
PHOTOS_AND_PDF = frozenset({FileKind.IMAGE, FileKind.PDF})
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


class FileTooLarge(ValidationFailed):
    """The upload is larger than ``MAX_ATTACHMENT_BYTES``."""

    status = 413
    # The code the HTTP layer gives a request over MAX_CONTENT_LENGTH, so API clients see one.
    code = "request_entity_too_large"


def _read(upload, field):
    """The bytes of a werkzeug ``FileStorage`` or of ``bytes``, at most one byte past the limit."""
    limit = current_app.config["MAX_ATTACHMENT_BYTES"]
    data = upload if isinstance(upload, bytes) else (upload.stream.read(limit + 1) if upload else b"")
    if not data:
        raise ValidationFailed(_("Pilih berkas untuk diunggah."), fields={field: [_("Pilih berkas untuk diunggah.")]})
    if len(data) > limit:
        message = _("Berkas yang dikirim terlalu besar. Ukuran paling besar %(mb)d MB.", mb=limit // (1024 * 1024))
        raise FileTooLarge(message, fields={field: [message]})
    return data


def _refuse_type(kinds, field):
    """Refuses an upload that is not one of ``kinds``, saying what is accepted."""
    if FileKind.PDF in kinds:
        message = _("Jenis berkas tidak didukung. Unggah foto (JPEG, PNG atau WebP) atau dokumen PDF.")
    else:
        message = _("Berkas ini bukan foto yang dapat dibaca. Unggah foto JPEG, PNG atau WebP.")
    raise ValidationFailed(message, fields={field: [message]})


def clean_name(filename, extension):
    """The uploader's file name without any folder or unsafe character, ending in the real type's extension."""
    base = PurePath((filename or "").replace("\\", "/")).name
    stem = _UNSAFE_NAME.sub(" ", PurePath(base).stem).strip(" .")
    # The fallback is a file name, stored once, not UI text shown in the reader's language.
    return f"{(stem or 'berkas')[:190]}{extension}"


def store_upload(agency, actor, upload, filename=None, kinds=PHOTOS_AND_PDF, field="file"):
    """Stores ``upload`` (a ``FileStorage`` or bytes) for ``agency``; returns the flushed ``StoredFile``.

    The type is read from the content: photos (JPEG, PNG, WebP) are
    re-encoded without metadata and shrunk to ``IMAGE_MAX_EDGE``; PDFs are
    kept as sent. ``filename`` defaults to the name the browser sent.
    Refusals (``ValidationFailed``, ``FileTooLarge`` 413) name ``field``.
    """
    data = _read(upload, field)
    content = identify(data, kinds, current_app.config["IMAGE_MAX_EDGE"])
    if content is None:
        _refuse_type(kinds, field)
    file_uuid = uuid_module.uuid4()
    key = f"{agency.id}/{file_uuid.hex[:2]}/{file_uuid.hex}"
    # On disk before the row exists: a row never points at a missing file.
    storage.write(db.session, key, content.data)
    stored = StoredFile(
        uuid=file_uuid,
        agency_id=agency.id,
        content_type=content.format.content_type,
        size_bytes=len(content.data),
        sha256=hashlib.sha256(content.data).hexdigest(),
        original_name=clean_name(filename or getattr(upload, "filename", None), content.format.extension),
        storage_key=key,
        created_by_id=actor.id,
    )
    db.session.add(stored)
    db.session.flush()
    record("file.stored", stored, actor=actor, content_type=stored.content_type, size_bytes=stored.size_bytes)
    db.session.flush()
    return stored
