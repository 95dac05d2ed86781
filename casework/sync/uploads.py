"""Resumable uploads (a minimal tus): announce a file, send it in chunks at the offset the server holds, use it.

A device announces ``uuid``, ``size``, ``content_type`` and ``sha256``, then
PATCHes chunks at ``Upload-Offset``; a chunk at any other offset than the
one received so far is a 409 carrying the right one, so after a dropped
connection the device asks (HEAD) and resumes. The last chunk checks the
SHA-256: a mismatch starts the upload over. A finished upload stands in for
the file part of the photo and attachment endpoints (``{"upload": uuid}``),
which still check its type by content and its size (``casework.files``).
Uploads are per user; one older than a day since its last chunk is removed
by the ``sync.purge_uploads`` job.
"""

import hashlib
import os
import re
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user

from casework.api.schemas import load_form, load_json
from casework.core.errors import Conflict, NotFound, ValidationFailed
from casework.core.idempotency import parse_uuid
from casework.core.types import utcnow
from casework.core.validation import Problems
from casework.extensions import db
from casework.files.services import FileTooLarge
from casework.files.storage import files_root
from casework.sync.models import PendingUpload

CONTENT_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "application/pdf"})
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
KEEP = timedelta(days=1)


def part_path(upload):
    """Where the bytes received so far are kept (outside the web root, beside the stored files)."""
    return files_root() / "uploads" / f"{upload.uuid.hex}.part"


def own(user, upload_uuid, lock=False):
    """The user's upload ``upload_uuid`` (locked for the transaction when ``lock``); 404 otherwise."""
    problems = Problems()
    value = parse_uuid(problems, upload_uuid)
    select = sa.select(PendingUpload).where(PendingUpload.uuid == value, PendingUpload.user_id == user.id)
    found = None if problems.fields else db.session.scalar(select.with_for_update() if lock else select)
    if found is None:
        raise NotFound(_("Unggahan tidak ditemukan atau sudah kedaluwarsa. Mulai unggah ulang."))
    return found


def announce(user, data):
    """Creates the upload ``data`` describes; returns (upload, created). A repeated uuid returns the first one."""
    problems = Problems()
    if data.get("uuid") in (None, ""):
        problems.add("uuid", _("Isi UUID unggahan."))
    upload_uuid = parse_uuid(problems, data.get("uuid"))
    size, content_type, sha256 = data.get("size"), data.get("content_type"), str(data.get("sha256") or "").lower()
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        problems.add("size", _("Isi ukuran berkas dalam byte."))
    if content_type not in CONTENT_TYPES:
        problems.add("content_type", _("Jenis berkas tidak didukung. Unggah foto (JPEG, PNG atau WebP) atau PDF."))
    if not _SHA256.match(sha256):
        problems.add("sha256", _("Isi SHA-256 berkas (64 karakter heksadesimal)."))
    problems.raise_any()
    limit = current_app.config["MAX_ATTACHMENT_BYTES"]
    if size > limit:
        message = _("Berkas yang dikirim terlalu besar. Ukuran paling besar %(mb)d MB.", mb=limit // (1024 * 1024))
        raise FileTooLarge(message, fields={"size": [message]})
    existing = db.session.scalar(sa.select(PendingUpload).where(PendingUpload.uuid == upload_uuid))
    if existing is not None:
        if existing.user_id != user.id:
            raise Conflict(_("UUID unggahan ini sudah dipakai."), fields={"uuid": [_("Sudah dipakai.")]})
        return existing, False
    upload = PendingUpload(
        uuid=upload_uuid,
        agency_id=user.agency_id,
        user_id=user.id,
        size=size,
        content_type=content_type,
        sha256=sha256,
        received=0,
    )
    db.session.add(upload)
    db.session.flush()
    return upload, True


def state(upload):
    """What the device needs to resume: the uuid, the offset, the size and whether it is complete."""
    return {"uuid": str(upload.uuid), "offset": upload.received, "size": upload.size, "complete": upload.complete}


def receive(user, upload_uuid, offset, chunk):
    """Appends ``chunk`` at ``offset`` (None: the header was missing) to the user's upload.

    Returns (upload, whether its SHA-256 holds). A missing offset is a 422,
    a wrong offset is a ``Conflict`` carrying the right one; a chunk past the
    announced size a 422. When the last chunk makes a file whose SHA-256 is
    not the announced one, the upload starts over at 0 and False comes back:
    the caller commits that restart, then refuses.
    """
    upload = own(user, upload_uuid, lock=True)
    if offset is None:
        message = _("Isi header Upload-Offset dengan posisi byte potongan ini.")
        raise ValidationFailed(message, fields={"Upload-Offset": [message]})
    if offset != upload.received:
        message = _("Posisi unggahan tidak cocok: server sudah menerima %(n)d byte.", n=upload.received)
        raise Conflict(message, fields={"Upload-Offset": [message]}, current=state(upload))
    if not chunk or offset + len(chunk) > upload.size:
        message = _("Potongan berkas kosong atau melebihi ukuran yang diumumkan.")
        raise ValidationFailed(message, fields={"body": [message]})
    path = part_path(upload)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "r+b" if offset else "wb") as out:
        out.seek(offset)
        out.write(chunk)
        out.truncate()
        out.flush()
        os.fsync(out.fileno())
    upload.received = offset + len(chunk)
    intact = not upload.complete or hashlib.sha256(path.read_bytes()).hexdigest() == upload.sha256
    if not intact:
        upload.received = 0
        path.unlink(missing_ok=True)
    db.session.flush()
    return upload, intact


