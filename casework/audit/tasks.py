"""The audit trail's periodic job: sealing new entries into the hash chain every minute."""

from casework.audit.chain import seal
from casework.scheduling import job


@job("audit.seal", minute="*")
def seal_audit_trail():
    """Seals the entries written since the last run, in committed batches."""
    return seal()
