"""The sync endpoints of /api/v1: the caseload feed the offline field app keeps its device copy with."""

from flask import request
from flask_login import current_user
from marshmallow import Schema, fields

from casework.api import bp
from casework.api.openapi import documented
from casework.core.permissions import require
from casework.core.types import utcnow
from casework.sync import feed


class CaseloadSchema(Schema):
    """The caseload download: ``records`` and ``removed`` by kind, the next ``cursor``, reference data, settings."""

    cursor = fields.Str()
    full = fields.Bool()
    records = fields.Dict(keys=fields.Str(), values=fields.List(fields.Dict()))
    removed = fields.Dict(keys=fields.Str(), values=fields.List(fields.Raw()))
    reference = fields.Dict(allow_none=True)
    settings = fields.Dict()


class SyncStatusSchema(Schema):
    """The server's time and the signed-in user, for a device checking its session cheaply."""

    server_time = fields.AwareDateTime()
    user = fields.Dict()


@bp.get("/sync/caseload")
@require("sync.caseload")
@documented(CaseloadSchema)
def sync_caseload():
    """The signed-in user's caseload: everything without ``cursor``, the changes since it with one.

    Keep the answer's ``cursor`` for the next call. A case, client or finding
    under ``removed`` left the caseload (closed, reassigned, merged away) and
    is deleted from the device. A cursor that is forged, another user's or
    older than ``OFFLINE_MAX_DAYS`` + 1 days is a 400 ``bad_cursor``: download
    everything again. See docs/sync.md.
    """
    return feed.download(current_user, request.args.get("cursor"))


@bp.get("/sync/status")
@require("sync.caseload")
@documented(SyncStatusSchema)
def sync_status():
    """The server time and the signed-in user: a 200 means the session or token is still good."""
    return SyncStatusSchema().dump({"server_time": utcnow(), "user": feed.device_user(current_user)})
