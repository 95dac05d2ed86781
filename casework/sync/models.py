"""Offline sync tables: the change feed the caseload delta reads (filled by triggers), and resumable uploads."""

import uuid as uuid_module
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from casework.core.types import UTCDateTime, utcnow
from casework.extensions import db


class SyncChange(db.Model):
    """A record of ``kind`` (a key of the feed's ``records``) changed: inserted, updated or deleted.

    Written only by the triggers of migration b1c0ffee0022, never by the
    application. ``seq`` orders the changes; ``txid`` (PostgreSQL only) is the
    writing transaction's id, looked up among a cursor's running transactions so a
    transaction that committed after the cursor was issued is not skipped.
    ``uuid`` keeps a deleted record's identity; ``case_id`` ties a case's
    records to it.
    """

    __tablename__ = "sync_change"

    seq: Mapped[int] = mapped_column(sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True)
    txid: Mapped[int | None] = mapped_column(sa.BigInteger, index=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    row_id: Mapped[int] = mapped_column(sa.Integer)
    case_id: Mapped[int | None] = mapped_column(sa.Integer)
    uuid: Mapped[str | None] = mapped_column(sa.String(36))
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=sa.func.current_timestamp(), index=True)

    # Never reuse a seq on SQLite, even after the oldest changes are pruned.
    __table_args__ = ({"sqlite_autoincrement": True},)


class PendingUpload(db.Model):
    """A resumable upload: the file the device announced (size, type, SHA-256) and how much has arrived.

    The bytes collect in a part file under the files folder (``uploads/``),
    never under static/. Once ``received`` equals ``size`` and the SHA-256
    matched, the photo and attachment endpoints take it in place of a file.
    """

    __tablename__ = "pending_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(sa.Uuid, unique=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    size: Mapped[int]
    content_type: Mapped[str] = mapped_column(sa.String(100))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    received: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, index=True)

    __table_args__ = (sa.CheckConstraint("received >= 0 AND received <= size AND size > 0", name="received_in_size"),)

    @property
    def complete(self):
        """True once every byte has arrived (and, as ``receive`` checks then, the SHA-256 matched)."""
        return self.received == self.size
