"""Periodic housekeeping for accounts."""

from datetime import timedelta

import sqlalchemy as sa

from casework.auth import limits
from casework.auth.models import LoginAttempt
from casework.core.types import utcnow
from casework.extensions import db
from casework.scheduling import job

# Long enough to investigate an incident; short enough not to keep addresses forever.
LOGIN_ATTEMPT_RETENTION_DAYS = 90


@job("auth.purge_login_attempts", hour=2, minute=30)
def purge_login_attempts():
    """Deletes login attempts older than the retention period; returns how many."""
    cutoff = utcnow() - timedelta(days=LOGIN_ATTEMPT_RETENTION_DAYS)
    result = db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.at < cutoff))
    return result.rowcount


@job("auth.prune_api_rate_windows", minute="*/10")
def prune_api_rate_windows():
    """Deletes API rate-limit windows that ended more than ten minutes ago; returns how many."""
    return limits.prune()
