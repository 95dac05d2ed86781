"""Emergency access ("break glass"): a time-limited grant to read one sensitive client and its cases."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from casework.core.types import UTCDateTime, utcnow
from casework.extensions import db


class BreakGlassGrant(db.Model):
    """One user's emergency access to one client, asked for from one of its cases, with a reason, until expiry."""

    __tablename__ = "break_glass_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    client_id: Mapped[int] = mapped_column(sa.ForeignKey("client.id"))
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("case_file.id"))
    reason: Mapped[str] = mapped_column(sa.Text)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        # "Does this user hold an unexpired grant for this client?" reads this index alone.
        sa.Index("ix_break_glass_grant_user_client", "user_id", "client_id", "expires_at"),
        sa.Index("ix_break_glass_grant_case_id", "case_id"),
        sa.CheckConstraint("expires_at > granted_at", name="expires_after_granted"),
    )
