"""Serving stored files: signed-in staff of the file's agency only, with headers that keep it a file."""

import pytest

from casework.auth.models import Role
from casework.files.services import store_upload
from tests.files.samples import PDF, image_bytes


@pytest.fixture
def photo(agency, caseworker):
    """A PNG stored by the agency's caseworker."""
    return store_upload(agency, caseworker, image_bytes("PNG"), filename="Foto Budi.png")


def test_staff_of_the_agency_get_a_photo_inline_never_cached(client, login, staff, photo):
    login(staff(Role.DATA_OFFICER))
    response = client.get(f"/files/{photo.uuid}", buffered=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.headers["Cache-Control"] == "no-store"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.data[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_pdf_is_downloaded_not_shown(client, login, agency, caseworker):
    stored = store_upload(agency, caseworker, PDF, filename="surat.pdf")
    login(caseworker)
    response = client.get(f"/files/{stored.uuid}", buffered=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=surat.pdf"


def test_signed_out_users_are_sent_to_sign_in(client, photo):
    response = client.get(f"/files/{photo.uuid}", buffered=True)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.VIEWER])
def test_roles_that_may_not_read_clients_get_a_403(client, login, staff, photo, role):
    login(staff(role))
    assert client.get(f"/files/{photo.uuid}", buffered=True).status_code == 403


def test_another_agency_gets_a_404(client, login, make, photo):
    login(make.user(role=Role.ADMIN))
    response = client.get(f"/files/{photo.uuid}", buffered=True)
    assert response.status_code == 404
    assert b"PNG" not in response.data


def test_an_unknown_or_malformed_uuid_is_a_404(client, login, caseworker):
    login(caseworker)
    assert client.get("/files/5d2a9a7e-3c1b-4f6e-8a0d-2b4c6e8f0a1c").status_code == 404
    assert client.get("/files/not-a-uuid").status_code == 404
