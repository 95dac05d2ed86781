"""API endpoints for the signed-in user's notifications: the list, and marking them read."""

from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_args, load_json
from casework.core.pagination import keyset_meta, keyset_paginate
from casework.core.permissions import require
from casework.extensions import db
from casework.notifications import queries
from casework.notifications.models import Notification
from casework.notifications.schemas import MarkReadSchema, NotificationFilterSchema, NotificationSchema, UnreadSchema

_NOTIFICATION = NotificationSchema()
_FILTER = NotificationFilterSchema()
_MARK = MarkReadSchema()
_UNREAD = UnreadSchema()


@bp.get("/notifications")
@require("notifications.view")
@documented(NotificationSchema, query=NotificationFilterSchema, paging="cursor")
def list_notifications():
    """The signed-in user's notifications, newest first (``unread=true``: only unread), by ``cursor``."""
    found = queries.listing(current_user, unread_only=load_args(_FILTER)["unread"])
    page = keyset_paginate(found, (Notification.id,), descending=True)
    return {"items": _NOTIFICATION.dump(page.items, many=True), **keyset_meta(page)}


@bp.post("/notifications/read")
@require("notifications.view")
@documented(UnreadSchema, body=MarkReadSchema)
def mark_notifications_read():
    """Marks the signed-in user's notifications of ``ids`` read (all of them without ``ids``)."""
    marked = queries.mark_read(current_user, load_json(_MARK).get("ids"))
    db.session.commit()
    return _UNREAD.dump({"marked": marked, "unread": queries.unread_count(current_user)})
