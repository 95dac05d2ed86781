"""Restoring a full agency export into an empty installation (reference data loaded, no agency rows).

Everything is checked before anything is written: the manifest's format,
the schema revision (the database must be at the export's), the reference
data (same fingerprints), that every agency-scoped table is empty, and each
CSV's SHA-256, columns and row count. Rows are then inserted parents first
keeping their ids, PostgreSQL sequences are moved past them, and the stored
files are written back, all in the caller's one transaction: a refusal or an
error part-way leaves the database (and the files folder) as it was.
"""

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import sqlalchemy as sa

from casework.audit.chain import SEAL_COLUMNS
from casework.audit.models import AuditEvent
from casework.audit.services import record
from casework.exports import agency_codec as codec
from casework.exports.agency_export import FORMAT, FORMAT_VERSION, MANIFEST, reference_fingerprints, schema_revision
from casework.exports.agency_scope import scoped_tables, self_links
from casework.extensions import db
from casework.files import storage
from casework.org.models import Agency

BATCH = 1000


class ImportRefused(Exception):
    """The export cannot be imported here; the message says why (nothing was written)."""


@dataclass
class ImportSummary:
    """What an import wrote."""

    agency_code: str
    rows: dict = field(default_factory=dict)
    files: int = 0


def _manifest(archive):
    """The manifest of ``archive``, refusing what is not an agency export of this format."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError) as error:
        raise ImportRefused("the file has no readable manifest.json: not an agency export") from error
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise ImportRefused(f"unsupported export format {manifest.get('format')} {manifest.get('format_version')}")
    return manifest


def _digest(archive, path):
    """The SHA-256 of a member of the zip, read in chunks."""
    digest = hashlib.sha256()
    with archive.open(path) as member:
        while chunk := member.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def check(archive, connection):
    """Refuses (``ImportRefused``) unless ``archive`` can be imported into this database; returns the manifest."""
    manifest = _manifest(archive)
    here = schema_revision(connection)
    if manifest["schema_revision"] != here:
        raise ImportRefused(
            f"schema revision differs: the export is at {manifest['schema_revision']}, this database at {here}; "
            "upgrade (flask db upgrade) or use an installation of the same version"
        )
    fingerprints = reference_fingerprints(connection)
    differing = sorted(name for name, value in manifest["reference"].items() if fingerprints.get(name) != value)
    if differing:
        raise ImportRefused(
            "reference data differs from the exporting installation in: "
            + ", ".join(differing)
            + " (load the same reference data, and the same local codes, first)"
        )
    expected = [table.name for table in scoped_tables()]
    listed = [entry["table"] for entry in manifest["tables"]]
    if listed != expected:
        missing, extra = sorted(set(expected) - set(listed)), sorted(set(listed) - set(expected))
        raise ImportRefused(f"the export's tables do not match this schema (missing {missing}, unknown {extra})")
    occupied = [
        name
        for name in expected
        if connection.scalar(sa.select(sa.literal(1)).select_from(db.metadata.tables[name]).limit(1))
    ]
    if occupied:
        raise ImportRefused("the database is not empty: it already holds rows in " + ", ".join(occupied))
    for entry in manifest["files"]:
        parts = PurePosixPath(entry["storage_key"]).parts
        if not parts or entry["storage_key"].startswith("/") or ".." in parts or "\\" in entry["storage_key"]:
            raise ImportRefused(f"{entry['path']}: not a valid storage key")
    for entry in manifest["tables"] + manifest["files"]:
        try:
            actual = _digest(archive, entry["path"])
        except KeyError as error:
            raise ImportRefused(f"{entry['path']} is listed in the manifest but missing from the zip") from error
        if actual != entry["sha256"]:
            raise ImportRefused(f"{entry['path']} is damaged: its SHA-256 does not match the manifest")
    return manifest


def _rows(archive, entry, table):
    """The decoded rows of one table's CSV, as dicts, checking its header."""
    with archive.open(entry["path"]) as member:
        lines = codec.reader(io.TextIOWrapper(member, encoding="utf-8", newline=""))
        header = next(lines, None)
        if header != entry["columns"] or set(header) != set(table.columns.keys()):
            raise ImportRefused(f"{entry['path']}: its columns do not match the table {table.name}")
        decoders = [codec.decoder(table.c[name].type) for name in header]
        for values in lines:
            yield {name: decode(text) for name, decode, text in zip(header, decoders, values, strict=True)}


