"""Import jobs, their per-row report, and the source row keys that make a re-import change nothing."""

import uuid as uuid_module
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.auth.models import User
from casework.core.types import UTCDateTime, enum_column, utcnow
from casework.extensions import db
from casework.files.models import StoredFile


class JobStatus(StrEnum):
    """Where an import job is: checking, checked (dry run done), queued/running after confirmation, done or failed."""

    CHECKING = "checking"
    CHECKED = "checked"
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportJob(db.Model):
    """One uploaded file of one record type: its dry run, then its import in batches with progress."""

    __tablename__ = "import_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(sa.Uuid, unique=True, default=uuid_module.uuid4)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    record_type: Mapped[str] = mapped_column(sa.String(30))
    file_id: Mapped[int] = mapped_column(sa.ForeignKey("stored_file.id"))
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus, "import_job_status"), default=JobStatus.CHECKING)
    # Data rows in the file, and per action at the dry run: {"create": n, "link": n, ...}.
    total: Mapped[int] = mapped_column(default=0)
    counts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    error_count: Mapped[int] = mapped_column(default=0)
    # Rows processed so far by the confirmed import; the next batch starts at resume_line.
    done: Mapped[int] = mapped_column(default=0)
    resume_line: Mapped[int] = mapped_column(default=0)
    applied: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Why the job failed (no personal data: an exception class and the line).
    failure: Mapped[str | None] = mapped_column(sa.String(500))
    new_when_unsure: Mapped[bool] = mapped_column(default=False)
    created_by_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    file: Mapped[StoredFile] = relationship()
    created_by: Mapped[User] = relationship()

    __table_args__ = (
        sa.CheckConstraint("done >= 0 AND done <= total", name="done_within_total"),
        sa.Index("ix_import_job_status_heartbeat", "status", "heartbeat_at"),
    )


class ImportRow(db.Model):
    """The dry run's verdict on one row that needs a look: an error, a link, an update, or candidates to decide."""

    __tablename__ = "import_row"

    job_id: Mapped[int] = mapped_column(sa.ForeignKey("import_job.id", ondelete="CASCADE"), primary_key=True)
    line: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(sa.String(12))
    label: Mapped[str | None] = mapped_column(sa.String(200))
    target_id: Mapped[int | None]
    # [[column, message], ...] and [{"id", "label", "score", "reasons"}, ...].
    errors: Mapped[list] = mapped_column(sa.JSON, default=list)
    candidates: Mapped[list] = mapped_column(sa.JSON, default=list)
    # "new", "skip", or a candidate's id as text; None while undecided.
    decision: Mapped[str | None] = mapped_column(sa.String(20))

    __table_args__ = (sa.Index("ix_import_row_job_action", "job_id", "action", "line"),)


class ImportKey(db.Model):
    """A source row key an import stored: which record it made or linked, and the hash of the row then."""

    __tablename__ = "import_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    record_type: Mapped[str] = mapped_column(sa.String(30))
    source_key: Mapped[str] = mapped_column(sa.String(100))
    record_id: Mapped[int]
    row_hash: Mapped[str] = mapped_column(sa.String(32))
    job_id: Mapped[int | None] = mapped_column(sa.ForeignKey("import_job.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("agency_id", "record_type", "source_key"),
        sa.Index("ix_import_key_record", "record_type", "record_id"),
    )
