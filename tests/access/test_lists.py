"""Sensitive records in lists: masked for whoever may not read them, in full for those who may, one query a page."""

import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.deliveries import record_delivery
from casework.extensions import db
from casework.reference.models import Service
from tests.access.conftest import VICTIM_NAME
from tests.cases.conftest import INTAKE_DAY
from tests.exports.conftest import read_csv

MASKED = "R**** S***********"


def test_the_clients_list_masks_a_restricted_client(client, login, other_caseworker, caseworker, sensitive_case):
    login(other_caseworker)
    page = client.get("/clients/").get_data(as_text=True)
    assert MASKED in page and VICTIM_NAME not in page
    listed = client.get("/api/v1/clients").json["items"]
    [row] = [item for item in listed if item["uuid"] == str(sensitive_case.client.uuid)]
    assert row["full_name"] == MASKED and row["nik"].endswith("*" * 10) and row["phone"] == "*" * 10 + "90"


def test_the_caseload_masks_a_restricted_client(client, login, make, agency, sensitive_case, plain_case):
    # An administrator lists every case of the agency; a sensitive client's name stays hidden from them.
    login(make.user(role=Role.ADMIN, unit=make.unit(agency=agency)))
    page = client.get("/cases/?scope=all").get_data(as_text=True)
    assert MASKED in page and VICTIM_NAME not in page
    assert "Sutrisno Wibowo" in page


def test_the_case_list_masks_a_restricted_client(client, login, other_caseworker, sensitive_case, plain_case):
    login(other_caseworker)
    items = {item["uuid"]: item for item in client.get("/api/v1/cases").json["items"]}
    assert items[str(sensitive_case.uuid)]["client_name"] == MASKED
    assert items[str(plain_case.uuid)]["client_name"] == "Sutrisno Wibowo"
    found = client.get("/api/v1/cases", query_string={"q": "Ratna"}).json["items"]
    assert [item["client_name"] for item in found] == [MASKED]


def test_the_caseworker_sees_the_name_in_lists(client, login, caseworker, sensitive_case):
    login(caseworker)
    assert VICTIM_NAME in client.get("/cases/?scope=mine").get_data(as_text=True)
    assert VICTIM_NAME in client.get("/clients/").get_data(as_text=True)


def test_the_deliveries_list_masks_a_restricted_client(client, login, other_caseworker, caseworker, sensitive_case):
    meals = db.session.scalar(sa.select(Service).where(Service.slug == "permakanan"))
    record_delivery(sensitive_case, caseworker, {"service_id": meals.id, "delivered_on": INTAKE_DAY})
    login(other_caseworker)
    page = client.get("/services/").get_data(as_text=True)
    assert sensitive_case.number in page and MASKED in page and VICTIM_NAME not in page


def _records(response):
    """A CSV download's rows as dicts by heading."""
    heading, *rows = read_csv(response)
    return [dict(zip(heading, row, strict=True)) for row in rows]


def test_the_clients_file_masks_a_restricted_client_even_for_a_role_that_sees_names(
    client, login, other_caseworker, sensitive_case, plain_case
):
    login(other_caseworker)
    clients = {row["Nama"]: row for row in _records(client.get("/exports/clients.csv"))}
    assert MASKED in clients and VICTIM_NAME not in clients and "Sutrisno Wibowo" in clients
    assert clients[MASKED]["NIK"].endswith("*" * 10) and clients[MASKED]["Alamat"] == "J** M***** 1*"


def test_the_cases_file_masks_a_restricted_client_for_an_administrator(
    client, login, make, agency, sensitive_case, plain_case
):
    login(make.user(role=Role.ADMIN, unit=make.unit(agency=agency)))
    cases = {row["Nomor kasus"]: row["Klien"] for row in _records(client.get("/exports/cases.csv?scope=all"))}
    assert cases == {sensitive_case.number: MASKED, plain_case.number: "Sutrisno Wibowo"}


def test_the_caseworker_reads_the_name_in_the_clients_file(client, login, caseworker, sensitive_case):
    login(caseworker)
    assert VICTIM_NAME in {row["Nama"] for row in _records(client.get("/exports/clients.csv"))}
