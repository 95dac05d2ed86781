"""Periodic jobs: registry, housekeeping, and one run at a time across scheduler processes."""

from datetime import timedelta

import sqlalchemy as sa

from casework.auth.models import LoginAttempt
from casework.core.types import utcnow
from casework.extensions import db
from casework.scheduling import JOBS, Job, advisory_key, load_jobs, run_job, try_exclusive


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


def test_run_job_command_runs_the_job_now(app):
    result = app.test_cli_runner().invoke(args=["casework", "run-job", "auth.purge_login_attempts"])
    assert result.exit_code == 0, result.output
    assert "auth.purge_login_attempts: done" in result.output


def test_unknown_job_is_refused_clearly(app):
    result = app.test_cli_runner().invoke(args=["casework", "run-job", "tidak.ada"])
    assert result.exit_code == 2
    assert "unknown job" in result.output


def test_failed_job_is_logged_without_its_message_and_reported(app, caplog, monkeypatch):
    nik = "".join(["3275", "0141", "0190", "0001"])  # not a literal: stack lines show source code

    def explode():
        raise RuntimeError(f"NIK {nik}")

    monkeypatch.setitem(JOBS, "test.explode", Job("test.explode", explode, {}))
    assert run_job(app, "test.explode") == "failed"
    assert "job test.explode failed: RuntimeError" in caplog.text
    assert "3275014101900001" not in caplog.text
    result = app.test_cli_runner().invoke(args=["casework", "run-job", "test.explode"])
    assert result.exit_code == 1
    assert "test.explode failed" in result.output
