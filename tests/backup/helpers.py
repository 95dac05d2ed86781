"""Helpers for the backup tests: records made and read in committed transactions, archives taken apart and rebuilt."""

import io
import json
import tarfile
from datetime import date

import sqlalchemy as sa

from casework.auth.models import Role
from casework.clients.identity import compose_nik
from casework.clients.models import Client, ClientNameToken, Sex
from casework.clients.services import register_client
from casework.extensions import db
from casework.files import storage
from casework.files.models import StoredFile
from casework.files.services import store_upload
from tests.factories import Factories
from tests.files.samples import PDF, image_bytes


def seed(app, people=3):
    """Commits an agency, a caseworker, ``people`` clients with NIK and phone, a PDF and a photo; returns their ids."""
    with app.app_context():
        make = Factories()
        unit = make.unit()
        worker = make.user(role=Role.CASEWORKER, unit=unit)
        for n in range(people):
            data = {
                "full_name": f"Siti Cadangan {n}",
                "nik": compose_nik("32.75.01", date(1990, 5, 1 + n), Sex.FEMALE, 1),
                "phone": f"08123450{n:03d}",
            }
            register_client(unit.agency, worker, data, confirm_new=True)
        store_upload(unit.agency, worker, PDF, filename="surat.pdf")
        store_upload(unit.agency, worker, image_bytes(), filename="foto.jpg")
        db.session.commit()
        return unit.agency.id, worker.id


def snapshot(app):
    """The clients, name words and stored files (with their bytes on disk) as they are committed now."""
    with app.app_context():
        clients = db.session.execute(sa.select(Client.id, Client.full_name, Client.nik, Client.phone, Client.version))
        tokens = db.session.scalar(sa.select(sa.func.count()).select_from(ClientNameToken))
        files = db.session.execute(sa.select(StoredFile.storage_key, StoredFile.sha256)).all()
        on_disk = {key: _bytes(storage.path_of(key)) for key, _sha in files}
        state = {"clients": sorted(map(tuple, clients)), "tokens": tokens, "files": sorted(files), "bytes": on_disk}
        db.session.remove()
    return state


def _bytes(path):
    """The bytes of ``path``, or None when it is missing."""
    return path.read_bytes() if path.exists() else None


def cli(app, *arguments, answer=None):
    """Runs ``flask casework ARGUMENTS`` on ``app`` (pytest-flask keeps the unit app's context pushed otherwise)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=["casework", *arguments], input=answer)


def backup(app, folder):
    """Runs ``flask casework backup --out folder``; returns (result, archive path)."""
    result = cli(app, "backup", "--out", str(folder))
    archives = sorted(folder.glob("casework-backup-*.tar.gz"))
    return result, (archives[-1] if archives else None)


def restore(app, archive, *options, answer=None):
    """Runs ``flask casework restore ARCHIVE`` with ``options``, typing ``answer`` at the prompt."""
    return cli(app, "restore", str(archive), *options, answer=answer)


def members(archive):
    """[(name, bytes)] of every member of ``archive``, in order."""
    with tarfile.open(archive, "r:gz") as opened:
        return [(member.name, opened.extractfile(member).read()) for member in opened.getmembers()]


def rebuild(target, entries):
    """Writes ``entries`` [(name, bytes)] as a new ``.tar.gz`` at ``target``."""
    with tarfile.open(target, "w:gz") as archive:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return target


def with_manifest(source, target, **changes):
    """A copy of the archive ``source`` whose manifest has ``changes`` (hashes left as they are)."""
    entries = members(source)
    manifest = json.loads(entries[0][1])
    manifest.update(changes)
    return rebuild(target, [("manifest.json", json.dumps(manifest).encode()), *entries[1:]])
