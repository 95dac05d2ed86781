"""Periodic jobs: registry, housekeeping, and one run at a time across scheduler processes."""

from datetime import timedelta

import sqlalchemy as sa

from casework.auth.models import LoginAttempt
from casework.core.types import utcnow
from casework.extensions import db
from casework.scheduling import advisory_key, load_jobs, try_exclusive


def test_jobs_are_registered_with_cron_fields():
    jobs = load_jobs()
    assert jobs["auth.purge_login_attempts"].cron == {"hour": 2, "minute": 30}


def test_purge_keeps_recent_login_attempts(app):
    db.session.add_all(
        [
            LoginAttempt(username="lama", address="10.0.0.1", success=False, at=utcnow() - timedelta(days=91)),
            LoginAttempt(username="baru", address="10.0.0.1", success=False, at=utcnow() - timedelta(days=89)),
        ]
    )
    db.session.flush()
    assert load_jobs()["auth.purge_login_attempts"].func() == 1
    remaining = db.session.scalars(sa.select(LoginAttempt.username)).all()
    assert remaining == ["baru"]


def test_advisory_key_is_stable_and_fits_a_bigint():
    key = advisory_key("auth.purge_login_attempts")
    assert key == advisory_key("auth.purge_login_attempts")
    assert -(2**63) <= key < 2**63
    assert key != advisory_key("reports.monthly_close")


def test_second_scheduler_skips_while_the_first_holds_the_lock(app):
    """On PostgreSQL a second session cannot take the job's lock; SQLite needs none."""
    if db.engine.dialect.name != "postgresql":
        assert try_exclusive("auth.purge_login_attempts") is True
        return
    with db.engine.connect() as other:
        held = other.execute(sa.select(sa.func.pg_try_advisory_xact_lock(advisory_key("x.job")))).scalar()
        assert held is True
        assert try_exclusive("x.job") is False
        other.rollback()
    assert try_exclusive("x.job") is True
