"""A client's photo: set or removed at a version, like any other change to the client.

The photo is stored through ``casework.files.services.store_upload`` (type
read from the content, EXIF and GPS stripped, shrunk); the client points at
it. A replaced or removed photo stays stored, as the audit trail names it.
"""

from casework.audit.services import record
from casework.clients.services import flush_client, stale_message
from casework.core.errors import check_version
from casework.extensions import db
from casework.files.services import PHOTOS, store_upload
from casework.org.models import Agency


def set_client_photo(client, version, upload, actor):
    """Stores ``upload`` (a ``FileStorage`` or bytes) as the client's photo, at ``version``; returns the file."""
    check_version(client, version, stale_message())
    stored = store_upload(db.session.get(Agency, client.agency_id), actor, upload, kinds=PHOTOS, field="photo")
    client.photo = stored
    flush_client()
    record("client.photo_set", client, actor=actor, file=str(stored.uuid))
    db.session.flush()
    return stored


def remove_client_photo(client, version, actor):
    """Takes the client's photo away, at ``version``; a client without a photo is left as it is."""
    check_version(client, version, stale_message())
    if client.photo_id is None:
        return
    removed = client.photo
    client.photo = None
    flush_client()
    record("client.photo_removed", client, actor=actor, file=str(removed.uuid))
    db.session.flush()
