"""SQLite: copying the live database with the online backup API, and copying a backup back into it.

``sqlite3.Connection.backup`` with every page in one step reads one
consistent snapshot: in WAL mode writers carry on while it runs, and what
they commit meanwhile is simply not in the copy. Restoring runs the same
API the other way, which writes the live file in one transaction: it is
replaced whole or, on any failure, left as it was.
"""

import sqlite3
from contextlib import closing
from pathlib import Path

from casework.backup.archive import BackupError

SUFFIX = ".sqlite"
_WAIT_SECONDS = 30


def live_path(engine):
    """The file of the app's SQLite database; an in-memory database cannot be backed up."""
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError("only a SQLite database in a file can be backed up")
    return Path(name)


def _uri(path, mode):
    """A URI opening ``path`` in ``mode`` (``ro``/``rw``): never creates a missing database."""
    return f"{Path(path).resolve().as_uri()}?mode={mode}"


def dump(engine, target):
    """Copies the live database to the new file ``target`` (a consistent snapshot)."""
    try:
        live = sqlite3.connect(_uri(live_path(engine), "rw"), uri=True, timeout=_WAIT_SECONDS)
        with closing(live) as source, closing(sqlite3.connect(target)) as copy:
            source.backup(copy)
            # The copy is a standalone file: no WAL beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        raise BackupError(f"the SQLite database could not be copied ({error})") from error


def revision(path):
    """The Alembic revision recorded in the SQLite file at ``path`` (None when there is none)."""
    with closing(sqlite3.connect(_uri(path, "ro"), uri=True)) as connection:
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            return None
    return row[0] if row else None


def _check(path):
    """Refuses a staged copy that SQLite does not find intact."""
    with closing(sqlite3.connect(_uri(path, "ro"), uri=True)) as connection:
        try:
            verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise BackupError(f"the archived database is not a readable SQLite file ({error})") from error
    if verdict != "ok":
        raise BackupError("the archived database fails SQLite's integrity check")


def restore(engine, staged):
    """Replaces the live database with the checked copy ``staged``, in one transaction."""
    _check(staged)
    # The app's pooled connections would keep reading the old pages.
    engine.dispose()
    target = sqlite3.connect(_uri(live_path(engine), "rw"), uri=True, timeout=_WAIT_SECONDS, isolation_level=None)
    with closing(sqlite3.connect(staged)) as source, closing(target) as live:
        try:
            # Python's backup retries a locked database forever: first make sure no one holds the write lock.
            live.execute("BEGIN IMMEDIATE")
            live.execute("ROLLBACK")
            source.backup(live)
        except sqlite3.Error as error:
            raise BackupError(f"the live database could not be written, nothing changed ({error})") from error
