"""Reading and marking a user's notifications."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from casework.cases.models import CaseEvent
from casework.core.types import utcnow
from casework.extensions import db
from casework.notifications.models import Notification


def unread_count(user):
    """How many of ``user``'s notifications are unread (the nav badge; read from a partial index)."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )


def listing(user, unread_only=False):
    """``user``'s notifications with their event, its actor and its case, newest first."""
    select = (
        sa.select(Notification)
        .where(Notification.user_id == user.id)
        .options(joinedload(Notification.event).joinedload(CaseEvent.actor), joinedload(Notification.case))
        .order_by(Notification.id.desc())
    )
    if unread_only:
        select = select.where(Notification.read_at.is_(None))
    return select


def mark_read(user, ids=None):
    """Marks ``user``'s unread notifications read (only those of ``ids`` when given); returns how many."""
    update = (
        sa.update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    if ids is not None:
        update = update.where(Notification.id.in_(ids))
    return db.session.execute(update).rowcount
