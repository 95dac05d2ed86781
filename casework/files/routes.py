"""Serving stored files to signed-in staff of the file's agency, never from static/ and never cached.

Photos are shown inline, documents downloaded. The Content-Type is the one
found from the content when the file was stored; ``nosniff`` and a sandbox
policy keep a browser from treating a file as a page.
"""

from flask import Blueprint, send_file
from flask_login import current_user

from casework.core.permissions import require
from casework.files import queries, storage

bp = Blueprint("files", __name__)

# A stored file is never a page: no scripts, no plugins, no frames, whatever it holds.
FILE_POLICY = "default-src 'none'; sandbox"


@bp.route("/<file_uuid>")
@require("files.view")
def serve(file_uuid):
    """One file of the signed-in user's agency, if they may read its case or client; another agency's is a 404."""
    stored = queries.readable_file(current_user, file_uuid)
    response = send_file(
        storage.path_of(stored.storage_key),
        mimetype=stored.content_type,
        as_attachment=not stored.is_image,
        download_name=stored.original_name,
        etag=stored.sha256,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_POLICY
    response.headers["Cache-Control"] = "no-store"
    return response
