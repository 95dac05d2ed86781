"""API endpoints for merging two records of one person into one, and for undoing a merge.

A stale version of either client is a 409 carrying both as they are now.
"""

from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_json
from casework.clients import merging, queries
from casework.clients.schemas import ClientSchema, MergeCreateSchema, MergeSchema, MergeUndoSchema
from casework.core.errors import Conflict
from casework.core.permissions import require
from casework.extensions import db


@bp.post("/clients/<client_uuid>/merges")
@require("clients.merge")
@documented(MergeSchema, body=MergeCreateSchema, status=201)
def merge_client(client_uuid):
    """Merges the client ``merged_uuid`` into this one (the survivor); both versions as read are required."""
    survivor = queries.readable_client(current_user, client_uuid)
    data = load_json(MergeCreateSchema())
    merged = queries.readable_client(current_user, data["merged_uuid"])
    versions = (data["survivor_version"], data["merged_version"])
    try:
        merge = merging.merge_clients(survivor, merged, current_user, data.get("reason"), versions)
    except Conflict as error:
        db.session.rollback()
        error.current = {"survivor": ClientSchema().dump(survivor), "merged": ClientSchema().dump(merged)}
        raise
    db.session.commit()
    return MergeSchema().dump(merge), 201


@bp.post("/client-merges/<int:merge_id>/undo")
@require("clients.merge")
@documented(MergeSchema, body=MergeUndoSchema)
def undo_client_merge(merge_id):
    """Undoes a merge: the rows it moved go back and the merged client is a record of its own again."""
    merge = queries.agency_merge(current_user.agency_id, merge_id)
    data = load_json(MergeUndoSchema())
    merging.undo_merge(merge, current_user, data.get("reason"))
    db.session.commit()
    return MergeSchema().dump(merge)
