"""Where stored files live on disk: under ``FILES_PATH`` (the instance folder by default), never under static/.

A file is written completely to a temporary name and then renamed, so a
reader never sees half a file. Its row is added only after that, so every
row points at a file. When the transaction that added the row does not
commit, the files it wrote are deleted again (see ``_forget_or_delete``).
"""

import os
import tempfile
from pathlib import Path

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

# session.info key: files written in the session's current transaction, not yet committed.
_WRITTEN = "casework.files.written"


def files_root():
    """The folder holding every stored file."""
    return Path(current_app.config.get("FILES_PATH") or Path(current_app.instance_path) / "files")


def path_of(storage_key):
    """The path of a stored file on disk."""
    return files_root() / storage_key


def write(session, storage_key, data):
    """Writes ``data`` atomically under ``storage_key``; deleted again if ``session`` does not commit."""
    path = path_of(storage_key)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    session.info.setdefault(_WRITTEN, []).append(path)


@event.listens_for(Session, "after_commit")
def _keep_committed(session):
    """The outermost transaction committed: its files stay (a released savepoint decides nothing)."""
    if not session.in_nested_transaction():
        session.info.pop(_WRITTEN, None)


@event.listens_for(Session, "after_transaction_end")
def _forget_or_delete(session, transaction):
    """The outermost transaction ended without a commit: its rows are gone, so its files go too."""
    if transaction.parent is None:
        for path in session.info.pop(_WRITTEN, ()):
            path.unlink(missing_ok=True)
