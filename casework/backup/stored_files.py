"""The stored files in a backup: listing them, and swapping a restored set in (or back out).

Entries whose name starts with a dot are never backed up or replaced: they
are uploads still being written (``.upload-*``) and the staging folders of a
restore. The swap is made of renames inside the files folder, so it needs no
space and each step is atomic.
"""

import os
import tempfile
from pathlib import Path


def list_stored_files(root):
    """[(key, path)] of every stored file under ``root``, in key order (empty when there is no folder)."""
    found = []
    if not root.is_dir():
        return found
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                path = Path(folder) / name
                found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


def _visible(folder):
    """The entries of ``folder`` that are stored files or their folders (not dot-named)."""
    return [entry for entry in folder.iterdir() if not entry.name.startswith(".")]


def swap_in(root, staged):
    """Moves the live files aside into a new ``.previous-*`` folder and ``staged``'s into their place.

    Returns the folder holding the previous files; the caller deletes it once
    the restore succeeded, or hands it to ``swap_back``.
    """
    previous = Path(tempfile.mkdtemp(prefix=".previous-", dir=root))
    try:
        for entry in _visible(root):
            entry.rename(previous / entry.name)
        for entry in _visible(staged):
            entry.rename(root / entry.name)
    except OSError:
        swap_back(root, staged, previous)
        raise
    return previous


def swap_back(root, staged, previous):
    """Undoes ``swap_in``: the restored files back to ``staged``, the previous ones back to ``root``."""
    for entry in _visible(root):
        entry.rename(staged / entry.name)
    for entry in _visible(previous):
        entry.rename(root / entry.name)
    previous.rmdir()
