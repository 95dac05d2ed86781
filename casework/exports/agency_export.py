"""The full agency export: every record of one agency as one CSV per table in a zip, with its stored files.

The zip holds ``tables/<table>.csv`` for every agency-scoped table (see
``agency_scope``; parents before children), ``files/<storage key>`` for every
stored file, and ``manifest.json``: format version, schema revision, agency,
creation time, and per file its table, columns, row count and SHA-256. Rows
are read in batches from one transaction, so the export is consistent and its
memory does not grow with the agency's size. Format: ``docs/agency-export.md``.
"""

import hashlib
import io
import json
import zipfile

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext

from casework.audit.services import record
from casework.core.types import utcnow
from casework.exports import agency_codec as codec
from casework.exports.agency_scope import FINGERPRINTED_TABLES, Scope
from casework.extensions import db
from casework.files.storage import path_of
from casework.org.models import Agency
from casework.reference.loader import REGIONS

FORMAT = "casework-agency-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH = 2000
CHUNK = 1024 * 1024


class _HashingWriter(io.RawIOBase):
    """Passes bytes on to a zip member while counting their SHA-256."""

    def __init__(self, target):
        self.target = target
        self.sha256 = hashlib.sha256()

    def writable(self):
        """Always writable."""
        return True

    def write(self, data):
        """Writes ``data`` and adds it to the digest."""
        self.sha256.update(data)
        self.target.write(data)
        return len(data)


def _member(path):
    """A compressed zip member named ``path``, dated now (UTC)."""
    info = zipfile.ZipInfo(path, date_time=utcnow().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def schema_revision(connection):
    """The Alembic revision the database is at (several heads joined by '+', None when unversioned)."""
    heads = MigrationContext.configure(connection).get_current_heads()
    return "+".join(sorted(heads)) if heads else None


def reference_fingerprints(connection):
    """Row count and SHA-256 of each reference table the exported records point at."""
    fingerprints = {}
    for name in FINGERPRINTED_TABLES:
        table = db.metadata.tables[name]
        # Load times differ between installations with the same data: timestamps are left out.
        columns = [column for column in table.columns if not isinstance(codec.base_type(column.type), sa.DateTime)]
        digest, rows = hashlib.sha256(), 0
        encoders = [codec.encoder(column.type) for column in columns]
        result = connection.execute(sa.select(*columns).order_by(*table.primary_key.columns))
        for row in result:
            line = "\x1f".join([encode(value) for encode, value in zip(encoders, row, strict=True)])
            digest.update(line.encode() + b"\n")
            rows += 1
        fingerprints[name] = {"rows": rows, "sha256": digest.hexdigest()}
    dataset = db.metadata.tables["reference_dataset"]
    regions = connection.execute(sa.select(dataset.c.version, dataset.c.row_count).where(dataset.c.name == REGIONS))
    fingerprints["region"] = {"version": list(regions.first() or ())}
    return fingerprints


def _write_table(archive, connection, scope, table):
    """Writes the agency's rows of ``table`` as ``tables/<name>.csv``; returns its manifest entry."""
    path = f"tables/{table.name}.csv"
    columns = [column.name for column in table.columns]
    encoders = [codec.encoder(column.type) for column in table.columns]
    rows = 0
    with archive.open(_member(path), "w", force_zip64=True) as member:
        hashing = _HashingWriter(member)
        text = io.TextIOWrapper(hashing, encoding="utf-8", newline="", write_through=True)
        out = codec.writer(text)
        out.writerow(columns)
        # Options on the statement: Connection.execution_options would stream every later statement too.
        result = connection.execute(scope.select(table).execution_options(yield_per=BATCH))
        for batch in result.partitions():
            out.writerows([encode(value) for encode, value in zip(encoders, row, strict=True)] for row in batch)
            rows += len(batch)
        text.flush()
        text.detach()
    exported, left_out, detached = scope.counts(connection, table)
    if exported != rows:
        raise RuntimeError(f"{table.name}: {rows} rows written, {exported} counted")
    entry = {"path": path, "table": table.name, "columns": columns, "rows": rows}
    entry.update(sha256=hashing.sha256.hexdigest(), left_out=left_out, detached=detached)
    return entry


def _write_stored_files(archive, connection, scope):
    """Copies each stored file of the agency into ``files/``; returns (entries, storage keys missing on disk)."""
    table = db.metadata.tables["stored_file"]
    query = sa.select(table.c.storage_key).where(scope.condition(table)).order_by(table.c.id)
    entries, missing = [], []
    for storage_key in connection.scalars(query):
        source = path_of(storage_key)
        if not source.is_file():
            missing.append(storage_key)
            continue
        digest, size = hashlib.sha256(), 0
        path = f"files/{storage_key}"
        with source.open("rb") as data, archive.open(_member(path), "w", force_zip64=True) as member:
            while chunk := data.read(CHUNK):
                digest.update(chunk)
                member.write(chunk)
                size += len(chunk)
        entries.append({"path": path, "storage_key": storage_key, "bytes": size, "sha256": digest.hexdigest()})
    return entries, missing


def write_agency_export(agency, target, actor=None, progress=None):
    """Writes ``agency``'s export as a zip to ``target`` (a path or a binary file); returns the manifest.

    ``progress(table_name, rows)`` is called after each table. Adds an audit
    row to the session (the caller commits).
    """
    scope = Scope(agency.id)
    connection = db.session.connection()
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": schema_revision(connection),
        "agency": {"id": agency.id, "code": agency.code, "name": agency.name},
        "created_at": utcnow().isoformat(),
        "reference": reference_fingerprints(connection),
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        tables = []
        for table in scope.tables:
            tables.append(_write_table(archive, connection, scope, table))
            if progress:
                progress(table.name, tables[-1]["rows"])
        stored, missing = _write_stored_files(archive, connection, scope)
        manifest.update(tables=tables, files=stored, missing_files=missing)
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    record(
        "exports.agency_exported",
        agency,
        actor=actor,
        tables=len(tables),
        rows=sum(entry["rows"] for entry in tables),
        files=len(stored),
        missing_files=len(missing),
    )
    db.session.flush()
    return manifest


def agency_by_code(code):
    """The agency with ``code``, or None."""
    return db.session.scalar(sa.select(Agency).where(Agency.code == code))
