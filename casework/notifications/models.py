"""A notification: a timeline event someone should see, and whether they have read it."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.cases.models import Case, CaseEvent
from casework.core.types import UTCDateTime
from casework.extensions import db


class Notification(db.Model):
    """One timeline event for one user; unread until ``read_at``."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("case_event.id"))
    # The event's case, kept here so a list shows its number without reading the events first.
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"))
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[CaseEvent] = relationship()
    case: Mapped[Case] = relationship()

    __table_args__ = (
        # One per person per event; a user's list, newest first, is read in this index's order.
        sa.UniqueConstraint("user_id", "event_id"),
        sa.Index("ix_notification_case_id", "case_id"),
        # The badge counts the unread ones from this small partial index alone.
        sa.Index(
            "ix_notification_unread",
            "user_id",
            sqlite_where=sa.text("read_at IS NULL"),
            postgresql_where=sa.text("read_at IS NULL"),
        ),
    )
