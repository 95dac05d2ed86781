"""`flask casework backup` and `restore`: the round trip, a backup under writes, refusals that change nothing."""

import json
import sqlite3
import threading
from contextlib import contextmanager

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth.models import User
from casework.backup import sqlite as sqlite_backup
from casework.clients.models import Client, ClientNameToken
from casework.clients.services import register_client, update_client
from casework.extensions import db
from casework.files import storage
from casework.files.models import StoredFile
from casework.files.services import store_upload
from casework.org.models import Agency
from tests.backup.helpers import backup, cli, members, rebuild, restore, seed, snapshot, with_manifest
from tests.files.samples import PDF


def _change_everything(app, agency_id, worker_id):
    """After the backup: renames a client, registers another, deletes name words and a file's bytes, stores a file."""
    with app.app_context():
        agency, worker = db.session.get(Agency, agency_id), db.session.get(User, worker_id)
        client = db.session.scalars(sa.select(Client).where(Client.agency_id == agency_id).order_by(Client.id)).first()
        update_client(client, client.version, {"full_name": "Nama Sudah Diganti"})
        register_client(agency, worker, {"full_name": "Klien Sesudah Cadangan"}, confirm_new=True)
        db.session.execute(sa.delete(ClientNameToken).where(ClientNameToken.agency_id == agency_id))
        stored = db.session.scalars(sa.select(StoredFile).where(StoredFile.agency_id == agency_id)).first()
        storage.path_of(stored.storage_key).unlink()
        store_upload(agency, worker, PDF + b"%baru\n", filename="baru.pdf")
        db.session.commit()


def test_restore_brings_back_the_records_and_file_bytes_of_backup_time(committed_app, tmp_path):
    agency_id, worker_id = seed(committed_app)
    before = snapshot(committed_app)
    result, archive = backup(committed_app, tmp_path)
    assert result.exit_code == 0, result.output
    assert f"backup written: {archive}" in result.output
    manifest = json.loads(members(archive)[0][1])
    assert manifest["files"]["count"] == len(before["files"]) >= 2

    _change_everything(committed_app, agency_id, worker_id)
    assert snapshot(committed_app) != before

    result = restore(committed_app, archive, "--yes")
    assert result.exit_code == 0, result.output
    assert "restored: database at revision" in result.output
    after = snapshot(committed_app)
    assert after == before
    assert all(data is not None for data in after["bytes"].values())


def test_the_manifest_describes_each_part(committed_app, tmp_path):
    seed(committed_app, people=1)
    result, archive = backup(committed_app, tmp_path)
    assert result.exit_code == 0, result.output
    entries = dict(members(archive))
    manifest = json.loads(entries.pop("manifest.json"))
    with committed_app.app_context():
        kind = db.engine.dialect.name
        revision = db.session.scalar(sa.text("SELECT version_num FROM alembic_version"))
        keys = set(db.session.scalars(sa.select(StoredFile.storage_key)))
        db.session.remove()
    assert (manifest["database_kind"], manifest["revision"]) == (kind, revision)
    assert len(entries[manifest["database"]["name"]]) == manifest["database"]["size"]
    assert {entry["key"] for entry in manifest["files"]["entries"]} == keys
    assert manifest["files"]["count"] == len(keys)
    assert manifest["created_at"].endswith("+00:00")
    # It holds personal data: its owner alone may read it.
    assert archive.stat().st_mode & 0o777 == 0o600


def test_a_backup_taken_while_clients_are_being_registered_is_consistent(committed_app, tmp_path):
    agency_id, worker_id = seed(committed_app, people=1)
    stop = threading.Event()
    registered = []

    def keep_registering():
        with committed_app.app_context():
            agency, worker = db.session.get(Agency, agency_id), db.session.get(User, worker_id)
            while not stop.is_set():
                register_client(agency, worker, {"full_name": f"Klien Serentak {len(registered)}"}, confirm_new=True)
                db.session.commit()
                registered.append(1)
            db.session.remove()

    writer = threading.Thread(target=keep_registering)
    writer.start()
    try:
        while len(registered) < 5:
            stop.wait(0.05)
        result, archive = backup(committed_app, tmp_path)
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output

    result = restore(committed_app, archive, "--yes")
    assert result.exit_code == 0, result.output
    with committed_app.app_context():
        clients = db.session.scalar(sa.select(sa.func.count()).select_from(Client))
        audited = db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "client.registered")
        )
        db.session.remove()
    # Each client and its audit row were committed together: a torn copy would count them differently.
    assert clients == audited
    assert clients >= 5


def _refused_and_unchanged(app, archive, expected, *options, answer=None):
    """Asserts that restoring ``archive`` fails with ``expected`` in its message and changes nothing."""
    before = snapshot(app)
    result = restore(app, archive, *options, answer=answer)
    assert result.exit_code != 0
    assert expected in result.output
    assert snapshot(app) == before


def test_an_altered_file_in_the_archive_is_refused_and_nothing_changes(committed_app, tmp_path):
    agency_id, worker_id = seed(committed_app, people=1)
    result, archive = backup(committed_app, tmp_path)
    assert result.exit_code == 0, result.output
    _change_everything(committed_app, agency_id, worker_id)
    entries = members(archive)
    tampered = [(name, data + b"x" if name.startswith("files/") else data) for name, data in entries]
    rebuild(tmp_path / "tampered.tar.gz", tampered)
    _refused_and_unchanged(committed_app, tmp_path / "tampered.tar.gz", "does not match its manifest", "--yes")


