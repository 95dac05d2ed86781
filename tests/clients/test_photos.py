"""A client's photo: set and removed from the detail page and the API, at a version; refusals keep nothing."""

import pytest
from PIL import Image

from casework.auth.models import Role
from casework.files import storage
from tests.admin.helpers import audit_rows, page_text
from tests.files.samples import GPS_IFD, HTML, jpeg_with_gps, multipart, stored_count

MB = 1024 * 1024


@pytest.fixture
def small_limit(app, monkeypatch):
    """Uploads limited to 1 MB, requests to a little more, as in production but smaller."""
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", MB)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", MB + 256 * 1024)


def upload(data, name="foto.jpg", **fields):
    """A multipart body carrying ``data`` as the ``photo`` field, and ``fields`` as text."""
    return multipart("photo", data, name, **{key: str(value) for key, value in fields.items()})


def test_set_a_photo_from_the_detail_page_then_remove_it(client, login, caseworker, new_client):
    person = new_client(full_name="Budi Santoso")
    login(caseworker)
    page = page_text(client.get(f"/clients/{person.uuid}"))
    assert 'accept="image/*"' in page and 'capture="environment"' in page and "Belum ada foto" in page
    response = client.post(f"/clients/{person.uuid}/photo", **upload(jpeg_with_gps(), version=person.version))
    assert response.status_code == 302
    assert person.photo is not None and person.version == 2
    with Image.open(storage.path_of(person.photo.storage_key)) as stored:
        assert not stored.getexif().get_ifd(GPS_IFD)
    page = page_text(client.get(f"/clients/{person.uuid}"))
    assert f'src="/files/{person.photo.uuid}"' in page and "Hapus foto" in page
    [row] = audit_rows("client.photo_set")
    assert row.details == {"file": str(person.photo.uuid)}
    assert client.post(f"/clients/{person.uuid}/photo/remove", data={"remove-version": 2}).status_code == 302
    assert (person.photo_id, person.version) == (None, 3)
    assert "Belum ada foto" in page_text(client.get(f"/clients/{person.uuid}"))
    assert len(audit_rows("client.photo_removed")) == 1


def test_a_file_that_is_not_a_photo_is_refused_on_the_page(client, login, caseworker, new_client):
    person = new_client(full_name="Budi Santoso")
    login(caseworker)
    response = client.post(f"/clients/{person.uuid}/photo", **upload(HTML, "foto.jpg", version=1))
    assert response.status_code == 422
    assert "Berkas ini bukan foto yang dapat dibaca. Unggah foto JPEG, PNG atau WebP." in page_text(response)
    assert (person.photo_id, person.version, stored_count()) == (None, 1, 0)


def test_a_stale_page_is_told_and_the_form_moves_to_the_current_version(client, login, caseworker, new_client):
    person = new_client(full_name="Budi Santoso")
    login(caseworker)
    response = client.post(f"/clients/{person.uuid}/photo", **upload(jpeg_with_gps(), version=0))
    assert response.status_code == 409
    assert "sudah diubah orang lain" in page_text(response)
    assert 'name="version" type="hidden" value="1"' in page_text(response)
    assert stored_count() == 0


def test_too_large_a_photo_gets_a_clear_page(client, login, caseworker, new_client, small_limit):
    person = new_client(full_name="Budi Santoso")
    login(caseworker)
    # Over the file limit, within the request limit: the service refuses it beside the field.
    response = client.post(f"/clients/{person.uuid}/photo", **upload(b"\xff" * (MB + 1), version=1))
    assert response.status_code == 413
    assert "Berkas yang dikirim terlalu besar. Ukuran paling besar 1 MB." in page_text(response)
    # Over the request limit: refused before the form is read.
    response = client.post(f"/clients/{person.uuid}/photo", **upload(b"\xff" * (2 * MB), version=1))
    assert response.status_code == 413
    assert "Berkas yang dikirim terlalu besar. Ukuran paling besar 1 MB." in page_text(response)
    assert (person.photo_id, stored_count()) == (None, 0)


def test_set_and_remove_a_photo_through_the_api(client, login, caseworker, new_client):
    person = new_client(full_name="Budi Santoso")
    login(caseworker)
    url = f"/api/v1/clients/{person.uuid}/photo"
    response = client.put(url, **upload(jpeg_with_gps(), version="1"))
    assert response.status_code == 200
    assert response.json["photo_url"] == f"/files/{person.photo.uuid}" and response.json["version"] == 2
    photo = client.get(response.json["photo_url"], buffered=True)
    assert photo.status_code == 200 and photo.headers["Content-Type"] == "image/jpeg"
    assert client.get(f"/api/v1/clients/{person.uuid}").json["photo_url"] == response.json["photo_url"]
    removed = client.delete(url, json={"version": 2})
    assert removed.status_code == 200 and removed.json["photo_url"] is None and removed.json["version"] == 3


def test_a_stale_version_is_a_409_with_the_client_now(client, login, caseworker, new_client):
    person = new_client(full_name="Budi Santoso")
    login(caseworker)
    url = f"/api/v1/clients/{person.uuid}/photo"
    response = client.put(url, **upload(jpeg_with_gps(), version="7"))
    assert response.status_code == 409
    assert response.json["error"]["code"] == "conflict" and response.json["error"]["current"]["version"] == 1
    assert stored_count() == 0
    assert client.delete(url, json={"version": 7}).status_code == 409


def test_api_refusals_use_the_envelope_and_keep_nothing(client, login, caseworker, new_client, small_limit):
    person = new_client(full_name="Budi Santoso")
    login(caseworker)
    url = f"/api/v1/clients/{person.uuid}/photo"
    too_large = client.put(url, **upload(b"\xff" * (2 * MB), version="1"))
    assert too_large.status_code == 413
    assert too_large.json["error"]["code"] == "request_entity_too_large"
    assert too_large.json["error"]["message"] == "Berkas yang dikirim terlalu besar. Ukuran paling besar 1 MB."
    just_over = client.put(url, **upload(b"\xff" * (MB + 1), version="1"))
    assert (just_over.status_code, just_over.json["error"]["code"]) == (413, "request_entity_too_large")
    not_a_photo = client.put(url, **upload(HTML, "x.jpg", version="1"))
    assert not_a_photo.status_code == 422 and "photo" in not_a_photo.json["error"]["fields"]
    no_version = client.put(url, **upload(jpeg_with_gps()))
    assert no_version.status_code == 422 and "version" in no_version.json["error"]["fields"]
    assert (person.photo_id, person.version, stored_count()) == (None, 1, 0)


def test_who_may_change_a_photo(client, login, staff, new_client):
    person = new_client(full_name="Budi Santoso")
    login(staff(Role.DATA_OFFICER))
    assert "Simpan foto" not in page_text(client.get(f"/clients/{person.uuid}"))
    response = client.put(f"/api/v1/clients/{person.uuid}/photo", **upload(jpeg_with_gps(), version="1"))
    assert response.status_code == 403 and stored_count() == 0
