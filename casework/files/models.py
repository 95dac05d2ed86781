"""Stored files: one row per uploaded file, whose bytes live on disk under ``FILES_PATH``."""

import uuid as uuid_module
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from casework.core.types import UTCDateTime, utcnow
from casework.extensions import db


class StoredFile(db.Model):
    """A photo or document of an agency; the row is written only after its bytes are on disk.

    ``original_name`` is what the uploader called the file, cleaned and with
    the extension of its real type. It may name a person, so it is never
    logged or written to the audit trail.
    """

    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(sa.Uuid, unique=True, default=uuid_module.uuid4)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    # Found by reading the bytes, never taken from the name or the client's Content-Type.
    content_type: Mapped[str] = mapped_column(sa.String(40))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    original_name: Mapped[str] = mapped_column(sa.String(200))
    # Path under FILES_PATH; made from ids only, never from what the uploader typed.
    storage_key: Mapped[str] = mapped_column(sa.String(120), unique=True)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        sa.CheckConstraint("size_bytes > 0", name="size_positive"),
        sa.CheckConstraint("length(sha256) = 64", name="sha256_length"),
    )

    @property
    def is_image(self):
        """True for photos (shown inline); documents are downloaded."""
        return self.content_type.startswith("image/")
