"""``flask casework report``: an indicator's achievement table, or every row behind one of its numbers, as a file.

The same figures as the pages and the API: ``--quarter`` or ``--month``
picks the period (cumulative indicators count from 1 January to its end),
without either the whole year. ``achievement`` writes the table (CSV, XLSX
or JSON); ``counted`` the rows behind one number (CSV or XLSX, written while
they are read, so a million rows take no more memory than a thousand).
Output goes to standard output or ``--output``.
"""

import click

from casework.cli import casework_cli
from casework.core.errors import ServiceError
from casework.figures import counted_export, exports
from casework.figures.achievement import TOTAL_ROW, report_for
from casework.figures.close_queries import closed_keyed
from casework.figures.drilldown import DENOMINATOR, REALISATION, counted
from casework.figures.import_commands import agency_option


@casework_cli.group("report")
def report_group():
    """Official figures as files."""


def _report_options(command):
    """The options naming a report: indicator, period, decimals and agency."""
    options = (
        click.option("--indicator", required=True, help="Indicator code, e.g. KAB-2-PENERIMA or OUTREACH-REACHED."),
        click.option("--year", required=True, type=int),
        click.option("--quarter", type=click.IntRange(1, 4), help="A quarter (1-4) of the year."),
        click.option("--month", type=click.IntRange(1, 12), help="A month (1-12) of the year."),
        click.option("--places", type=click.IntRange(0, 4), default=2, show_default=True, help="Decimals of the %."),
        click.option("--agency", "agency_code", help="The agency's code (needed when the database holds several)."),
    )
    for option in reversed(options):
        command = option(command)
    return command


def _service_call(call, *args):
    """``call(*args)``, a refusal (unknown indicator, bad period or row) becoming the command's error message."""
    try:
        return call(*args)
    except ServiceError as error:
        details = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in error.fields.items())
        raise click.ClickException(f"{error.message} {details}".strip()) from error


def _report(indicator, year, quarter, month, places, agency_code):
    """The agency and the achievement report the options name."""
    if quarter and month:
        raise click.UsageError("give --quarter or --month, not both")
    args = {"indicator": indicator, "year": year, "quarter": quarter, "month": month, "places": places}
    given = {key: value for key, value in args.items() if value is not None}
    agency = agency_option(agency_code)
    return agency, _service_call(report_for, agency, given)


@report_group.command("achievement")
@_report_options
@click.option("--format", "fmt", type=click.Choice(exports.FORMATS), default="csv", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default: stdout).")
def achievement_command(indicator, year, quarter, month, places, agency_code, fmt, output):
    """Writes an indicator's achievement per unit, with the total row, for a year, quarter or month."""
    _agency, report = _report(indicator, year, quarter, month, places, agency_code)
    data = exports.render(report, fmt)
    if output:
        with open(output, "wb") as file:
            file.write(data)
        click.echo(f"{exports.filename(report, fmt)} → {output}", err=True)
    else:
        click.echo(data, nl=False)


@report_group.command("counted")
@_report_options
@click.option("--row", default=TOTAL_ROW, show_default=True, help='A row\'s key (a unit id, "agency", "none").')
@click.option("--part", type=click.Choice((REALISATION, DENOMINATOR)), default=REALISATION, show_default=True)
@click.option("--names/--no-names", default=False, show_default=True, help="Include the clients' names.")
@click.option("--format", "fmt", type=click.Choice(counted_export.FORMATS), default="csv", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False, writable=True), help="File to write (CSV: default stdout).")
def counted_command(indicator, year, quarter, month, places, agency_code, row, part, names, fmt, output):
    """Writes every client or record behind one number of a report (a closed month's frozen ones)."""
    if fmt == "xlsx" and not output:
        raise click.UsageError("an XLSX file needs --output")
    agency, report = _report(indicator, year, quarter, month, places, agency_code)
    select = _service_call(counted, agency, report.indicator, report.period, row, part, closed_keyed(report))
    if not output:
        for chunk in counted_export.csv_chunks(select, names):
            click.echo(chunk, nl=False)
        return
    with open(output, "wb") as file:
        if fmt == "csv":
            file.writelines(counted_export.csv_chunks(select, names))
        else:
            counted_export.write_xlsx(report, select, names, file)
    click.echo(f"{counted_export.filename(report, fmt, row)} → {output}", err=True)