def checksum_refusal():
    """The refusal of a finished upload whose content does not match its SHA-256."""
    message = _("Isi berkas tidak cocok dengan SHA-256 yang diumumkan. Unggah ulang dari awal.")
    return ValidationFailed(message, fields={"sha256": [message]})


def finished_bytes(user, upload_uuid, field):
    """The bytes of the user's finished upload ``upload_uuid``, for the file part ``field``; 422 otherwise."""
    try:
        upload = own(user, upload_uuid)
    except NotFound as error:
        raise ValidationFailed(error.message, fields={field: [error.message]}) from error
    if not upload.complete:
        message = _("Unggahan belum selesai (%(n)d dari %(size)d byte).", n=upload.received, size=upload.size)
        raise ValidationFailed(message, fields={field: [message]})
    return part_path(upload).read_bytes()


def finished_uploads(user, upload_uuids, field):
    """The bytes of each of the user's finished uploads ``upload_uuids`` (a list, or None for none)."""
    if upload_uuids is None:
        return []
    if not isinstance(upload_uuids, list):
        message = _("Isi daftar UUID unggahan.")
        raise ValidationFailed(message, fields={field: [message]})
    return [finished_bytes(user, upload_uuid, field) for upload_uuid in upload_uuids]


def file_or_upload(schema, part):
    """(the request's text fields loaded by ``schema``, its file) for the photo and attachment endpoints.

    The file is the multipart part ``part``, or, in a JSON body, the finished
    resumable upload named by ``upload``.
    """
    if not request.is_json:
        return load_form(schema), request.files.get(part)
    body = request.get_json(silent=True)
    # Taken out of the parsed body (which load_json reads again) before the schema sees the other fields.
    upload_uuid = body.pop("upload", None) if isinstance(body, dict) else None
    return load_json(schema), finished_bytes(current_user, upload_uuid, part)


def purge(now=None):
    """Deletes the uploads untouched for a day, their part files, and part files left without a row."""
    cutoff = (now or utcnow()) - KEEP
    old = db.session.scalars(sa.select(PendingUpload).where(PendingUpload.updated_at < cutoff)).all()
    for upload in old:
        part_path(upload).unlink(missing_ok=True)
        db.session.delete(upload)
    db.session.flush()
    return len(old)
