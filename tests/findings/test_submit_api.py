"""Filing through the API: JSON and multipart, idempotent UUIDs, photo refusals, scope, and the volunteer's status."""

import io

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.files.samples import HTML, image_bytes, stored_count
from tests.findings.conftest import OTHER_DISTRICT_VILLAGE, TODAY, VILLAGE, complaint_data, finding_data, report_count

REPORT_UUID = "0c6e2b1a-9f3d-4e7a-8b5c-1d2e3f4a5b6c"


def multipart_body(fields, photos):
    """Request arguments for a multipart body: text ``fields`` and each of ``photos`` as a ``photos`` part."""
    parts = MultiDict({name: str(value) for name, value in fields.items()})
    for number, data in enumerate(photos, start=1):
        parts.add("photos", FileStorage(io.BytesIO(data), f"foto{number}.jpg"))
    boundary, body = encode_multipart(parts)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def test_a_finding_filed_as_json_and_retried_is_filed_once(client, login, volunteer):
    login(volunteer)
    body = {**finding_data(), "uuid": REPORT_UUID, "latitude": -6.35, "longitude": 106.99, "consent_given": True}
    first = client.post("/api/v1/findings", json=body)
    assert first.status_code == 201, first.json
    assert (first.json["number"], first.json["status"], first.json["region_code"]) == (
        f"TM-{TODAY.year}-000001",
        "received",
        VILLAGE,
    )
    assert first.json["case_number"] is None and first.json["region_name"] == "Cikiwul"
    retry = client.post("/api/v1/findings", json=body)
    assert retry.status_code == 200 and retry.json == first.json
    assert report_count() == 1


def test_a_finding_with_photos_as_multipart(client, login, volunteer):
    login(volunteer)
    response = client.post(
        "/api/v1/findings",
        **multipart_body({**finding_data(), "uuid": REPORT_UUID}, [image_bytes(), image_bytes("PNG")]),
    )
    assert response.status_code == 201, response.json
    assert response.json["photo_count"] == 2
    retry = client.post("/api/v1/findings", **multipart_body({**finding_data(), "uuid": REPORT_UUID}, [image_bytes()]))
    assert retry.status_code == 200 and retry.json["photo_count"] == 2
    assert (report_count(), stored_count()) == (1, 2)


def test_a_photo_that_is_not_an_image_files_nothing(client, login, volunteer):
    login(volunteer)
    response = client.post("/api/v1/findings", **multipart_body(finding_data(), [image_bytes(), HTML]))
    assert response.status_code == 422
    assert response.json["error"]["fields"]["photos"] == [
        "Foto ke-2: Berkas ini bukan foto yang dapat dibaca. Unggah foto JPEG, PNG atau WebP."
    ]
    assert (report_count(), stored_count()) == (0, 0)


def test_an_oversized_photo_is_a_413_and_files_nothing(app, client, login, volunteer, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", 2048)
    login(volunteer)
    response = client.post("/api/v1/findings", **multipart_body(finding_data(), [image_bytes("JPEG", (400, 400))]))
    assert response.status_code == 413
    error = response.json["error"]
    assert error["code"] == "request_entity_too_large"
    assert error["fields"]["photos"][0].startswith("Foto ke-1: Berkas yang dikirim terlalu besar")
    assert (report_count(), stored_count()) == (0, 0)


def test_a_village_outside_the_volunteers_scope_is_refused(client, login, volunteer):
    login(volunteer)
    response = client.post("/api/v1/findings", json=finding_data(region_code=OTHER_DISTRICT_VILLAGE))
    assert response.status_code == 422
    [message] = response.json["error"]["fields"]["region_code"]
    assert message.startswith("Kelurahan/desa 32.75.01.1001 (Bekasijaya) berada di luar wilayah tugas Anda (32.75.07).")
    assert report_count() == 0


def test_the_volunteers_list_and_status_hold_their_own_findings_only(
    client, login, volunteer, other_volunteer, new_finding
):
    mine = new_finding()
    theirs = new_finding(by=other_volunteer)
    login(volunteer)
    listed = client.get("/api/v1/findings/mine")
    assert listed.status_code == 200
    assert [item["uuid"] for item in listed.json["items"]] == [str(mine.uuid)]
    assert listed.json["total"] == 1
    status = client.get(f"/api/v1/findings/{mine.uuid}")
    assert status.status_code == 200
    # Status only: nothing of the person, the description or the place.
    assert "person_name" not in status.json and "description" not in status.json and "place" not in status.json
    assert client.get(f"/api/v1/findings/{theirs.uuid}").status_code == 404
    assert client.get("/api/v1/findings/not-a-uuid").status_code == 404


def test_complaints_are_entered_by_staff_and_numbered_apart(client, login, caseworker, volunteer):
    login(caseworker)
    response = client.post("/api/v1/complaints", json={**complaint_data(), "uuid": REPORT_UUID})
    assert response.status_code == 201, response.json
    assert (response.json["kind"], response.json["number"]) == ("complaint", f"ADU-{TODAY.year}-000001")
    assert client.post("/api/v1/complaints", json={**complaint_data(), "uuid": REPORT_UUID}).status_code == 200
    missing = client.post("/api/v1/complaints", json=complaint_data(source=None, reporter_contact=" "))
    assert missing.status_code == 422
    assert set(missing.json["error"]["fields"]) == {"source", "reporter_contact"}


def test_each_role_files_only_its_own_kind(client, login, caseworker, volunteer):
    login(caseworker)
    assert client.post("/api/v1/findings", json=finding_data()).status_code == 403
    assert client.get("/api/v1/findings/mine").status_code == 403
    client.post("/logout")
    login(volunteer)
    assert client.post("/api/v1/complaints", json=complaint_data()).status_code == 403
    assert report_count() == 0
