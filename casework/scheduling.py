"""Periodic jobs: declared beside their feature with ``@job``, run by ``flask casework scheduler``.

The scheduler is its own process, never started inside ``create_app``. When
several scheduler processes run against one PostgreSQL database, each run
of a job takes a transaction-scoped advisory lock first, so only one process
does the work; the others log that they skipped.
"""

import hashlib
import logging
from dataclasses import dataclass
from importlib import import_module

import sqlalchemy as sa

from casework.core.errors import describe_failure
from casework.extensions import db

log = logging.getLogger(__name__)

FEATURE_TASK_MODULES = (
    "casework.auth.tasks",
    "casework.aftercare.tasks",
    "casework.figures.tasks",
    "casework.figures.quarterly_tasks",
    "casework.imports.tasks",
    "casework.audit.tasks",
    "casework.privacy.tasks",
    "casework.sync.tasks",
)


@dataclass(frozen=True)
class Job:
    """A job: its id, the function, and cron fields (Asia/Jakarta time)."""

    id: str
    func: object
    cron: dict


JOBS = {}


def job(job_id, **cron):
    """Registers the decorated function as a periodic job with APScheduler cron fields."""

    def decorator(func):
        JOBS[job_id] = Job(job_id, func, cron)
        return func

    return decorator


def load_jobs():
    """Imports every feature's tasks module so its jobs register; returns the registry."""
    for name in FEATURE_TASK_MODULES:
        import_module(name)
    return JOBS


def advisory_key(job_id):
    """A stable signed 64-bit key for a job id (PostgreSQL advisory locks take a bigint)."""
    return int.from_bytes(hashlib.sha256(job_id.encode()).digest()[:8], "big", signed=True)


def try_exclusive(job_id):
    """Takes the job's lock for the current transaction; False when another process holds it.

    SQLite has a single writer and one scheduler process: the lock is not needed there.
    """
    if db.session.get_bind().dialect.name != "postgresql":
        return True
    return bool(db.session.scalar(sa.select(sa.func.pg_try_advisory_xact_lock(advisory_key(job_id)))))


def run_job(app, job_id):
    """Runs one job in its own transaction, unless another scheduler process is running it.

    Returns "done", "skipped" or "failed". A failure is logged here without the
    exception's message and not re-raised, so APScheduler does not log the
    message (which may hold personal data) a second time.
    """
    with app.app_context():
        try:
            if not try_exclusive(job_id):
                log.info("job %s skipped: running in another scheduler process", job_id)
                db.session.rollback()
                return "skipped"
            JOBS[job_id].func()
            db.session.commit()
        except Exception as error:
            db.session.rollback()
            log.error("job %s failed: %s", job_id, describe_failure(error))
            return "failed"
        log.info("job %s done", job_id)
        return "done"


def start_scheduler(app):
    """Blocks, running every registered job on its schedule."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    scheduler = BlockingScheduler(timezone=app.config["SCHEDULER_TIMEZONE"])
    for registered in load_jobs().values():
        scheduler.add_job(
            run_job,
            "cron",
            args=(app, registered.id),
            id=registered.id,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=3600,
            **registered.cron,
        )
    log.info("scheduler started with %d jobs", len(JOBS))
    scheduler.start()
