"""Data protection's periodic job: the daily retention sweep (anonymisation of clients past retention)."""

from casework.privacy.sweep import JOB_ID, sweep
from casework.scheduling import job


@job(JOB_ID, hour=2, minute=30)
def anonymise_past_retention():
    """Anonymises clients, strips findings and drops import files past their agency's retention (02:30 WIB)."""
    return sweep()
