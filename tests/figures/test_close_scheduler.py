"""Two scheduler processes against one database close the month once (real OS processes, committed data).

Every step runs in its own process against a fresh database (a SQLite file,
or a PostgreSQL schema): one builds it and commits an agency with a case in
the previous month; then two scheduler processes run the monthly close. On
PostgreSQL both start the job at the same instant: one takes the job's
advisory lock and closes the month; the other skips, or (when the first had
already committed) finds the figures unchanged. SQLite has one writer and one
scheduler process: there the two run one after the other, and the second
finds the figures unchanged. Either way the month has one revision.
"""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa

from tests.conftest import database_config

ROOT = Path(__file__).resolve().parents[2]
SETUP = """
from flask_migrate import upgrade
from casework import create_app
from casework.cases.models import IntakeChannel
from casework.extensions import db
from casework.figures.close import local_today, previous_month
from casework.reference.loader import load_reference
from tests.factories import Factories
from tests.figures.builders import Builder

app = create_app({"SECRET_KEY": "scheduler-test"})
with app.app_context():
    upgrade()
    load_reference()
    make = Factories()
    division = make.unit(code="SEKR", name="Sekretariat")
    officer = make.user(unit=division)
    year, month = previous_month(local_today())
    Builder(division.agency, officer, division).case(
        None, division, IntakeChannel.OUTREACH, local_today().replace(year=year, month=month, day=1)
    )
    db.session.commit()
    print(year, month)
"""
# A scheduler process reduced to one run of the job, started at an agreed instant (argv[1], epoch seconds).
RUN = """
import sys, time
from casework import create_app
from casework.scheduling import load_jobs, run_job

app = create_app({"SECRET_KEY": "scheduler-test"})
load_jobs()
time.sleep(max(0.0, float(sys.argv[1]) - time.time()))
print(run_job(app, "figures.monthly_close"))
"""


def _start(config, instance, script, *args):
    """Starts ``script`` in a new interpreter on the test database (a PostgreSQL schema as a connection option)."""
    url = config["SQLALCHEMY_DATABASE_URI"]
    options = config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).get("connect_args", {}).get("options")
    env = {
        **os.environ,
        "DATABASE_URL": f"{url}?options={quote(options)}" if options else url,
        "CASEWORK_INSTANCE_PATH": instance,
    }
    command = [sys.executable, "-c", script, *args]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603


def _last_line(process):
    """The last line a finished process printed (it must have succeeded)."""
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, err.decode()[-2000:]
    return out.decode().strip().splitlines()[-1]


def test_two_scheduler_processes_close_the_month_once(tmp_path):
    config = database_config("close_procs")
    instance = str(tmp_path)
    year, month = map(int, _last_line(_start(config, instance, SETUP)).split())

    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        outcomes = [_last_line(_start(config, instance, RUN, "0")) for _run in range(2)]
        assert outcomes == ["done", "done"]
    else:
        at = str(time.time() + 10)  # both have started the app by then
        processes = [_start(config, instance, RUN, at) for _run in range(2)]
        outcomes = sorted(_last_line(process) for process in processes)
        assert outcomes in (["done", "skipped"], ["done", "done"])

    engine = sa.create_engine(config["SQLALCHEMY_DATABASE_URI"], **config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    with engine.connect() as connection:
        revisions = connection.execute(sa.text("SELECT year, month, revision FROM month_close")).all()
        actions = connection.scalars(
            sa.text("SELECT action FROM audit_event WHERE action LIKE 'figures.month_close%' ORDER BY id")
        ).all()
    engine.dispose()
    assert revisions == [(year, month, 1)]
    # The month was closed once; a run after it found nothing changed.
    assert actions[0] == "figures.month_closed" and actions[1:] in ([], ["figures.month_close_unchanged"])
    assert len(actions) == outcomes.count("done")
