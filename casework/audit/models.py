"""Audit events, written by service operations in the same transaction as the change."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.core.types import UTCDateTime, utcnow
from casework.extensions import db

# Rows not yet chained by the sealer (``casework.audit.chain``): the partial index finds them without a scan.
UNSEALED = "seq IS NULL"


class AuditEvent(db.Model):
    """One recorded action. Rows are only ever inserted, then sealed once (triggers refuse anything else)."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(60))
    object_type: Mapped[str | None] = mapped_column(sa.String(40))
    object_id: Mapped[str | None] = mapped_column(sa.String(40))
    address: Mapped[str | None] = mapped_column(sa.String(45))
    # What changed, as field names and values; never passwords or tokens.
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # The chain, set by the sealer: position (1, 2, 3… without gaps), the previous entry's hash, this entry's hash.
    seq: Mapped[int | None] = mapped_column(sa.BigInteger)
    prev_hash: Mapped[str | None] = mapped_column(sa.String(64))
    hash: Mapped[str | None] = mapped_column(sa.String(64))

    # For the search page, which loads it with the row (``contains_eager``); writers set only ``actor_id``.
    actor = relationship("User", lazy="raise")

    __table_args__ = (
        sa.Index("ix_audit_event_object", "object_type", "object_id"),
        # A unique index rather than a constraint: SQLite adds an index without rebuilding the table.
        sa.Index("ix_audit_event_seq", "seq", unique=True),
        sa.Index("ix_audit_event_unsealed", "id", sqlite_where=sa.text(UNSEALED), postgresql_where=sa.text(UNSEALED)),
    )
