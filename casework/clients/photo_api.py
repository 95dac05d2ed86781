"""API endpoints for a client's photo: a multipart upload and a removal, at the client's version.

The file goes through the same checks as on the pages (type by content,
size, EXIF stripped); too large a file is a 413 in the error envelope, and a
stale version a 409 carrying the client as it is now.
"""

from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_json
from casework.clients import photos, queries
from casework.clients.schemas import ClientSchema, VersionSchema
from casework.core.errors import Conflict
from casework.core.permissions import require
from casework.extensions import db
from casework.sync.uploads import file_or_upload


def _photo_change(client, change):
    """Runs ``change`` and commits; a stale version is a 409 carrying the client as it is now."""
    try:
        change()
    except Conflict as error:
        db.session.rollback()
        error.current = ClientSchema().dump(client)
        raise
    db.session.commit()
    return ClientSchema().dump(client)


@bp.put("/clients/<client_uuid>/photo")
@require("clients.manage")
@documented(ClientSchema, body=VersionSchema, upload="photo")
def set_client_photo(client_uuid):
    """Sets the client's photo: the file in the multipart part ``photo`` and the client's ``version``.

    Or a JSON body ``{"version", "upload"}`` naming a finished resumable upload (``POST /api/v1/uploads``).
    """
    client = queries.readable_client(current_user, client_uuid)
    data, upload = file_or_upload(VersionSchema(), "photo")
    version = data["version"]
    return _photo_change(client, lambda: photos.set_client_photo(client, version, upload, current_user))


@bp.delete("/clients/<client_uuid>/photo")
@require("clients.manage")
@documented(ClientSchema)
def remove_client_photo(client_uuid):
    """Removes the client's photo; the JSON body carries the client's ``version``."""
    client = queries.readable_client(current_user, client_uuid)
    version = load_json(VersionSchema())["version"]
    return _photo_change(client, lambda: photos.remove_client_photo(client, version, current_user))