def _insert(connection, table):
    """An INSERT of every column; JSON NULLs stay SQL NULL (not the JSON value null).

    Audit rows come in unsealed: the source's chain covers other agencies' rows too, so this installation seals
    the imported history into its own chain, in id order.
    """
    json_columns = [column.name for column in table.columns if isinstance(column.type, sa.JSON)]
    unsealed = dict.fromkeys(SEAL_COLUMNS) if table.name == AuditEvent.__tablename__ else {}
    statement = sa.insert(table)
    if json_columns:
        statement = statement.values(
            {name: sa.bindparam(f"{name}__json", type_=sa.JSON(none_as_null=True)) for name in json_columns}
        )

    def run(batch):
        """Inserts ``batch`` (a list of row dicts)."""
        if not batch:
            return
        for row in batch:
            row.update(unsealed)
            for name in json_columns:
                row[f"{name}__json"] = row.pop(name)
        connection.execute(statement, batch)

    return run


def _load_table(connection, archive, entry, table):
    """Inserts one table's rows in batches; rows whose parent in the same table comes later wait for it."""
    insert = _insert(connection, table)
    links = [(fk.parent.name, fk.column.name) for fk in self_links(table)]
    seen, waiting, batch, count = set(), [], [], 0
    key = links[0][1] if links else None
    for row in _rows(archive, entry, table):
        if links and any(row[own] is not None and row[own] not in seen for own, _ in links):
            waiting.append(row)
            continue
        if key:
            seen.add(row[key])
        batch.append(row)
        count += 1
        if len(batch) >= BATCH:
            insert(batch)
            batch = []
    insert(batch)
    while waiting:
        ready = [row for row in waiting if all(row[own] is None or row[own] in seen for own, _ in links)]
        if not ready:
            raise ImportRefused(f"{table.name}: rows refer to rows of the same table that are not in the export")
        seen.update(row[key] for row in ready)
        waiting = [row for row in waiting if row[key] not in seen]
        insert(ready)
        count += len(ready)
    if count != entry["rows"]:
        raise ImportRefused(f"{entry['path']}: {count} rows read, the manifest says {entry['rows']}")
    return count


def _reset_sequences(connection, tables):
    """Moves each PostgreSQL id sequence past the ids inserted, so new rows never collide with them."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        columns = list(table.primary_key.columns)
        if len(columns) != 1 or not isinstance(columns[0].type, sa.Integer) or columns[0].autoincrement is False:
            continue
        name = columns[0].name
        sequence = connection.scalar(sa.select(sa.func.pg_get_serial_sequence(table.name, name)))
        if sequence:
            top = connection.scalar(sa.select(sa.func.coalesce(sa.func.max(table.c[name]), 0)))
            connection.execute(sa.select(sa.func.setval(sequence, top + 1, False)))


def import_agency(source):
    """Imports the agency export ``source`` (a path or a binary file) in the session's transaction.

    Raises ``ImportRefused`` before writing anything when the export or the
    database does not allow it. The caller commits (or rolls back).
    """
    connection = db.session.connection()
    with zipfile.ZipFile(source) as archive:
        manifest = check(archive, connection)
        tables = {table.name: table for table in scoped_tables()}
        summary = ImportSummary(agency_code=manifest["agency"]["code"])
        for entry in manifest["tables"]:
            try:
                summary.rows[entry["table"]] = _load_table(connection, archive, entry, tables[entry["table"]])
            except (sa.exc.SQLAlchemyError, ValueError) as error:
                # Only the kind of error: its text may quote a row's personal data.
                raise ImportRefused(f"{entry['path']}: rows could not be inserted ({type(error).__name__})") from error
        _reset_sequences(connection, tables.values())
        kept = set(db.session.scalars(sa.select(tables["stored_file"].c.storage_key)))
        for entry in manifest["files"]:
            if entry["storage_key"] not in kept:
                raise ImportRefused(f"{entry['path']}: no stored_file row has this storage key")
            storage.write(db.session, entry["storage_key"], archive.read(entry["path"]))
            summary.files += 1
    agency = db.session.get(Agency, manifest["agency"]["id"])
    record(
        "exports.agency_imported",
        agency,
        tables=len(summary.rows),
        rows=sum(summary.rows.values()),
        files=summary.files,
        exported_at=manifest["created_at"],
    )
    db.session.flush()
    return summary
