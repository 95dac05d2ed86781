"""Resumable uploads: chunks at the server's offset, resuming after a lost chunk, the SHA-256 check, the size
limit, and a finished upload used as a client photo or a case attachment with the usual content checks.
"""

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from casework.auth.models import Role, ScopeKind
from casework.cases.intake import open_case
from casework.core.types import utcnow
from casework.extensions import db
from casework.org.models import UnitKind
from casework.scheduling import load_jobs
from casework.sync.models import PendingUpload
from casework.sync.uploads import part_path
from tests.cases.conftest import INTAKE_DAY
from tests.clients import conftest as registry
from tests.factories import TEST_PASSWORD
from tests.files.samples import HTML, PDF, image_bytes, stored_count
from tests.sync.conftest import DISTRICT, FINDING

office, agency, staff, caseworker, new_client = (
    registry.office,
    registry.agency,
    registry.staff,
    registry.caseworker,
    registry.new_client,
)
UPLOAD_UUID = "5b0f7a52-93d4-4d8e-a6c1-2f0e9b7d4c31"
UPLOADS = "/api/v1/uploads"


def announce(client, data, content_type="image/jpeg", sha256=None, upload_uuid=UPLOAD_UUID):
    """Announces ``data``; returns the response."""
    body = {
        "uuid": upload_uuid,
        "size": len(data),
        "content_type": content_type,
        "sha256": sha256 or hashlib.sha256(data).hexdigest(),
    }
    return client.post(UPLOADS, json=body)


def send(client, offset, chunk, upload_uuid=UPLOAD_UUID):
    """PATCHes ``chunk`` at ``offset``; returns the response."""
    return client.patch(f"{UPLOADS}/{upload_uuid}", data=chunk, headers={"Upload-Offset": str(offset)})


