"""Running import jobs outside the request: a worker thread of the web process, or the scheduler's pick-up.

A route commits the job first and then calls ``launch``: the thread opens its
own app context (so its own database session) and processes the job, one
committed batch at a time, refreshing the job's heartbeat. With
``IMPORT_INLINE`` set (tests), the job runs in the calling context instead,
after the caller's commit. A job whose heartbeat stops (the process ended)
is picked up by ``resume_stalled``, a scheduler job (``imports.tasks``).
"""

import logging
import threading
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from casework.core.errors import describe_failure
from casework.core.types import utcnow
from casework.extensions import db
from casework.imports.models import ImportJob, JobStatus
from casework.imports.services import process

log = logging.getLogger(__name__)

# A running job writes its heartbeat every batch (seconds); this long without one, it has stopped.
STALLED_AFTER = timedelta(minutes=10)


def _run(app, job_id):
    """The thread's body: processes the job in a fresh app context."""
    with app.app_context():
        try:
            process(job_id)
        except Exception as error:  # the thread must end quietly; the job keeps its status for the pick-up
            db.session.rollback()
            log.error("import job %s stopped: %s", job_id, describe_failure(error))
        finally:
            db.session.remove()


def launch(job):
    """Starts processing ``job`` (committed) in a worker thread, or at once when ``IMPORT_INLINE`` is set."""
    app = current_app._get_current_object()
    if app.config.get("IMPORT_INLINE"):
        return process(job.id)
    thread = threading.Thread(target=_run, args=(app, job.id), name=f"import-{job.id}", daemon=True)
    thread.start()
    return job


def resume_stalled(now=None):
    """Processes the jobs checking or running whose heartbeat stopped; returns their ids."""
    limit = (now or utcnow()) - STALLED_AFTER
    stalled = db.session.scalars(
        sa.select(ImportJob.id)
        .where(
            ImportJob.status.in_((JobStatus.CHECKING, JobStatus.QUEUED, JobStatus.RUNNING)),
            sa.or_(ImportJob.heartbeat_at.is_(None), ImportJob.heartbeat_at < limit),
        )
        .order_by(ImportJob.id)
    ).all()
    for job_id in stalled:
        job = db.session.get(ImportJob, job_id)
        if job.status == JobStatus.RUNNING:
            job.status = JobStatus.QUEUED
        job.heartbeat_at = utcnow()
        db.session.commit()
        process(job_id)
    return stalled
