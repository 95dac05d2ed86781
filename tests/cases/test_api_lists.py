"""The case API's lists: the caseload filters, cursor walks, searches by page, and their documentation."""

from datetime import date

from casework.auth.models import Role
from casework.cases import stages
from tests.cases.conftest import INTAKE_DAY


def uuids(response):
    """The case UUIDs a list response holds, in order."""
    assert response.status_code == 200, response.json
    return [item["uuid"] for item in response.json["items"]]


def test_filters_narrow_the_list_as_on_the_caseload(
    client, login, caseworker, staff, make, agency, new_case, new_client
):
    mine = new_case(client=new_client(full_name="Sutrisno"))
    other_holder = staff(Role.SUPERVISOR)
    other_unit = make.unit(agency=agency, code="REH2", name="Bidang Lain")
    theirs = new_case(caseworker_id=other_holder.id, unit_id=other_unit.id)
    stages.begin_assessment(theirs, caseworker, theirs.version, {"started_on": INTAKE_DAY})
    login(caseworker)
    assert uuids(client.get("/api/v1/cases?mine=1")) == [str(mine.uuid)]
    # Another unit's case is outside a caseworker's scope; an administrator lists every case of the agency.
    assert uuids(client.get(f"/api/v1/cases?unit_id={other_unit.id}")) == []
    client.post("/logout")
    login(staff(Role.ADMIN))
    assert uuids(client.get(f"/api/v1/cases?unit_id={other_unit.id}")) == [str(theirs.uuid)]
    assert uuids(client.get("/api/v1/cases?stage=assessment")) == [str(theirs.uuid)]
    assert len(uuids(client.get("/api/v1/cases?stage=open"))) == 2
    # Intake on 2 November, assessment due within the agency's days: both are late by December.
    overdue = client.get("/api/v1/cases?overdue=assessment").json["items"]
    assert {item["uuid"] for item in overdue} == {str(mine.uuid), str(theirs.uuid)}
    assert all(item["overdue"] == ["assessment"] for item in overdue) and date.today() > date(2026, 11, 30)
    assert uuids(client.get("/api/v1/cases?q=Sutrisno")) == [str(mine.uuid)]
    assert uuids(client.get(f"/api/v1/cases?q={mine.number}")) == [str(mine.uuid)]


def test_bad_filters_are_a_422_by_field(client, login, caseworker):
    login(caseworker)
    response = client.get("/api/v1/cases?stage=selesai&unit_id=satu&overdue=kemarin")
    assert response.status_code == 422
    assert sorted(response.json["error"]["fields"]) == ["overdue", "stage", "unit_id"]


def test_the_list_is_walked_by_cursor_and_a_search_by_page(client, login, caseworker, new_case, new_client):
    opened = [new_case(client=new_client(full_name=f"Klien Uji {n}")) for n in range(5)]
    login(caseworker)
    first = client.get("/api/v1/cases?per_page=2").json
    assert "total" not in first and first["per_page"] == 2
    seen, cursor = [item["uuid"] for item in first["items"]], first["next_cursor"]
    while cursor:
        page = client.get(f"/api/v1/cases?per_page=2&cursor={cursor}").json
        seen += [item["uuid"] for item in page["items"]]
        cursor = page["next_cursor"]
    assert seen == [str(case.uuid) for case in reversed(opened)]
    searched = client.get("/api/v1/cases?q=KS-2026&per_page=2&page=3").json
    assert (searched["total"], searched["pages"], len(searched["items"])) == (5, 3, 1)
    tampered = client.get("/api/v1/cases?cursor=abc")
    assert tampered.status_code == 422 and "cursor" in tampered.json["error"]["fields"]


def test_every_case_endpoint_is_documented(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    case_paths = {path: operations for path, operations in paths.items() if path.startswith("/api/v1/cases")}
    # Every step of the case's own life is an endpoint; closing is a proposal a supervisor decides.
    steps = ("assessment/start", "assessment", "plan", "admissions", "discharge", "setting", "assignment")
    closing = ("closures", "closures/{closure_uuid}/approval", "reopening", "aftercare")
    lists = ("timeline", "deliveries", "notes", "attachments")
    assert {f"/api/v1/cases/{{case_uuid}}/{name}" for name in (*steps, *closing, *lists)} <= set(case_paths)
    assert "/api/v1/cases/{case_uuid}/termination" not in case_paths
    listed = case_paths["/api/v1/cases"]["get"]
    names = [parameter["name"] for parameter in listed["parameters"]]
    assert {"cursor", "page", "per_page", "mine", "unit_id", "stage", "overdue", "q"} <= set(names)
    step = case_paths["/api/v1/cases/{case_uuid}/assessment"]["post"]
    assert step["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Assessment"}
    assert {"200", "401", "403", "404", "409", "422"} <= set(step["responses"])
    delivery = case_paths["/api/v1/cases/{case_uuid}/deliveries"]["post"]
    assert {"200", "201"} <= set(delivery["responses"])


def test_a_timeline_and_deliveries_are_walked_by_cursor(client, login, caseworker, new_case):
    case = new_case()
    login(caseworker)
    for day in (3, 4, 5):
        delivered = client.post(
            f"/api/v1/cases/{case.uuid}/deliveries", json={"service": "sandang", "delivered_on": f"2026-11-0{day}"}
        )
        assert delivered.status_code == 201
    for resource, expected in (("timeline", 4), ("deliveries", 3)):
        first = client.get(f"/api/v1/cases/{case.uuid}/{resource}?per_page=2").json
        second = client.get(f"/api/v1/cases/{case.uuid}/{resource}?per_page=2&cursor={first['next_cursor']}").json
        assert (len(first["items"]), len(second["items"]), second["next_cursor"]) == (2, expected - 2, None)
    oldest = client.get(f"/api/v1/cases/{case.uuid}/timeline?per_page=3").json
    last = client.get(f"/api/v1/cases/{case.uuid}/timeline?cursor={oldest['next_cursor']}").json["items"]
    assert [event["kind"] for event in last] == ["opened"]
