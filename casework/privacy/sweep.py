"""The daily retention sweep: anonymise eligible clients, strip old findings and complaints, drop old import files.

Each agency's periods come from ``retention.periods``. Clients are handled
in batches of ``batch`` ids, each committed on its own (the stored files of a
batch are deleted from disk after its commit), so a long first run makes
steady progress and a failure loses one batch at most. A dry run counts and
changes nothing.
"""

import logging

import sqlalchemy as sa

from casework.audit.services import record
from casework.core.localtime import local_midnight, local_today
from casework.extensions import db
from casework.findings.models import DECIDED, Report, ReportEvent, ReportPhoto
from casework.imports.models import ImportJob, ImportRow, JobStatus
from casework.org.models import Agency
from casework.privacy import anonymise
from casework.privacy.models import RetentionKind
from casework.privacy.retention import cutoff, periods
from casework.scheduling import try_exclusive

BATCH = 500
# The scheduler's job id: its advisory lock keeps two sweeps from running at once.
JOB_ID = "privacy.anonymise"
log = logging.getLogger(__name__)
FINISHED_IMPORTS = (JobStatus.DONE, JobStatus.FAILED)


def old_reports(agency_id, before):
    """A select of the agency's decided reports decided before ``before`` whose text is still there."""
    return sa.select(Report.id).where(
        Report.agency_id == agency_id,
        Report.status.in_(DECIDED),
        Report.decided_at < before,
        Report.description != anonymise.MARKER,
    )


def old_imports(agency_id, before):
    """A select of the agency's finished import jobs uploaded before ``before`` whose file is still held."""
    files = db.metadata.tables["stored_file"]
    return (
        sa.select(ImportJob.id)
        .join(files, files.c.id == ImportJob.file_id)
        .where(
            ImportJob.agency_id == agency_id,
            ImportJob.status.in_(FINISHED_IMPORTS),
            ImportJob.created_at < before,
            files.c.original_name != anonymise.MARKER,
        )
    )


def _strip_reports(ids):
    """Removes the text and photos of reports ``ids``; returns the photos' storage keys."""
    files = db.metadata.tables["stored_file"]
    photos = db.session.execute(
        sa.select(files.c.id, files.c.storage_key)
        .join(ReportPhoto, ReportPhoto.file_id == files.c.id)
        .where(ReportPhoto.report_id.in_(ids))
    ).all()
    anonymise.scrub(Report.__table__, Report.id.in_(ids))
    anonymise.scrub(ReportEvent.__table__, ReportEvent.report_id.in_(ids))
    db.session.execute(sa.delete(ReportPhoto).where(ReportPhoto.report_id.in_(ids)))
    if photos:
        db.session.execute(sa.delete(files).where(files.c.id.in_([file_id for file_id, _key in photos])))
    for report_id in ids:
        record("privacy.report_stripped", None, report_id=report_id)
    return [key for _id, key in photos]


def _drop_imports(ids):
    """Drops the files and report rows (names typed in the file) of import jobs ``ids``; returns storage keys."""
    files = db.metadata.tables["stored_file"]
    held = db.session.execute(
        sa.select(files.c.id, files.c.storage_key)
        .join(ImportJob, ImportJob.file_id == files.c.id)
        .where(ImportJob.id.in_(ids))
    ).all()
    db.session.execute(sa.delete(ImportRow).where(ImportRow.job_id.in_(ids)))
    # The job keeps its row (and so the file's row): its counts stay in the import history.
    held_ids = [file_id for file_id, _key in held]
    db.session.execute(sa.update(files).where(files.c.id.in_(held_ids)).values(original_name=anonymise.MARKER))
    for job_id in ids:
        record("privacy.import_file_dropped", None, import_job_id=job_id)
    return [key for _id, key in held]


class LockLost(Exception):
    """Another process took the sweep's lock between two batches."""


def _batches(select, size):
    """The ids of ``select`` in lists of ``size``; re-read after each batch (handled rows drop out)."""
    while ids := db.session.scalars(select.limit(size)).all():
        yield ids


def _apply(select, action, size, dry_run):
    """Runs ``action`` on each batch of ids, committing each batch and deleting its files after; returns the count."""
    if dry_run:
        return db.session.scalar(sa.select(sa.func.count()).select_from(select.order_by(None).subquery()))
    done = 0
    for ids in _batches(select, size):
        keys = action(ids)
        db.session.commit()
        anonymise.delete_stored(keys)
        done += len(ids)
        # The commit released the job's lock (PostgreSQL): take it again, or leave the rest to whoever holds it.
        if not try_exclusive(JOB_ID):
            raise LockLost
    return done


def sweep_agency(agency, today=None, dry_run=False, batch=BATCH):
    """Applies the agency's retention; returns {"clients": n, "reports": n, "import_files": n}."""
    today = today or local_today()
    period = periods(agency.id)
    steps = (
        ("clients", RetentionKind.CLOSED_CASES, anonymise.eligible_clients, anonymise.anonymise_clients),
        ("reports", RetentionKind.REPORTS, old_reports, _strip_reports),
        ("import_files", RetentionKind.IMPORT_FILES, old_imports, _drop_imports),
    )
    counts = {}
    for name, kind, select, action in steps:
        limit = cutoff(kind, period[kind], today)
        # Cases end on a day; reports and imports at a moment.
        before = limit if kind == RetentionKind.CLOSED_CASES else local_midnight(limit)
        counts[name] = _apply(select(agency.id, before), action, batch, dry_run)
    return counts


def sweep(today=None, dry_run=False, batch=BATCH):
    """Applies every agency's retention; returns the summed counts (so far, if another process took over)."""
    totals = {"clients": 0, "reports": 0, "import_files": 0}
    try:
        for agency in db.session.scalars(sa.select(Agency).order_by(Agency.id)).all():
            for name, count in sweep_agency(agency, today, dry_run, batch).items():
                totals[name] += count
    except LockLost:
        log.info("retention sweep stopped after a batch: another process holds %s", JOB_ID)
    return totals
