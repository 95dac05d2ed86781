"""Periodic housekeeping for offline sync."""

from casework.scheduling import job
from casework.sync import cursor, uploads


@job("sync.prune_changes", hour=3, minute=15)
def prune_changes():
    """Deletes the feed rows older than any cursor still accepted; returns how many."""
    return cursor.prune()


@job("sync.purge_uploads", hour=3, minute=20)
def purge_uploads():
    """Deletes the resumable uploads untouched for a day, with their part files; returns how many."""
    return uploads.purge()
