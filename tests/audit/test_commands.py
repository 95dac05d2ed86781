"""``flask casework audit seal|verify`` and the ``audit.seal`` job: output and exit status."""

import sqlalchemy as sa

from casework.audit import chain
from casework.audit.models import AuditEvent
from casework.extensions import db
from casework.scheduling import load_jobs, run_job
from tests.audit.helpers import tamper, write_entries


def _cli(app, *args):
    """Runs ``flask casework audit ARGS``."""
    return app.test_cli_runner().invoke(args=["casework", "audit", *args])


def test_seal_then_verify_exits_0_and_prints_the_head(app):
    write_entries(12)
    sealed = _cli(app, "seal", "--batch-size", "5")
    assert sealed.exit_code == 0, sealed.output
    seq, digest = chain.head()
    assert f"head seq {seq} hash {digest}" in sealed.output
    checked = _cli(app, "verify", "--anchor", f"{seq}:{digest}")
    assert checked.exit_code == 0, checked.output
    assert f"verified {seq} entries; 0 not sealed yet" in checked.output
    assert f"{seq}:{digest}" in checked.output


def test_verify_exits_1_naming_the_first_broken_link(app):
    ids = write_entries(5)
    chain.seal()
    tamper("UPDATE audit_event SET object_id = '7' WHERE id = :id", id=ids[1])
    tamper("DELETE FROM audit_event WHERE id = :id", id=ids[3])
    seq = db.session.scalar(sa.select(AuditEvent.seq).where(AuditEvent.id == ids[1]))
    result = _cli(app, "verify")
    assert result.exit_code == 1
    assert f"BROKEN at seq {seq} (id {ids[1]}, test.entry," in result.output
    assert "hash differs" in result.output
    assert "seq gap" not in result.output  # only the first break


def test_verify_refuses_a_malformed_anchor(app):
    result = _cli(app, "verify", "--anchor", "12:nothex")
    assert result.exit_code == 2
    assert "SEQ:HASH" in result.output


def test_the_seal_job_is_registered_and_seals(app):
    assert load_jobs()["audit.seal"].cron == {"minute": "*"}
    write_entries(3)
    assert run_job(app, "audit.seal") == "done"
    assert chain.unsealed_count() == 0
    assert chain.verify().broken is None
