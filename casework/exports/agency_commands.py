"""``flask casework export-agency`` and ``import-agency``: an agency's every record, out to a zip and back in."""

import zipfile

import click
import sqlalchemy as sa

from casework.cli import casework_cli
from casework.exports.agency_export import agency_by_code, write_agency_export
from casework.exports.agency_import import ImportRefused, import_agency
from casework.extensions import db


@casework_cli.command("export-agency")
@click.option("--agency", "code", required=True, help="The agency's code, e.g. DINSOS-3275.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True), help="The zip to write.")
def export_agency_command(code, out):
    """Writes every record and stored file of the agency to a zip with a manifest (docs/agency-export.md)."""
    agency = agency_by_code(code)
    if agency is None:
        raise click.BadParameter(f"no agency has code {code}", param_hint="--agency")
    manifest = write_agency_export(agency, out, progress=lambda name, rows: click.echo(f"{name:>28}: {rows}"))
    db.session.commit()
    rows = sum(entry["rows"] for entry in manifest["tables"])
    click.echo(f"{rows} rows in {len(manifest['tables'])} tables and {len(manifest['files'])} files -> {out}")
    for key in manifest["missing_files"]:
        click.echo(f"warning: stored file {key} is missing on disk and was not exported", err=True)
    for entry in manifest["tables"]:
        if entry["left_out"] or entry["detached"]:
            click.echo(
                f"note: {entry['table']}: {entry['left_out']} rows left out, links emptied {entry['detached']}"
                " (they point at another agency's records)",
                err=True,
            )


@casework_cli.command("import-agency")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def import_agency_command(file):
    """Imports an agency export into this empty installation (reference data loaded, no agency yet); all or nothing."""
    try:
        summary = import_agency(file)
    except ImportRefused as error:
        db.session.rollback()
        raise click.ClickException(f"refused, nothing imported: {error}") from error
    except (sa.exc.SQLAlchemyError, ValueError, KeyError, zipfile.BadZipFile) as error:
        db.session.rollback()
        # The error's text may quote a row: only its kind is shown (no personal data on screens or in logs).
        raise click.ClickException(f"failed, nothing imported: {type(error).__name__}") from error
    db.session.commit()
    click.echo(
        f"{sum(summary.rows.values())} rows in {len(summary.rows)} tables and {summary.files} files imported"
        f" for agency {summary.agency_code}"
    )
