"""Imports' periodic job: picking up import jobs whose process stopped (no heartbeat for ten minutes)."""

from casework.imports.worker import resume_stalled
from casework.scheduling import job


@job("imports.resume_stalled", minute="*/5")
def resume_stalled_imports():
    """Carries on every stalled import job from the line it reached."""
    return resume_stalled()
