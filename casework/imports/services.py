"""Import operations: upload (stores the file, starts the dry run), decide, confirm, resume; and running a job.

Each operation checks its guard, changes the job, writes an audit row
(record type, counts, ids; never personal data) and flushes; the route or
the CLI commits and then starts the job (``casework.imports.worker``).
"""

import hashlib
import uuid as uuid_module

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from casework.audit.services import record
from casework.core.errors import Conflict, NotFound, ValidationFailed
from casework.core.types import utcnow
from casework.extensions import db
from casework.files import storage
from casework.files.models import StoredFile
from casework.files.services import FileTooLarge, clean_name
from casework.imports.engine import dry_run, record_type_of, run_import, undecided
from casework.imports.models import ImportJob, ImportRow, JobStatus
from casework.imports.reader import ZIP_MAGIC

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# ``stored_file.content_type`` holds 40 characters: the XLSX type's 65 do not fit, and an XLSX is a zip.
_CONTENT_TYPES = {
    "xlsx": ("application/zip", ".xlsx"),
    "csv": ("text/csv", ".csv"),
}


def max_bytes():
    """The largest import file accepted (``IMPORT_MAX_BYTES``, 50 MB by default)."""
    return current_app.config.get("IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def request_limit():
    """Lets this request's body be as large as an import file may be (the app's limit is for photos)."""
    from flask import request

    request.max_content_length = max_bytes() + 256 * 1024


def _refuse(message, field="file"):
    """A refusal of the upload naming ``field``."""
    raise ValidationFailed(message, fields={field: [message]})


def _kind(data):
    """The kind, "xlsx" or "csv", from the bytes; refuses anything else (binary that is not a zip, non-UTF-8 text)."""
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    head = data[:65536]
    try:
        head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is not an error.
        if error.start < len(head) - 4:
            _refuse(_("Berkas harus CSV (teks UTF-8) atau XLSX."))
    if b"\x00" in head:
        _refuse(_("Berkas harus CSV (teks UTF-8) atau XLSX."))
    return "csv"


def record_type_named(name):
    """The registered record type ``name``; NotFound otherwise."""
    record_type = record_type_of(name)
    if record_type is None:
        raise NotFound(_("Jenis data impor tidak dikenal."))
    return record_type


def upload(agency, actor, record_type_name, data, filename=None, new_when_unsure=False):
    """Stores an import file and creates its job, waiting for its dry run; returns the flushed job."""
    record_type = record_type_named(record_type_name)
    if not data:
        _refuse(_("Pilih berkas untuk diunggah."))
    if len(data) > max_bytes():
        message = _("Berkas terlalu besar. Ukuran paling besar %(mb)d MB.", mb=max_bytes() // (1024 * 1024))
        raise FileTooLarge(message, fields={"file": [message]})
    content_type, extension = _CONTENT_TYPES[_kind(data)]
    file_uuid = uuid_module.uuid4()
    key = f"{agency.id}/imports/{file_uuid.hex}"
    storage.write(db.session, key, data)
    stored = StoredFile(
        uuid=file_uuid,
        agency_id=agency.id,
        content_type=content_type,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=clean_name(filename, extension),
        storage_key=key,
        created_by_id=actor.id,
    )
    db.session.add(stored)
    db.session.flush()
    job = ImportJob(
        agency_id=agency.id,
        record_type=record_type.name,
        file_id=stored.id,
        status=JobStatus.CHECKING,
        new_when_unsure=bool(new_when_unsure),
        created_by_id=actor.id,
        counts={},
        applied={},
    )
    db.session.add(job)
    db.session.flush()
    record("import.uploaded", job, actor=actor, record_type=record_type.name, size_bytes=len(data), file_id=stored.id)
    db.session.flush()
    return job


def agency_job(agency, job_uuid):
    """The agency's import job with ``job_uuid``; NotFound otherwise."""
    try:
        key = uuid_module.UUID(str(job_uuid))
    except ValueError:
        key = None
    job = db.session.scalar(sa.select(ImportJob).where(ImportJob.uuid == key)) if key else None
    if job is None or job.agency_id != agency.id:
        raise NotFound(_("Impor tidak ditemukan."))
    return job


def decide(job, actor, decisions):
    """Records decisions {line: "new" | "skip" | candidate id} on rows with likely duplicates; returns how many."""
    if job.status != JobStatus.CHECKED:
        raise Conflict(_("Keputusan hanya bisa diubah sebelum impor dikonfirmasi."))
    problems = {}
    rows = {
        row.line: row
        for row in db.session.scalars(
            sa.select(ImportRow).where(ImportRow.job_id == job.id, ImportRow.line.in_([int(k) for k in decisions]))
        )
    }
    for line, decision in decisions.items():
        row = rows.get(int(line))
        choices = {"new", "skip"} | {str(candidate["id"]) for candidate in (row.candidates if row else [])}
        if row is None or row.action != "decide" or str(decision) not in choices:
            problems[str(line)] = [_("Keputusan tidak sah untuk baris ini.")]
            continue
        row.decision = str(decision)
    if problems:
        raise ValidationFailed(_("Periksa kembali keputusan yang ditandai."), fields=problems)
    record("import.decided", job, actor=actor, rows=len(decisions))
    db.session.flush()
    return len(decisions)


def confirm(job, actor):
    """Queues the checked job for import; refuses while rows have errors or undecided likely duplicates."""
    if job.status != JobStatus.CHECKED:
        raise Conflict(_("Impor ini tidak menunggu konfirmasi."))
    if job.error_count:
        raise ValidationFailed(
            _("Berkas masih berisi %(n)d baris salah. Perbaiki berkasnya lalu unggah lagi.", n=job.error_count)
        )
    waiting = undecided(job)
    if waiting and not job.new_when_unsure:
        raise ValidationFailed(_("%(n)d baris mirip klien yang sudah ada: pilih keputusannya dulu.", n=waiting))
    job.status, job.confirmed_at = JobStatus.QUEUED, utcnow()
    job.done, job.resume_line, job.applied, job.failure = 0, 0, {}, None
    record("import.confirmed", job, actor=actor, record_type=job.record_type, rows=job.total, counts=job.counts)
    db.session.flush()
    return job


def resume(job, actor):
    """Queues a failed job again from the line it stopped at."""
    if job.status != JobStatus.FAILED:
        raise Conflict(_("Hanya impor yang gagal yang bisa dilanjutkan."))
    job.status, job.failure = JobStatus.QUEUED, None
    record("import.resumed", job, actor=actor, record_type=job.record_type, from_line=job.resume_line)
    db.session.flush()
    return job


def process(job_id, today=None, fail_at_line=None):
    """Runs what a job waits for: its dry run (checking) or its import (queued, running); returns the job.

    Commits (per batch). Used by the worker thread, the CLI and the scheduler's pick-up of stalled jobs.
    """
    from casework.imports.engine import context_for

    # Write first: on SQLite a transaction that read before another connection's commit cannot write later.
    db.session.execute(sa.update(ImportJob).where(ImportJob.id == job_id).values(heartbeat_at=utcnow()))
    job = db.session.get(ImportJob, job_id)
    if job is None:
        return None
    ctx = context_for(job, today)
    if job.status == JobStatus.CHECKING:
        return dry_run(job, ctx)
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        return run_import(job, ctx, fail_at_line=fail_at_line)
    return job
