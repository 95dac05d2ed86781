"""``flask casework import``: records from CSV files (``targets``, ``population``; issue 7 adds more kinds).

Each command checks the whole file and prints every error by line and column;
a file with any error imports nothing and exits with status 1. ``--dry-run``
prints what would be created, updated or left unchanged, and writes nothing.
"""

import click
import sqlalchemy as sa

from casework.cli import casework_cli
from casework.extensions import db
from casework.figures import csv_import, population, targets
from casework.org.models import Agency


@casework_cli.group("import")
def import_group():
    """Imports records from CSV files; all rows or none, and the same file twice changes nothing."""


def agency_option(code):
    """The agency named by ``--agency``, or the only one of this deployment."""
    if code:
        agency = db.session.scalar(sa.select(Agency).where(Agency.code == code))
        if agency is None:
            raise click.BadParameter(f"no agency has code {code}", param_hint="--agency")
        return agency
    agencies = db.session.scalars(sa.select(Agency).limit(2)).all()
    if len(agencies) != 1:
        raise click.BadParameter("name the agency (this database holds none or several)", param_hint="--agency")
    return agencies[0]


def _run(spec, file, dry_run, agency_code):
    """Checks (and unless ``dry_run`` imports) ``file`` for the agency; prints the errors or the summary."""
    agency = agency_option(agency_code)
    content = file.read(csv_import.MAX_BYTES + 1)
    plan = csv_import.plan(spec, agency, content)
    for error in plan.errors:
        where = f"line {error.line}" if error.line else "file"
        click.echo(f"{where}{', ' + error.column if error.column else ''}: {error.message}", err=True)
    if not plan.ok:
        raise click.ClickException(f"{len(plan.errors)} error(s); nothing imported")
    if not dry_run:
        csv_import.apply(spec, agency, content)
        db.session.commit()
    summary = plan.summary
    verb = "would be" if dry_run else "were"
    click.echo(
        f"{summary['create']} created, {summary['update']} updated, {summary['unchanged']} unchanged"
        f" ({spec.name} {verb} imported for {agency.code})"
    )


_FILE = click.argument("file", type=click.File("rb"))
_DRY_RUN = click.option("--dry-run", is_flag=True, help="Check the file and show what would change; write nothing.")
_AGENCY = click.option("--agency", "agency_code", help="The agency's code (needed when the database holds several).")


@import_group.command("targets")
@_FILE
@_DRY_RUN
@_AGENCY
def import_targets_command(file, dry_run, agency_code):
    """Annual targets from CSV: year, unit_code, indicator_code, target (the agency's code for agency-wide)."""
    _run(targets.IMPORT, file, dry_run, agency_code)


@import_group.command("population")
@_FILE
@_DRY_RUN
@_AGENCY
def import_population_command(file, dry_run, agency_code):
    """Registered PPKS population from CSV: year, region_code, category_code, count."""
    _run(population.IMPORT, file, dry_run, agency_code)