def test_an_extra_member_a_truncated_archive_and_a_foreign_file_are_refused(committed_app, tmp_path):
    seed(committed_app, people=1)
    result, archive = backup(committed_app, tmp_path)
    assert result.exit_code == 0, result.output
    rebuild(tmp_path / "extra.tar.gz", [*members(archive), ("files/../../escape", b"x")])
    _refused_and_unchanged(committed_app, tmp_path / "extra.tar.gz", "unexpected entry", "--yes")
    data = archive.read_bytes()
    (tmp_path / "short.tar.gz").write_bytes(data[: len(data) // 2])
    _refused_and_unchanged(committed_app, tmp_path / "short.tar.gz", "damaged", "--yes")
    with_manifest(archive, tmp_path / "unlisted.tar.gz", files={"count": 2})
    _refused_and_unchanged(committed_app, tmp_path / "unlisted.tar.gz", "does not list the stored files", "--yes")
    rebuild(tmp_path / "foreign.tar.gz", [("notes.txt", b"bukan cadangan")])
    _refused_and_unchanged(committed_app, tmp_path / "foreign.tar.gz", "not a Casework backup", "--yes")
    with committed_app.app_context():
        leftovers = [entry.name for entry in storage.files_root().iterdir() if entry.name.startswith(".")]
    assert leftovers == []
    assert not list(tmp_path.glob(".casework-restore-*"))


def test_an_archive_of_the_other_database_kind_or_a_newer_schema_is_refused(committed_app, tmp_path):
    seed(committed_app, people=1)
    result, archive = backup(committed_app, tmp_path)
    assert result.exit_code == 0, result.output
    kind = json.loads(members(archive)[0][1])["database_kind"]
    other = "postgresql" if kind == "sqlite" else "sqlite"
    with_manifest(archive, tmp_path / "other.tar.gz", database_kind=other)
    _refused_and_unchanged(committed_app, tmp_path / "other.tar.gz", f"holds a {other} database", "--yes")
    with_manifest(archive, tmp_path / "newer.tar.gz", revision="ffffffffffff")
    _refused_and_unchanged(committed_app, tmp_path / "newer.tar.gz", "unknown to this code", "--yes")


def test_restore_asks_first_and_a_no_changes_nothing(committed_app, tmp_path):
    agency_id, worker_id = seed(committed_app, people=1)
    result, archive = backup(committed_app, tmp_path)
    assert result.exit_code == 0, result.output
    _change_everything(committed_app, agency_id, worker_id)
    _refused_and_unchanged(committed_app, archive, "REPLACES the current database", answer="n\n")


def test_a_backup_to_a_missing_folder_fails_clearly_without_an_archive(committed_app, tmp_path):
    (tmp_path / "berkas").write_text("bukan folder")
    result = cli(committed_app, "backup", "--out", str(tmp_path / "berkas" / "cadangan.tar.gz"))
    assert result.exit_code != 0
    assert "backup failed, no archive written" in result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == ["berkas"]


@contextmanager
def _database_that_refuses_the_restore(app, monkeypatch):
    """Makes restoring the live database fail: a held write lock on SQLite, a foreign key into it on PostgreSQL."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            monkeypatch.setattr(sqlite_backup, "_WAIT_SECONDS", 0.2)
            holder = sqlite3.connect(db.engine.url.database, isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            try:
                yield
            finally:
                holder.execute("ROLLBACK")
                holder.close()
            return
        db.session.execute(sa.text("CREATE TABLE backup_blocker (client_id integer REFERENCES client (id))"))
        db.session.commit()
        try:
            yield
        finally:
            db.session.execute(sa.text("DROP TABLE backup_blocker"))
            db.session.commit()
            db.session.remove()


def test_a_database_that_cannot_be_restored_leaves_records_and_files_as_they_were(committed_app, tmp_path, monkeypatch):
    agency_id, worker_id = seed(committed_app, people=1)
    result, archive = backup(committed_app, tmp_path)
    assert result.exit_code == 0, result.output
    _change_everything(committed_app, agency_id, worker_id)
    before = snapshot(committed_app)
    with _database_that_refuses_the_restore(committed_app, monkeypatch):
        result = restore(committed_app, archive, "--yes")
    assert result.exit_code != 0
    assert "restore refused, nothing changed" in result.output
    assert snapshot(committed_app) == before


def test_a_missing_pg_dump_is_named_and_sqlite_needs_no_outside_tool(committed_app, tmp_path, monkeypatch):
    with committed_app.app_context():
        kind = db.engine.dialect.name
    monkeypatch.setenv("PATH", str(tmp_path))
    result = cli(committed_app, "backup", "--out", str(tmp_path))
    if kind == "sqlite":
        # SQLite is copied through Python's own sqlite3: no outside tool is needed.
        assert result.exit_code == 0, result.output
        assert len(list(tmp_path.glob("casework-backup-*.tar.gz"))) == 1
        return
    assert result.exit_code != 0
    assert "pg_dump was not found on PATH" in result.output
    assert not list(tmp_path.glob("casework-backup-*"))
