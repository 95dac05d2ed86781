"""``flask casework backup`` and ``flask casework restore`` (docs/backup.md)."""

import click

from casework.backup.archive import BackupError
from casework.backup.operations import apply_restore, create_backup, staged_restore
from casework.cli import casework_cli


def _refused(error, what):
    """A ClickException (non-zero exit) for a failed backup or restore, with why."""
    if isinstance(error, BackupError):
        return click.ClickException(f"{what}: {error}")
    # An OSError (disk full, no permission) names its file, never personal data.
    return click.ClickException(f"{what}: {error.strerror or type(error).__name__} ({error.filename or ''})")


@casework_cli.command("backup")
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=True, dir_okay=True, writable=True),
    help="The archive to write, or a folder for it (default: BACKUP_PATH or instance/backups).",
)
def backup_command(out):
    """Writes one archive of the database and the stored files while the service keeps running."""
    try:
        path, manifest = create_backup(out, progress=click.echo)
    except (BackupError, OSError) as error:
        raise _refused(error, "backup failed, no archive written") from error
    size = path.stat().st_size
    click.echo(f"backup written: {path} ({size} bytes, {manifest['files']['count']} files)")


@casework_cli.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the current data.")
def restore_command(archive, yes):
    """Replaces the database and the stored files with a backup's. Stop the app processes first."""
    try:
        with staged_restore(archive) as staged:
            manifest = staged.manifest
            click.echo(
                f"archive checked: {manifest['database_kind']} database at revision {manifest['revision']},"
                f" {manifest['files']['count']} files, taken {manifest['created_at']}"
            )
            if not yes:
                click.confirm("This REPLACES the current database and stored files. Continue?", abort=True)
            apply_restore(staged, progress=click.echo)
    except (BackupError, OSError) as error:
        raise _refused(error, "restore refused, nothing changed") from error
    click.echo(f"restored: database at revision {manifest['revision']} and {manifest['files']['count']} files")
