"""An agency import refuses what it cannot restore exactly, and then writes nothing (no rows, no files).

A small agency (units, users, a client with a photo) is exported once from
``committed_app``; each test imports a damaged or mismatched copy into one
empty installation, which every refusal must leave empty.
"""

import hashlib
import json
import zipfile

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.clients.models import Client
from casework.exports.agency_import import ImportRefused, import_agency
from casework.exports.agency_scope import scoped_tables
from casework.extensions import db
from casework.files import storage
from casework.files.services import store_upload
from casework.org.models import Agency
from casework.reference.models import Category
from tests.conftest import build_app
from tests.factories import Factories
from tests.files.samples import image_bytes


@pytest.fixture(scope="module")
def export_zip(committed_app, tmp_path_factory):
    """The export of a small agency with a client and a stored photo."""
    with committed_app.app_context():
        make = Factories()
        admin = make.user(role=Role.ADMIN, unit=make.unit(agency=make.agency(code="KECIL")))
        photo = store_upload(admin.agency, admin, image_bytes("PNG"), filename="foto.png")
        client = Client(agency_id=admin.agency_id, full_name="Siti Aminah", sex="female", photo_id=photo.id)
        client.created_by_id = admin.id
        db.session.add(client)
        db.session.commit()
    path = tmp_path_factory.mktemp("agency-checks") / "kecil.zip"
    result = committed_app.test_cli_runner().invoke(
        args=["casework", "export-agency", "--agency", "KECIL", "--out", str(path)]
    )
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def empty(committed_app):
    """An installation with the reference data and nothing else."""
    application = build_app("agency_empty")
    yield application
    with application.app_context():
        db.engine.dispose()


def _rewrite(source, target, manifest=None, members=None, rehash=True):
    """Copies the zip ``source`` to ``target``, ``manifest(dict)`` applied and ``members`` {path: bytes} replaced."""
    members = members or {}
    with zipfile.ZipFile(source) as old:
        data = json.loads(old.read("manifest.json"))
        contents = {name: old.read(name) for name in old.namelist() if name != "manifest.json"}
    contents.update(members)
    if rehash:
        for entry in data["tables"] + data["files"]:
            if entry["path"] in members:
                entry["sha256"] = hashlib.sha256(members[entry["path"]]).hexdigest()
    if manifest:
        manifest(data)
    with zipfile.ZipFile(target, "w") as new:
        for name, content in contents.items():
            new.writestr(name, content)
        new.writestr("manifest.json", json.dumps(data))
    return target


def _refused(application, path, *words):
    """Imports ``path`` expecting a refusal naming ``words``; checks nothing was written."""
    with application.app_context():
        with pytest.raises(ImportRefused) as refusal:
            import_agency(path)
        db.session.rollback()
        for word in words:
            assert word in str(refusal.value)
        for table in scoped_tables():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(table)) == 0, table.name
        assert not [path for path in storage.files_root().rglob("*") if path.is_file()]
    return str(refusal.value)


def _member(path, name):
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def test_a_damaged_csv_is_refused(empty, export_zip, tmp_path):
    damaged = _member(export_zip, "tables/client.csv").replace(b"Siti", b"Sita")
    path = _rewrite(export_zip, tmp_path / "damaged.zip", members={"tables/client.csv": damaged}, rehash=False)
    _refused(empty, path, "tables/client.csv", "SHA-256")


def test_another_schema_revision_is_refused(empty, export_zip, tmp_path):
    path = _rewrite(export_zip, tmp_path / "old.zip", manifest=lambda data: data.update(schema_revision="abc123"))
    _refused(empty, path, "schema revision", "abc123")


def test_other_reference_data_is_refused(empty, export_zip):
    with empty.app_context():
        category = db.session.scalar(sa.select(Category).order_by(Category.id))
        category_id, original, category.name = category.id, category.name, "Kategori lain"
        db.session.commit()
    try:
        _refused(empty, export_zip, "reference data", "category")
    finally:
        with empty.app_context():
            db.session.get(Category, category_id).name = original
            db.session.commit()


def test_a_table_missing_from_the_export_is_refused(empty, export_zip, tmp_path):
    def drop_client(data):
        data["tables"] = [entry for entry in data["tables"] if entry["table"] != "client"]

    path = _rewrite(export_zip, tmp_path / "short.zip", manifest=drop_client)
    _refused(empty, path, "missing ['client']")


def test_a_row_count_other_than_the_manifest_is_refused(empty, export_zip, tmp_path):
    def more_clients(data):
        next(entry for entry in data["tables"] if entry["table"] == "client")["rows"] += 1

    _refused(empty, _rewrite(export_zip, tmp_path / "count.zip", manifest=more_clients), "tables/client.csv", "rows")


def test_a_row_the_database_refuses_rolls_back_everything_before_it(empty, export_zip, tmp_path):
    header, row = _member(export_zip, "tables/client.csv").decode().split("\r\n")[:2]
    columns = header.split(",")
    values = row.split(",")
    values[columns.index("agency_id")] = "999"  # no such agency: the database refuses the row
    bad = f"{header}\r\n{','.join(values)}\r\n".encode()
    path = _rewrite(export_zip, tmp_path / "bad-row.zip", members={"tables/client.csv": bad})
    message = _refused(empty, path, "tables/client.csv", "could not be inserted")
    assert "Siti" not in message


def test_files_written_before_a_refusal_are_removed(empty, export_zip, tmp_path):
    def stray_file(data):
        stray = {"path": "files/stray", "storage_key": "stray", "bytes": 1, "sha256": data["files"][0]["sha256"]}
        data["files"].append(stray)

    first = json.loads(_member(export_zip, "manifest.json"))["files"][0]["path"]
    copy = {"files/stray": _member(export_zip, first)}
    path = _rewrite(export_zip, tmp_path / "stray.zip", manifest=stray_file, members=copy)
    _refused(empty, path, "files/stray", "storage key")


def test_a_storage_key_leaving_the_files_folder_is_refused(empty, export_zip, tmp_path):
    def escape(data):
        data["files"][0]["storage_key"] = "../../escaped"

    _refused(empty, _rewrite(export_zip, tmp_path / "escape.zip", manifest=escape), "not a valid storage key")


def test_a_zip_without_a_manifest_is_refused(empty, tmp_path):
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("clients.csv", "nama\r\nSiti\r\n")
    _refused(empty, path, "manifest.json")


def _cli(application, *arguments):
    """Runs a ``flask casework`` command on ``application`` (pytest-flask keeps the unit app's context pushed)."""
    with application.app_context():
        return application.test_cli_runner().invoke(args=["casework", *arguments])


def test_the_import_then_a_second_one_into_the_now_full_database(empty, export_zip):
    result = _cli(empty, "import-agency", str(export_zip))
    assert result.exit_code == 0, result.output
    with empty.app_context():
        assert db.session.scalars(sa.select(Agency.code)).all() == ["KECIL"]
        client = db.session.scalar(sa.select(Client))
        assert client.full_name == "Siti Aminah" and storage.path_of(client.photo.storage_key).is_file()
    again = _cli(empty, "import-agency", str(export_zip))
    assert again.exit_code == 1
    assert "refused, nothing imported: the database is not empty" in again.output
    with empty.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Client)) == 1
