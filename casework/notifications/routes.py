"""The notifications page: the list, opening one (marks it read), marking all read; and the nav badge's count."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from casework.cases.labels import EVENT_LABELS
from casework.core.pagination import paginate
from casework.core.permissions import can, require
from casework.extensions import db
from casework.notifications import queries
from casework.notifications.models import Notification

bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def _unread():
    """``unread_notifications()`` for the nav badge: one count, only when the nav calls it."""

    def unread_notifications():
        return queries.unread_count(current_user) if can(current_user, "notifications.view") else 0

    return {"unread_notifications": unread_notifications}


@bp.route("/")
@require("notifications.view")
def index():
    """The signed-in user's notifications, newest first, unread ones marked."""
    page = paginate(queries.listing(current_user))
    return render_template("notifications/index.html", page=page, event_labels=EVENT_LABELS)


@bp.post("/<int:notification_id>/open")
@require("notifications.view")
def open_one(notification_id):
    """Marks one notification read and opens its case (its list when the case is another agency's)."""
    notification = db.get_or_404(Notification, notification_id)
    if notification.user_id != current_user.id:
        return redirect(url_for(".index"))
    queries.mark_read(current_user, [notification.id])
    db.session.commit()
    if notification.case.agency_id != current_user.agency_id:
        return redirect(url_for(".index"))
    return redirect(url_for("cases.detail", case_uuid=notification.case.uuid) + "#timeline")


@bp.post("/read")
@require("notifications.view")
def read_all():
    """Marks every notification of the signed-in user read."""
    queries.mark_read(current_user)
    db.session.commit()
    return redirect(url_for(".index"))
