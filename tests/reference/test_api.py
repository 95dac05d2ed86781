"""The reference-data API: region search and look-up, and the lists."""

import pytest

from casework.auth.models import Role


@pytest.fixture
def signed_in(make, login):
    """A caseworker signed in through the login page."""
    return login(make.user(role=Role.CASEWORKER))


def test_region_search(client, signed_in):
    response = client.get("/api/v1/regions?q=bekasi+ti&level=3")
    assert response.status_code == 200
    assert response.json == {
        "items": [
            {
                "code": "32.75.01",
                "name": "Bekasi Timur",
                "kind": "kecamatan",
                "level": 3,
                "path": "Bekasi Timur, Kota Bekasi, Jawa Barat",
                "postal_code": None,
            }
        ]
    }


def test_region_search_within_and_limit(client, signed_in):
    items = client.get("/api/v1/regions?q=ar&within=327501&limit=3").json["items"]
    assert [(i["code"], i["postal_code"]) for i in items] == [("32.75.01.1004", "17111")]
    assert len(client.get("/api/v1/regions?q=su&limit=3").json["items"]) == 3
    assert len(client.get("/api/v1/regions?q=su&limit=200").json["items"]) == 50


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("q=b", "q"),
        ("", "q"),
        ("q=bekasi&level=5", "level"),
        ("q=bekasi&level=x", "level"),
        ("q=bekasi&limit=0", "limit"),
        ("q=bekasi&limit=many", "limit"),
        ("q=bekasi&within=32.99", "within"),
    ],
)
def test_bad_search_arguments_get_the_422_envelope(client, signed_in, query, field):
    response = client.get(f"/api/v1/regions?{query}")
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "validation_failed"
    assert list(error["fields"]) == [field]
    assert error["message"]


def test_region_by_code(client, signed_in):
    response = client.get("/api/v1/regions/3275011001")
    assert response.status_code == 200
    assert response.json["code"] == "32.75.01.1001"
    assert response.json["parent_code"] == "32.75.01"
    assert response.json["retired"] is False
    assert response.json["table_version"].startswith("Kepmendagri")


def test_unknown_region_gets_the_404_envelope(client, signed_in):
    response = client.get("/api/v1/regions/32.99")
    assert response.status_code == 404
    assert response.json["error"] == {
        "code": "not_found",
        "message": "Kode wilayah 32.99 tidak dikenal.",
        "fields": {},
    }


def test_lists(client, signed_in):
    categories = client.get("/api/v1/categories").json["items"]
    assert len(categories) == 30
    assert categories[0]["slug"] == "anak-balita-telantar" and categories[0]["national_ordinal"] == 1
    assert categories[0]["counting_unit"] == "person" and categories[0]["spm_group"] == "child"
    assert {"code_set": "kota-f", "code": "F1", "name": "Anak balita telantar"} in categories[0]["local_codes"]

    services = client.get("/api/v1/services").json["items"]
    meals = next(s for s in services if s["slug"] == "permakanan")
    assert meals["max_days"] == 7 and meals["budget_code"] == "1.06.04.2.01.0001"

    types = client.get("/api/v1/spm-service-types").json["items"]
    assert len(types) == 10
    kab5 = next(t for t in types if t["code"] == "kab-5")
    assert (kab5["level"], kab5["setting"], kab5["target_group"]) == ("city", "disaster", "disaster")
    assert kab5["package"][0] == {
        "ordinal": 1,
        "slug": "permakanan-bencana",
        "name": "Permakanan korban bencana (3 kali sehari)",
    }

    psks = client.get("/api/v1/psks-types").json["items"]
    assert [p["ordinal"] for p in psks] == list(range(1, 13))


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/regions?q=bekasi",
        "/api/v1/regions/32",
        "/api/v1/categories",
        "/api/v1/services",
        "/api/v1/spm-service-types",
        "/api/v1/psks-types",
    ],
)
def test_every_endpoint_needs_a_signed_in_user(client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