def upload_whole(client, data, content_type="image/jpeg", pieces=3):
    """Announces and sends ``data`` in ``pieces`` chunks; returns the last response."""
    assert announce(client, data, content_type).status_code == 201
    step = -(-len(data) // pieces)
    for offset in range(0, len(data), step):
        response = send(client, offset, data[offset : offset + step])
        assert response.status_code == 200, response.json
    return response


def test_chunks_complete_an_upload_that_becomes_the_clients_photo(client, login, caseworker, new_client):
    person = new_client(full_name="Budi Santoso")
    login(caseworker)
    photo = image_bytes(size=(120, 90))
    first = announce(client, photo)
    assert first.status_code == 201 and first.json["offset"] == 0
    assert announce(client, photo).status_code == 200  # a retried announcement
    step, last = len(photo) // 3 + 1, None
    for offset in range(0, len(photo), step):
        last = send(client, offset, photo[offset : offset + step])
        assert last.status_code == 200 and last.json["offset"] == min(offset + step, len(photo))
    assert last.json["complete"] is True
    head = client.head(f"{UPLOADS}/{UPLOAD_UUID}")
    assert head.headers["Upload-Offset"] == str(len(photo))
    version = person.version
    used = client.put(f"/api/v1/clients/{person.uuid}/photo", json={"version": version, "upload": UPLOAD_UUID})
    assert used.status_code == 200, used.json
    assert used.json["photo_url"] and used.json["version"] == version + 1


def test_a_lost_chunk_is_resumed_from_the_servers_offset(client, login, caseworker):
    login(caseworker)
    data = PDF * 40
    assert announce(client, data, "application/pdf").status_code == 201
    assert send(client, 0, data[:1000]).status_code == 200
    skipped = send(client, 2000, data[2000:])  # the chunk at 1000 was lost on the way
    assert skipped.status_code == 409
    assert skipped.json["error"]["current"]["offset"] == 1000
    assert client.get(f"{UPLOADS}/{UPLOAD_UUID}").json["offset"] == 1000
    assert send(client, 1000, data[1000:2000]).json["offset"] == 2000
    done = send(client, 2000, data[2000:])
    assert done.json["complete"] is True
    assert part_path(db.session.scalar(sa.select(PendingUpload))).read_bytes() == data


def test_a_file_that_does_not_match_its_sha256_starts_over(client, login, caseworker):
    login(caseworker)
    photo = image_bytes()
    assert announce(client, photo, sha256=hashlib.sha256(b"other").hexdigest()).status_code == 201
    refused = send(client, 0, photo)
    assert refused.status_code == 422 and "sha256" in refused.json["error"]["fields"]
    assert client.get(f"{UPLOADS}/{UPLOAD_UUID}").json["offset"] == 0


def test_too_large_an_upload_and_a_bad_announcement_are_refused(app, client, login, caseworker, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", 1000)
    login(caseworker)
    too_large = announce(client, b"x" * 1001)
    assert too_large.status_code == 413 and "size" in too_large.json["error"]["fields"]
    bad = client.post(UPLOADS, json={"uuid": UPLOAD_UUID, "size": 0, "content_type": "text/html", "sha256": "x"})
    assert bad.status_code == 422
    assert set(bad.json["error"]["fields"]) == {"size", "content_type", "sha256"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PendingUpload)) == 0


def test_content_is_still_checked_when_an_upload_is_used(client, login, caseworker, new_client):
    person = new_client(full_name="Siti Aminah")
    login(caseworker)
    upload_whole(client, HTML)  # announced as a JPEG: the type is read from the content when used
    before = stored_count()
    refused = client.put(
        f"/api/v1/clients/{person.uuid}/photo", json={"version": person.version, "upload": UPLOAD_UUID}
    )
    assert refused.status_code == 422 and "photo" in refused.json["error"]["fields"]
    assert stored_count() == before


def test_an_unfinished_or_anothers_upload_cannot_be_used(app, client, login, caseworker, staff, new_client):
    person = new_client(full_name="Joko")
    login(staff(Role.CASEWORKER))
    photo = image_bytes()
    assert announce(client, photo).status_code == 201
    assert send(client, 0, photo[:10]).status_code == 200
    body = {"version": person.version, "upload": UPLOAD_UUID}
    unfinished = client.put(f"/api/v1/clients/{person.uuid}/photo", json=body)
    assert unfinished.status_code == 422 and "photo" in unfinished.json["error"]["fields"]
    other = app.test_client()
    signed = other.post("/login", data={"username": caseworker.username, "password": TEST_PASSWORD})
    assert signed.status_code == 302
    assert other.get(f"{UPLOADS}/{UPLOAD_UUID}").status_code == 404
    assert send(other, 10, photo[10:]).status_code == 404
    anothers = other.put(f"/api/v1/clients/{person.uuid}/photo", json=body)
    assert anothers.status_code == 422 and "photo" in anothers.json["error"]["fields"]


def test_an_upload_becomes_a_case_attachment(client, login, agency, caseworker, new_client):
    case, _created = open_case(
        agency, caseworker, new_client(full_name="Ani"), {"intake_channel": "outreach", "intake_date": INTAKE_DAY}
    )
    login(caseworker)
    upload_whole(client, PDF, "application/pdf", pieces=2)
    body = {"uuid": "9d1c6b2a-0f4e-4a8b-bc3d-7e5f6a1b2c3d", "caption": "Surat keterangan", "upload": UPLOAD_UUID}
    attached = client.post(f"/api/v1/cases/{case.uuid}/attachments", json=body)
    assert attached.status_code == 201, attached.json
    assert attached.json["content_type"] == "application/pdf"
    assert client.post(f"/api/v1/cases/{case.uuid}/attachments", json=body).status_code == 200


@pytest.mark.parametrize("age_hours, kept", [(25, False), (2, True)])
def test_the_purge_job_removes_uploads_untouched_for_a_day(client, login, caseworker, age_hours, kept):
    login(caseworker)
    photo = image_bytes()
    assert announce(client, photo).status_code == 201
    assert send(client, 0, photo[:10]).status_code == 200
    upload = db.session.scalar(sa.select(PendingUpload))
    path = part_path(upload)
    db.session.execute(sa.update(PendingUpload).values(updated_at=utcnow() - timedelta(hours=age_hours)))
    load_jobs()["sync.purge_uploads"].func()
    assert path.exists() is kept
    assert (db.session.scalar(sa.select(sa.func.count()).select_from(PendingUpload)) == 1) is kept


def test_a_volunteers_finding_takes_its_photos_from_uploads(app, make, office):
    district = make.unit(
        agency=office.agency, code="KEC-07", name="Satpel", kind=UnitKind.DISTRICT_UNIT, region_code=DISTRICT
    )
    volunteer = make.user(role=Role.VOLUNTEER, unit=district, scope_kind=ScopeKind.DISTRICTS, regions=[DISTRICT])
    phone = app.test_client()
    assert phone.post("/login", data={"username": volunteer.username, "password": TEST_PASSWORD}).status_code == 302
    upload_whole(phone, image_bytes(size=(64, 48)), pieces=2)
    body = {**FINDING, "uuid": "3e2d1c0b-9a8f-4e7d-8c6b-5a4f3e2d1c0b", "uploads": [UPLOAD_UUID]}
    filed = phone.post("/api/v1/findings", json=body)
    assert filed.status_code == 201, filed.json
    assert filed.json["photo_count"] == 1
    unknown = phone.post("/api/v1/findings", json={**body, "uuid": None, "uploads": [str(UPLOAD_UUID[::-1])]})
    assert unknown.status_code == 422 and "photos" in unknown.json["error"]["fields"]
