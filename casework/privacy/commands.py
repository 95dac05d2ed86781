"""``flask casework privacy anonymise`` and ``flask casework privacy subject-export``."""

import uuid as uuid_module

import click
import sqlalchemy as sa

from casework.cli import casework_cli
from casework.clients.models import Client
from casework.extensions import db
from casework.privacy.subject import write_subject_export
from casework.privacy.sweep import BATCH, sweep


@casework_cli.group("privacy")
def privacy_group():
    """Data protection: the retention sweep and data-subject exports."""


@privacy_group.command("anonymise")
@click.option("--dry-run", is_flag=True, help="Count what is past retention; change nothing.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), help="Apply retention as on this day.")
@click.option("--batch-size", default=BATCH, show_default=True, type=click.IntRange(1, 100_000))
def anonymise_command(dry_run, today, batch_size):
    """Anonymises clients past retention and strips old findings and import files (the privacy.anonymise job)."""
    counts = sweep(today=today.date() if today else None, dry_run=dry_run, batch=batch_size)
    db.session.commit()
    verb = "past retention (dry run, nothing changed)" if dry_run else "anonymised/removed"
    reports, files = counts["reports"], counts["import_files"]
    click.echo(f"{verb}: {counts['clients']} clients, {reports} reports, {files} import files")


@privacy_group.command("subject-export")
@click.option("--client", "client_uuid", required=True, help="The client's UUID.")
@click.option("--out", "target", required=True, type=click.Path(dir_okay=False, writable=True))
def subject_export_command(client_uuid, target):
    """Writes everything held on one client to a zip (one CSV per table, their files, a manifest)."""
    try:
        key = uuid_module.UUID(client_uuid)
    except ValueError:
        raise click.BadParameter("not a UUID", param_hint="--client") from None
    client = db.session.scalar(sa.select(Client).where(Client.uuid == key))
    if client is None:
        raise click.BadParameter("no such client", param_hint="--client")
    manifest = write_subject_export(client, target)
    db.session.commit()
    rows = sum(entry["rows"] for entry in manifest["tables"])
    click.echo(f"wrote {target}: {len(manifest['tables'])} tables, {rows} rows, {len(manifest['files'])} files")
