"""Taking a backup of the running service, and restoring one (docs/backup.md).

A backup dumps the database first, then copies the stored files. Files are
written once, before the row that points at them commits, so every file the
dumped rows name is already on disk when the files are copied; a file
uploaded meanwhile is merely extra. No lock is held longer than the dump.

A restore checks the whole archive into a staging area before it touches
anything, then swaps the stored files in and restores the database; if the
database cannot be restored, the files are swapped back.
"""

import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app

from casework.backup import postgres, sqlite
from casework.backup.archive import (
    FORMAT,
    FORMAT_VERSION,
    BackupError,
    file_digest,
    read_manifest,
    unpack_checked,
    write_archive,
)
from casework.backup.stored_files import list_stored_files, swap_back, swap_in
from casework.extensions import db
from casework.files.storage import files_root


def database_kind(engine=None):
    """``sqlite`` or ``postgresql``: the kind of the app's database."""
    return (engine or db.engine).dialect.name


def backup_folder():
    """Where archives go when no path is given: ``BACKUP_PATH``, else ``<instance>/backups``."""
    return Path(current_app.config.get("BACKUP_PATH") or Path(current_app.instance_path) / "backups")


def _known_revision(revision):
    """True when this code's migrations know ``revision`` (so the schema is not newer than the code)."""
    script = ScriptDirectory(current_app.extensions["migrate"].directory)
    try:
        return revision is not None and script.get_revision(revision) is not None
    except CommandError:
        return False


def _dump_database(engine, folder):
    """Dumps the database into ``folder``; returns (path, revision, details for the manifest)."""
    kind = database_kind(engine)
    if kind == "sqlite":
        path = folder / f"database{sqlite.SUFFIX}"
        sqlite.dump(engine, path)
        return path, sqlite.revision(path), {}
    if kind == "postgresql":
        schema = postgres.current_schema(engine)
        path = folder / f"database{postgres.SUFFIX}"
        revision = postgres.revision(engine, schema)
        postgres.dump(engine, schema, path)
        return path, revision, {"schema": schema}
    raise BackupError(f"backups of {kind} databases are not supported")


def create_backup(out=None, progress=print):
    """Writes one archive of the database and the stored files; returns (archive path, manifest).

    ``out`` is the archive's path when it ends in ``.tar.gz``, else a folder
    for it (default ``backup_folder()``).
    """
    now = datetime.now(UTC)
    target = Path(out) if out else backup_folder()
    if not target.name.endswith(".tar.gz"):
        target = target / f"casework-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz"
    target.parent.mkdir(parents=True, exist_ok=True)
    engine = db.engine
    with tempfile.TemporaryDirectory(prefix=".casework-backup-", dir=target.parent) as scratch:
        progress(f"database: dumping ({database_kind(engine)})")
        database_file, revision, details = _dump_database(engine, Path(scratch))
        size, sha256 = file_digest(database_file)
        progress(f"database: {size} bytes at revision {revision}")
        stored = list_stored_files(files_root())
        entries = []
        for key, path in stored:
            file_size, file_sha = file_digest(path)
            entries.append({"key": key, "size": file_size, "sha256": file_sha})
        progress(f"files: {len(entries)} ({sum(entry['size'] for entry in entries)} bytes)")
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": now.isoformat(),
            "revision": revision,
            "database_kind": database_kind(engine),
            "database": {"name": database_file.name, "size": size, "sha256": sha256, **details},
            "files": {
                "count": len(entries),
                "size": sum(entry["size"] for entry in entries),
                "entries": entries,
            },
        }
        write_archive(target, manifest, database_file, stored, progress)
    return target, manifest


@dataclass
class StagedRestore:
    """A checked archive unpacked beside the live data, ready to replace it."""

    manifest: dict
    database_file: Path
    files_folder: Path


def _refuse_mismatch(manifest, engine):
    """Refuses an archive of another database kind, schema, or a schema revision this code does not know."""
    kind = database_kind(engine)
    if manifest["database_kind"] != kind:
        raise BackupError(f"the archive holds a {manifest['database_kind']} database; this installation uses {kind}")
    if not _known_revision(manifest["revision"]):
        raise BackupError(
            f"the archive's schema revision {manifest['revision']} is unknown to this code (newer?); "
            "restore it with the Casework version that made it"
        )
    if kind == "postgresql":
        schema = postgres.current_schema(engine)
        if manifest["database"].get("schema") != schema:
            raise BackupError(
                f"the archive holds schema {manifest['database'].get('schema')}; this installation uses {schema}"
            )


@contextmanager
def staged_restore(archive_path):
    """Checks ``archive_path`` and unpacks it into staging folders, removed again on leaving the block.

    The database is staged beside the archive (where there was room for it),
    the files inside the files folder (so that swapping them in is renames).
    Raises ``BackupError`` (nothing live touched) for a damaged, altered or
    foreign archive, or one that does not fit this installation.
    """
    manifest = read_manifest(archive_path)
    engine = db.engine
    _refuse_mismatch(manifest, engine)
    root = files_root()
    root.mkdir(parents=True, exist_ok=True)
    database_folder = Path(tempfile.mkdtemp(prefix=".casework-restore-", dir=Path(archive_path).parent))
    files_folder = Path(tempfile.mkdtemp(prefix=".restore-", dir=root))
    try:
        unpack_checked(archive_path, manifest, database_folder / manifest["database"]["name"], files_folder)
        yield StagedRestore(manifest, database_folder / manifest["database"]["name"], files_folder)
    finally:
        shutil.rmtree(database_folder, ignore_errors=True)
        shutil.rmtree(files_folder, ignore_errors=True)


def apply_restore(staged, progress=print):
    """Replaces the stored files and the database with the staged ones; the files go back if the database fails."""
    engine = db.engine
    db.session.remove()
    root = files_root()
    progress(f"files: putting back {staged.manifest['files']['count']}")
    previous = swap_in(root, staged.files_folder)
    try:
        progress("database: restoring")
        if database_kind(engine) == "sqlite":
            sqlite.restore(engine, staged.database_file)
        else:
            postgres.restore(engine, staged.database_file)
    except BaseException:
        swap_back(root, staged.files_folder, previous)
        raise
    shutil.rmtree(previous, ignore_errors=True)
