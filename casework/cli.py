"""The ``flask casework`` command group."""

import logging
from importlib import import_module

import click
from flask import current_app
from flask.cli import AppGroup

from casework.extensions import db

casework_cli = AppGroup("casework", help="Casework administration commands.")


@casework_cli.command("load-reference")
def load_reference_command():
    """Loads (or brings up to date) categories, services, SPM types and regions. Safe to repeat."""
    from casework.reference.loader import load_reference

    counts = load_reference()
    db.session.commit()
    for name, count in counts.items():
        click.echo(f"{name:>20}: {count}")


@casework_cli.command("demo-data")
def demo_data_command():
    """Creates a demo city agency (Kota Bekasi) with one user per role, and prints the logins."""
    from casework.demo import load_demo_data

    logins = load_demo_data()
    db.session.commit()
    click.echo("\nDemo logins (Dinas Sosial Kota Bekasi):")
    for login in logins:
        click.echo(f"  {login['role']:<13} {login['username']:<11} {login['password']}   {login['full_name']}")


@casework_cli.command("scheduler")
def scheduler_command():
    """Runs the periodic jobs (Asia/Jakarta time) until stopped. Run one or more; each job runs once."""
    from casework.scheduling import start_scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    start_scheduler(current_app._get_current_object())


@casework_cli.command("run-job")
@click.argument("job_id")
def run_job_command(job_id):
    """Runs one periodic job now (for operators and tests)."""
    from casework.scheduling import load_jobs, run_job

    jobs = load_jobs()
    if job_id not in jobs:
        raise click.BadParameter(f"unknown job; known: {', '.join(sorted(jobs))}", param_hint="JOB_ID")
    outcome = run_job(current_app._get_current_object(), job_id)
    click.echo(f"{job_id}: {outcome}")
    if outcome == "failed":
        raise click.ClickException(f"{job_id} failed; see the log")


def register_cli(app):
    """Adds the ``casework`` command group, with every feature's commands, to ``flask``."""
    import_module("casework.admin.commands")
    import_module("casework.clients.commands")
    import_module("casework.figures.import_commands")
    import_module("casework.imports.commands")
    import_module("casework.figures.commands")
    import_module("casework.figures.close_commands")
    import_module("casework.exports.agency_commands")
    import_module("casework.audit.commands")
    import_module("casework.backup.commands")
    import_module("casework.privacy.commands")
    app.cli.add_command(casework_cli)
