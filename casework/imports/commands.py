"""``flask casework import <record type> FILE``: one command per registered record type.

The command runs in the foreground: the dry run, every error by line and
column, and (unless ``--dry-run``) the import in committed batches with a
progress line. A file with any error imports nothing (exit status 1). Rows
that look like a client already registered are skipped and listed unless
``--new-when-unsure`` registers them as new people.
"""

import click

from casework.auth.models import Role, User
from casework.extensions import db
from casework.figures.import_commands import agency_option, import_group
from casework.imports import load_types, services
from casework.imports.engine import context_for, dry_run, run_import
from casework.imports.models import ImportRow, JobStatus
from casework.imports.types import ACTION_LABELS


def _actor(agency, username):
    """The user the import is recorded as: ``--user``, else the agency's first active admin."""
    select = db.select(User).where(User.agency_id == agency.id, User.active.is_(True))
    select = select.where(User.username == username) if username else select.where(User.role == Role.ADMIN)
    user = db.session.scalars(select.order_by(User.id)).first()
    if user is None:
        raise click.BadParameter("no such active user in the agency (name one with --user)", param_hint="--user")
    return user


def _print_report(job):
    """Prints the errors and the rows needing a decision, then the counts."""
    rows = db.session.scalars(
        db.select(ImportRow)
        .where(ImportRow.job_id == job.id, ImportRow.action.in_(("error", "decide")))
        .order_by(ImportRow.line)
    )
    for row in rows:
        for column, message in row.errors:
            where = f"line {row.line}" if row.line else "file"
            click.echo(f"{where}{', ' + column if column else ''}: {message}", err=True)
        if row.action == "decide":
            names = "; ".join(f"#{c['id']} score {c['score']}" for c in row.candidates)
            click.echo(f"line {row.line}: likely already registered ({names})", err=True)
    counts = ", ".join(f"{count} {action}" for action, count in sorted(job.counts.items()))
    click.echo(f"checked {job.total} rows: {counts or 'nothing'}")


def _progress(job):
    """One progress line, rewritten in place."""
    click.echo(f"\rimported {job.done}/{job.total} rows", nl=False)


def run(record_type, file, dry_run_only, agency_code, username, new_when_unsure):
    """Checks ``file`` and, unless ``dry_run_only``, imports it; raises ClickException on errors."""
    agency = agency_option(agency_code)
    actor = _actor(agency, username)
    job = services.upload(agency, actor, record_type.name, file.read(), file.name, new_when_unsure=new_when_unsure)
    db.session.commit()
    job = dry_run(job, context_for(job))
    _print_report(job)
    if job.error_count:
        raise click.ClickException(f"{job.error_count} row(s) with errors; nothing imported")
    if dry_run_only:
        return job
    # Undecided likely duplicates are skipped (counted as "skip") unless --new-when-unsure.
    job.new_when_unsure = bool(new_when_unsure)
    job.status = JobStatus.QUEUED
    db.session.commit()
    job = run_import(job, context_for(job), progress=_progress)
    click.echo("")
    if job.status != JobStatus.DONE:
        raise click.ClickException(f"import stopped: {job.failure}; run `flask casework import resume {job.uuid}`")
    done = ", ".join(f"{count} {ACTION_LABELS.get(action, action)}" for action, count in sorted(job.applied.items()))
    click.echo(f"{record_type.name}: {done} (agency {agency.code}, job {job.uuid})")
    return job


def _command(record_type):
    """The click command importing ``record_type``."""

    @click.argument("file", type=click.File("rb"))
    @click.option("--dry-run", "dry_run_only", is_flag=True, help="Check the file and report; write nothing.")
    @click.option("--agency", "agency_code", help="Agency code (needed when the database holds several).")
    @click.option("--user", "username", help="Username the import is recorded as (default: the first admin).")
    @click.option(
        "--new-when-unsure",
        is_flag=True,
        help="Register rows that look like an existing client as new people (default: skip and list them).",
    )
    def command(file, dry_run_only, agency_code, username, new_when_unsure):
        run(record_type, file, dry_run_only, agency_code, username, new_when_unsure)

    command.__doc__ = f"Imports {record_type.name} from a CSV or XLSX file (dry run first; idempotent by source key)."
    return import_group.command(record_type.name)(command)


for _record_type in load_types().values():
    if _record_type.name not in import_group.commands:
        _command(_record_type)


@import_group.command("resume")
@click.argument("job_uuid")
def resume_command(job_uuid):
    """Carries on a failed import job from the line it stopped at."""
    from casework.imports.models import ImportJob

    job = db.session.scalar(db.select(ImportJob).where(ImportJob.uuid == job_uuid))
    if job is None or job.status != JobStatus.FAILED:
        raise click.ClickException("no failed import job with that id")
    job.status = JobStatus.QUEUED
    db.session.commit()
    job = run_import(job, context_for(job), progress=_progress)
    click.echo("")
    if job.status != JobStatus.DONE:
        raise click.ClickException(f"import stopped again: {job.failure}")
    click.echo(f"done: {job.applied}")
