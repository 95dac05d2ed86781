"""``flask casework audit seal`` and ``flask casework audit verify``: the hash chain from the command line."""

import re

import click

from casework.audit import chain
from casework.cli import casework_cli
from casework.extensions import db

_ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


@casework_cli.group("audit")
def audit_group():
    """The tamper-evident audit trail: seal new entries into the hash chain, verify the chain."""


@audit_group.command("seal")
@click.option("--batch-size", default=chain.BATCH, show_default=True, type=click.IntRange(1, 100_000))
def seal_command(batch_size):
    """Seals every unsealed audit entry now (the audit.seal job does this every minute)."""
    sealed = chain.seal(batch_size)
    seq, digest = chain.head()
    click.echo(f"sealed {sealed} entries; head seq {seq} hash {digest}")


def _anchor(_ctx, _param, value):
    """Parses ``SEQ:HASH`` (the head printed by an earlier verify)."""
    if value is None:
        return None
    match = _ANCHOR.match(value.strip().lower())
    if not match:
        raise click.BadParameter("expected SEQ:HASH, e.g. 1200:3f1c… (64 hex digits)")
    return int(match.group(1)), match.group(2)


@audit_group.command("verify")
@click.option("--anchor", callback=_anchor, metavar="SEQ:HASH", help="A head written down earlier, checked too.")
def verify_command(anchor):
    """Recomputes the chain and reports the first broken link (exit status 1); writes nothing."""
    result = chain.verify(anchor=anchor)
    db.session.rollback()
    click.echo(f"verified {result.verified} entries; {result.unsealed} not sealed yet")
    if result.broken is not None:
        click.echo(f"BROKEN at {result.broken.describe()}", err=True)
        click.echo(f"last good entry: seq {result.head_seq} hash {result.head_hash}")
        click.get_current_context().exit(1)
    click.echo(f"chain intact; head seq {result.head_seq} hash {result.head_hash}")
    click.echo(f"anchor: write down {result.head_seq}:{result.head_hash} outside this server")
