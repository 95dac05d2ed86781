"""A data-subject export: everything held on one person, as one CSV per table in a zip with their stored files.

The tables are those of ``PersonScope`` (every table with a foreign-key path
to ``client``, the disaster registrations carrying their NIK, the stored
files their rows point at and the audit rows about their records); each is
written by the agency export's own table writer, so the CSV format is the
one ``docs/agency-export.md`` describes. ``manifest.json`` lists each file
with its row count.
"""

import json
import zipfile

from casework.audit.services import record
from casework.core.types import utcnow
from casework.exports.agency_export import _write_stored_files, _write_table, schema_revision
from casework.extensions import db
from casework.privacy.scope import PersonScope

FORMAT = "casework-subject-export"
MANIFEST = "manifest.json"


def export_name(client):
    """The download's file name: ids only, never the person's name."""
    return f"subjek-{client.uuid}.zip"


def write_subject_export(client, target, actor=None):
    """Writes everything held on ``client`` as a zip to ``target`` (a path or binary file); returns the manifest.

    Adds an audit row (ids and counts only) to the session: the caller commits.
    """
    scope = PersonScope([client.id])
    connection = db.session.connection()
    manifest = {
        "format": FORMAT,
        "schema_revision": schema_revision(connection),
        "client": {"id": client.id, "uuid": str(client.uuid)},
        "created_at": utcnow().isoformat(),
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        tables = []
        for table in scope.export_tables():
            entry = _write_table(archive, connection, scope, table)
            tables.append({name: entry[name] for name in ("path", "table", "columns", "rows", "sha256")})
        stored, missing = _write_stored_files(archive, connection, scope)
        manifest.update(tables=tables, files=stored, missing_files=missing)
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    record(
        "privacy.subject_exported",
        client,
        actor=actor,
        tables=len(tables),
        rows=sum(entry["rows"] for entry in tables),
        files=len(stored),
    )
    db.session.flush()
    return manifest
