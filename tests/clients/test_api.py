"""The client API: idempotent creates, duplicates as 409, search, versioned changes, access."""

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.clients import api as clients_api
from casework.clients.models import Client
from casework.extensions import db
from casework.reference.models import Category
from tests.clients.conftest import VALID_NIK

UUID = "5d2a9a7e-3c1b-4f6e-8a0d-2b4c6e8f0a1c"


def client_count():
    """How many clients are stored."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Client))


def category_id(slug):
    """The id of the category with ``slug``."""
    return db.session.scalar(sa.select(Category.id).where(Category.slug == slug))


def test_create_then_retry_with_the_same_uuid(client, login, caseworker):
    login(caseworker)
    body = {"uuid": UUID, "full_name": "Sutrisno", "birth_year": 1950, "birth_year_estimated": True, "sex": "male"}
    first = client.post("/api/v1/clients", json=body)
    assert first.status_code == 201
    assert (first.json["uuid"], first.json["birth_year_estimated"], first.json["version"]) == (UUID, True, 1)
    retry = client.post("/api/v1/clients", json=body)
    assert retry.status_code == 200
    assert retry.json == first.json
    assert client_count() == 1


def test_possible_duplicates_are_a_409_with_candidates_until_confirmed(client, login, caseworker, new_client):
    existing = new_client(full_name="Soetrisno", sex="male", birth_year=1951, birth_year_estimated=True)
    login(caseworker)
    body = {"uuid": UUID, "full_name": "Sutrisno", "sex": "male", "birth_year": 1950, "birth_year_estimated": True}
    response = client.post("/api/v1/clients", json=body)
    assert response.status_code == 409
    error = response.json["error"]
    assert error["code"] == "possible_duplicate" and error["current"]["confirmable"] is True
    [candidate] = error["current"]["candidates"]
    assert candidate["uuid"] == str(existing.uuid)
    assert candidate["reasons"] == ["nama mirip 100", "tahun lahir mirip (perkiraan ±2)"]
    assert client_count() == 1
    assert client.post("/api/v1/clients", json={**body, "confirm_new": True}).status_code == 201
    assert client_count() == 2


def test_an_existing_nik_is_refused_even_when_confirmed(client, login, caseworker, new_client):
    holder = new_client(full_name="Siti Rahma", nik=VALID_NIK)
    login(caseworker)
    response = client.post("/api/v1/clients", json={"full_name": "Lain", "nik": VALID_NIK, "confirm_new": True})
    assert response.status_code == 409
    current = response.json["error"]["current"]
    assert current["confirmable"] is False
    assert [(c["uuid"], c["reasons"]) for c in current["candidates"]] == [(str(holder.uuid), ["NIK sama"])]


def test_nik_warnings_come_with_the_record(client, login, caseworker):
    login(caseworker)
    body = {"full_name": "Siti Rahma", "nik": VALID_NIK, "sex": "male", "birth_date": "1990-05-17"}
    response = client.post("/api/v1/clients", json=body)
    assert response.status_code == 201
    assert response.json["identity_warnings"] == [
        "Jenis kelamin yang diisi tidak sama dengan jenis kelamin menurut NIK."
    ]


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Wajib diisi."),
        (
            {"birth_date": "2026-02-29"},
            "birth_date",
            "Tanggal tidak valid atau tidak ada di kalender (format TTTT-BB-HH).",
        ),
        ({"birth_year": 1899}, "birth_year", "Tahun lahir harus antara 1900 dan"),
        ({"nik": "3275011713900001"}, "nik", "Bulan lahir di NIK (digit 9–10) harus 01–12; tertulis 13."),
        ({"kk_number": "99750101012000031"}, "kk_number", "Nomor KK harus 16 digit; yang diisi 17 digit."),
        ({"domicile_region_code": "32.75.99"}, "domicile_region_code", "Kode wilayah 32.75.99 tidak dikenal."),
        ({"uuid": "bukan-uuid"}, "uuid", "UUID tidak valid."),
        ({"categories": [{"category_id": 1}]}, "categories", "Isi sejak kapan kategori"),
        (
            {"categories": [{"category_id": 1, "since": "2026-02-01", "until": "2026-01-01"}]},
            "categories",
            "tanggal berakhir sebelum tanggal mulai.",
        ),
        ({"birth_year": "1990"}, "birth_year", "Not a valid integer."),
    ],
)
def test_bad_input_is_a_422_by_field_and_nothing_is_written(client, login, caseworker, body, field, message):
    login(caseworker)
    response = client.post("/api/v1/clients", json={"full_name": "Sutrisno", **body})
    assert response.status_code == 422
    assert message in response.json["error"]["fields"][field][0]
    assert client_count() == 0


def test_search_and_get(client, login, caseworker, new_client):
    rizki = new_client(full_name="Muhammad Rizki")
    new_client(full_name="Budi Santoso")
    login(caseworker)
    listed = client.get("/api/v1/clients?q=Moh+Rizky&per_page=500").json
    assert [item["uuid"] for item in listed["items"]] == [str(rizki.uuid)]
    assert listed["per_page"] == 100
    assert client.get(f"/api/v1/clients/{rizki.uuid}").json["full_name"] == "Muhammad Rizki"


def test_patch_with_version_sets_categories(client, login, caseworker, new_client):
    stored = new_client(full_name="Tukiyem")
    login(caseworker)
    held = [{"category_id": category_id("lanjut-usia-telantar"), "since": "2026-01-05"}]
    response = client.patch(f"/api/v1/clients/{stored.uuid}", json={"version": 1, "categories": held, "has_kk": True})
    assert response.status_code == 200
    assert response.json["version"] == 2 and response.json["has_kk"] is True
    assert [(c["slug"], c["since"], c["until"]) for c in response.json["categories"]] == [
        ("lanjut-usia-telantar", "2026-01-05", None)
    ]
    ended = [{**held[0], "until": "2026-03-01"}]
    response = client.patch(f"/api/v1/clients/{stored.uuid}", json={"version": 2, "categories": ended})
    assert (response.json["version"], response.json["categories"][0]["until"]) == (3, "2026-03-01")


def test_stale_patch_gets_409_with_the_current_state(client, login, caseworker, new_client):
    stored = new_client(full_name="Tukiyem")
    login(caseworker)
    assert (
        client.patch(f"/api/v1/clients/{stored.uuid}", json={"version": 1, "full_name": "Mbah Tukiyem"}).status_code
        == 200
    )
    response = client.patch(f"/api/v1/clients/{stored.uuid}", json={"version": 1, "full_name": "Tablet lama"})
    assert response.status_code == 409
    current = response.json["error"]["current"]
    assert (current["full_name"], current["version"]) == ("Mbah Tukiyem", 2)
    assert client.patch(f"/api/v1/clients/{stored.uuid}", json={"full_name": "X"}).status_code == 422


def test_patch_to_a_nik_another_client_holds_is_refused(client, login, caseworker, new_client):
    new_client(full_name="Siti Rahma", nik=VALID_NIK)
    other = new_client(full_name="Tukiyem")
    login(caseworker)
    response = client.patch(f"/api/v1/clients/{other.uuid}", json={"version": 1, "nik": VALID_NIK})
    assert response.status_code == 409
    assert response.json["error"]["current"]["candidates"][0]["full_name"] == "Siti Rahma"


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.VIEWER])
def test_volunteers_and_viewers_are_refused(client, login, staff, new_client, role):
    stored = new_client(full_name="Tukiyem")
    login(staff(role))
    assert client.get("/api/v1/clients").status_code == 403
    assert client.get(f"/api/v1/clients/{stored.uuid}").status_code == 403
    assert client.post("/api/v1/clients", json={"full_name": "X"}).status_code == 403


def test_another_agencys_client_is_not_found(client, login, make, new_client):
    stored = new_client(full_name="Tukiyem")
    login(make.user(role=Role.CASEWORKER))
    assert client.get(f"/api/v1/clients/{stored.uuid}").status_code == 404
    assert client.patch(f"/api/v1/clients/{stored.uuid}", json={"version": 1}).status_code == 404
    assert client.get("/api/v1/clients?q=tukiyem").json["items"] == []
    retry = client.post("/api/v1/clients", json={"uuid": str(stored.uuid), "full_name": "Tukiyem"})
    assert retry.json["error"]["fields"] == {"uuid": ["UUID ini sudah dipakai untuk data lain."]}


def test_a_search_matching_many_stops_counting_at_the_bound(client, login, caseworker, new_client, monkeypatch):
    monkeypatch.setattr(clients_api, "COUNT_BOUND", 1)
    for serial in ("0001", "0002", "0003"):
        new_client(full_name=f"Klien {serial}", nik=VALID_NIK[:12] + serial)
    login(caseworker)
    first = client.get(f"/api/v1/clients?q={VALID_NIK[:6]}&per_page=1").json
    assert (len(first["items"]), first["total"], first["more"]) == (1, 1, True)
    # Counted from the page's start: the last page knows the exact total again.
    last = client.get(f"/api/v1/clients?q={VALID_NIK[:6]}&per_page=1&page=3").json
    assert (len(last["items"]), last["total"], last["more"]) == (1, 3, False)
