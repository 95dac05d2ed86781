"""``flask casework close --month YYYY-MM``: closes a month's figures from the command line."""

import click

from casework.cli import casework_cli
from casework.core.errors import ServiceError
from casework.extensions import db
from casework.figures.close import close_month, parse_month
from casework.figures.import_commands import agency_option


@casework_cli.command("close")
@click.option("--month", "month_text", required=True, help="The month to close, as YYYY-MM.")
@click.option("--agency", "agency_code", help="The agency's code (needed when the database holds several).")
def close_command(month_text, agency_code):
    """Freezes a month's figures as a new revision, or says they are unchanged since the last one."""
    agency = agency_option(agency_code)
    try:
        close, changed = close_month(agency, *parse_month(month_text))
    except ServiceError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    state = "closed" if changed else "unchanged"
    click.echo(f"{close.year}-{close.month:02d}: revision {close.revision} {state}")
