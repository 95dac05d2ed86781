"""Identity masking on detail pages and in the JSON of one client or case, for roles without ``clients.identity``."""

import pytest

from casework.auth.models import Role
from casework.extensions import db
from tests.access.conftest import VICTIM_NIK


@pytest.fixture
def data_officer(staff):
    """A data officer of the agency: reads the registry, not who the people are."""
    return staff(Role.DATA_OFFICER)


def test_a_data_officer_sees_a_masked_client_page(client, login, data_officer, plain_case):
    plain_case.client.nik, plain_case.client.phone, plain_case.client.address = (
        VICTIM_NIK,
        "0812345678",
        "Jl. Kenanga 3",
    )
    db.session.flush()
    login(data_officer)
    page = client.get(f"/clients/{plain_case.client.uuid}").get_data(as_text=True)
    assert "Sutrisno Wibowo" not in page and "S******* W*****" in page
    assert VICTIM_NIK not in page and VICTIM_NIK[:6] + "*" * 10 in page
    assert "0812345678" not in page and "Kenanga" not in page
    case_page = client.get(f"/cases/{plain_case.uuid}").get_data(as_text=True)
    assert "Sutrisno Wibowo" not in case_page and "S******* W*****" in case_page


def test_a_data_officer_gets_masked_json(client, login, data_officer, plain_case):
    plain_case.client.nik, plain_case.client.mother_name = VICTIM_NIK, "Suparmi"
    db.session.flush()
    login(data_officer)
    person = client.get(f"/api/v1/clients/{plain_case.client.uuid}").json
    assert person["full_name"] == "S******* W*****" and person["mother_name"] == "S******"
    assert person["nik"] == VICTIM_NIK[:6] + "*" * 10
    case = client.get(f"/api/v1/cases/{plain_case.uuid}").json
    assert case["client_name"] == "S******* W*****"


def test_a_caseworker_sees_the_identity_in_full(client, login, caseworker, plain_case):
    plain_case.client.nik = VICTIM_NIK
    db.session.flush()
    login(caseworker)
    assert client.get(f"/api/v1/clients/{plain_case.client.uuid}").json["nik"] == VICTIM_NIK
    assert "Sutrisno Wibowo" in client.get(f"/clients/{plain_case.client.uuid}").get_data(as_text=True)
