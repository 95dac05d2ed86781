"""``flask casework synth``: synthetic clients and cases of realistic shape for benchmarks."""

import time

import click
import sqlalchemy as sa

from casework.cases.synth import synthesise_cases
from casework.cli import casework_cli
from casework.clients.synth import SynthError, synthesise
from casework.demo import AGENCY_CODE
from casework.extensions import db
from casework.org.models import Agency

PROGRESS_EVERY = 100_000


@casework_cli.command("synth")
@click.option("--clients", "count", required=True, type=click.IntRange(min=0), help="How many clients to add.")
@click.option(
    "--cases",
    "case_count",
    type=click.IntRange(min=0),
    help="How many cases to add (about 10 deliveries each); default: as many as --clients, one per new client.",
)
@click.option("--seed", default=0, show_default=True, help="The same seed gives the same clients.")
@click.option("--agency-code", default=AGENCY_CODE, show_default=True, help="The agency that receives them.")
def synth_command(count, case_count, seed, agency_code):
    """Adds synthetic clients (names, NIKs, regions, categories), then cases, to an agency, in committed batches."""
    agency = db.session.scalar(sa.select(Agency).where(Agency.code == agency_code))
    if agency is None:
        hint = " Run `flask casework demo-data` first." if agency_code == AGENCY_CODE else ""
        raise click.ClickException(f"agency {agency_code} does not exist.{hint}")
    start = time.perf_counter()
    try:
        for done in synthesise(agency, count, seed=seed):
            # Committed per batch: an interrupted run keeps whole clients, and no transaction grows with N.
            db.session.commit()
            if done % PROGRESS_EVERY == 0 or done == count:
                click.echo(f"{done:>10,} clients  {done / (time.perf_counter() - start):>8,.0f}/s")
    except SynthError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    elapsed = time.perf_counter() - start
    if count:
        click.echo(f"{count:,} clients added to {agency.code} in {elapsed:.1f} s ({count / elapsed:,.0f} clients/s)")
    _synth_cases(agency, count if case_count is None else case_count, seed)


def _synth_cases(agency, count, seed):
    """Adds ``count`` synthetic cases with their needs, deliveries and stays, committing per batch."""
    if not count:
        return
    start = time.perf_counter()
    done = delivered = 0
    try:
        for done, delivered in synthesise_cases(agency, count, seed=seed):
            db.session.commit()
            if done % PROGRESS_EVERY == 0 or done == count:
                rate = (done + delivered) / (time.perf_counter() - start)
                click.echo(f"{done:>10,} cases  {delivered:>11,} deliveries  {rate:>8,.0f} rows/s")
    except SynthError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    elapsed = time.perf_counter() - start
    click.echo(f"{done:,} cases and {delivered:,} deliveries added to {agency.code} in {elapsed:.1f} s")
