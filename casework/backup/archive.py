"""The backup archive: one ``.tar.gz`` holding ``manifest.json`` first, then the database, then the stored files.

The manifest names every other member with its size and SHA-256, so a
restore reads the manifest, then checks every byte against it while
unpacking into a staging folder, before anything live is touched. Members
are written and read one by one; nothing is unpacked by ``extractall``, and
a name that could leave the staging folder is refused.
"""

import hashlib
import json
import os
import tarfile
import time
from pathlib import Path, PurePosixPath

FORMAT = "casework-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FILES_PREFIX = "files/"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


def file_digest(path):
    """(size, SHA-256 hex) of the file at ``path``."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _member(name, size):
    """A tar header for a regular file ``name`` of ``size`` bytes, readable by its owner only."""
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(time.time())
    return info


def write_archive(target, manifest, database_file, stored_files, progress):
    """Writes the archive to ``target`` through a ``.partial`` name, renamed only once complete.

    ``stored_files`` is [(relative key, path)] as listed in the manifest. A
    failure (disk full, a file gone) deletes the partial archive and raises.
    """
    target = Path(target)
    partial = target.with_name(target.name + ".partial")
    try:
        # The archive holds personal data: readable by its owner only, from the first byte.
        partial.touch(mode=0o600)
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            body = json.dumps(manifest, indent=2, sort_keys=True).encode()
            archive.addfile(_member(MANIFEST, len(body)), fileobj=_BytesReader(body))
            with open(database_file, "rb") as handle:
                archive.addfile(_member(manifest["database"]["name"], manifest["database"]["size"]), handle)
            for index, (key, path) in enumerate(stored_files, start=1):
                with open(path, "rb") as handle:
                    archive.addfile(_member(FILES_PREFIX + key, os.fstat(handle.fileno()).st_size), handle)
                if index % 500 == 0:
                    progress(f"files: {index}/{len(stored_files)} archived")
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


class _BytesReader:
    """The smallest file-like object ``tarfile.addfile`` reads from."""

    def __init__(self, data):
        """Wraps ``data``."""
        self._data = memoryview(data)
        self._at = 0

    def read(self, size=-1):
        """The next ``size`` bytes (all that is left when negative)."""
        end = len(self._data) if size is None or size < 0 else self._at + size
        chunk = bytes(self._data[self._at : end])
        self._at += len(chunk)
        return chunk


def _safe_key(name):
    """The stored-file key of member ``name``, or None when it could leave the files folder."""
    key = name[len(FILES_PREFIX) :]
    parts = PurePosixPath(key).parts
    if not key or key.startswith("/") or any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    return key


def _check_manifest(manifest):
    """Refuses a manifest that is not one of ours, or of a format this code does not read."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("not a Casework backup (its manifest.json is missing or foreign)")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"backup format version {manifest.get('format_version')} is not one this code reads")
    for key in ("database", "files", "revision", "database_kind"):
        if key not in manifest:
            raise BackupError(f"the manifest lacks '{key}'")
    database, files = manifest["database"], manifest["files"]
    entries = files.get("entries") if isinstance(files, dict) else None
    if not isinstance(database, dict) or not {"name", "size", "sha256"} <= database.keys():
        raise BackupError("the manifest does not describe the database")
    described = {"key", "size", "sha256"}
    if not isinstance(entries, list) or not all(isinstance(e, dict) and described <= e.keys() for e in entries):
        raise BackupError("the manifest does not list the stored files")


def read_manifest(archive_path):
    """The manifest of the archive at ``archive_path``: its first member. Reads nothing else."""
    try:
        with tarfile.open(archive_path, "r|gz") as archive:
            first = archive.next()
            if first is None or first.name != MANIFEST or not first.isfile() or first.size > 64 * 1024 * 1024:
                raise BackupError("not a Casework backup (manifest.json is not its first member)")
            manifest = json.loads(archive.extractfile(first).read())
    except (tarfile.TarError, OSError, EOFError, ValueError) as error:
        if isinstance(error, FileNotFoundError):
            raise BackupError(f"no such file: {archive_path}") from error
        raise BackupError(f"not a readable backup archive ({type(error).__name__})") from error
    _check_manifest(manifest)
    return manifest


def _copy_checked(source, target, expected, label):
    """Copies the member ``source`` to ``target``, refusing it unless its size and SHA-256 are ``expected``."""
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "xb") as out:
        while chunk := source.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if (size, digest.hexdigest()) != (expected["size"], expected["sha256"]):
        raise BackupError(f"{label} does not match its manifest entry (damaged or altered archive)")


def unpack_checked(archive_path, manifest, database_target, files_target):
    """Unpacks the database to ``database_target`` and the files under ``files_target``, checking every hash.

    Refuses (``BackupError``) a member the manifest does not list, one listed
    but missing, a hash or size that differs, and any unsafe name. The caller
    removes what was unpacked when this raises.
    """
    expected_files = {entry["key"]: entry for entry in manifest["files"]["entries"]}
    database = manifest["database"]
    seen_database = False
    seen_files = set()
    try:
        with tarfile.open(archive_path, "r|gz") as archive:
            for index, member in enumerate(archive):
                if index == 0:
                    continue  # the manifest, read already
                if not member.isfile():
                    raise BackupError(f"unexpected entry in the archive: {member.name!r}")
                source = archive.extractfile(member)
                if member.name == database["name"] and not seen_database:
                    _copy_checked(source, Path(database_target), database, "the database")
                    seen_database = True
                    continue
                key = _safe_key(member.name) if member.name.startswith(FILES_PREFIX) else None
                if key is None or key not in expected_files or key in seen_files:
                    raise BackupError(f"unexpected entry in the archive: {member.name!r}")
                _copy_checked(source, Path(files_target) / key, expected_files[key], f"stored file {key}")
                seen_files.add(key)
    except (tarfile.TarError, EOFError, ValueError) as error:
        raise BackupError(f"the archive is damaged ({type(error).__name__})") from error
    if not seen_database:
        raise BackupError("the archive holds no database")
    missing = len(expected_files) - len(seen_files)
    if missing:
        raise BackupError(f"{missing} stored file(s) listed in the manifest are missing from the archive")
