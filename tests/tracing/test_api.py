"""The tracing API: the whole flow, idempotent creates, versioned changes, and the guards as 404 / 409 / 422."""

from datetime import timedelta

import sqlalchemy as sa

from casework.auth.models import Role
from casework.extensions import db
from casework.tracing.models import FollowupVisit, Reunification, TracingLead, TracingRequest
from tests.tracing.conftest import HOME, LEAD, REQUEST, TODAY, day, event_kinds

REQUEST_UUID = "3d9e1c7a-2b4f-4a6e-8c1d-5e7f9a0b1c2d"
LEAD_UUID = "7a1b2c3d-4e5f-4a6b-9c8d-0e1f2a3b4c5d"
REUNION_UUID = "9f8e7d6c-5b4a-4c3d-8e2f-1a0b9c8d7e6f"


def api(case, path=""):
    """The API address of the case's tracing resources."""
    return f"/api/v1/cases/{case.uuid}/{path}"


def rows(model):
    """How many rows ``model`` holds."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_whole_flow_through_the_api(client, login, caseworker, open_case):
    case = open_case()
    login(caseworker)
    body = {**REQUEST, "uuid": REQUEST_UUID, "opened_on": day(1), "latitude": -6.24, "longitude": 106.99}
    opened = client.post(api(case, "tracing"), json=body)
    assert opened.status_code == 201, opened.json
    assert (opened.json["status"], opened.json["kinship"], opened.json["version"]) == ("open", "mother", 1)
    assert client.post(api(case, "tracing"), json=body).status_code == 200
    lead_body = {**LEAD, "uuid": LEAD_UUID, "followed_on": day(2)}
    lead = client.post(api(case, f"tracing/{REQUEST_UUID}/leads"), json=lead_body)
    assert lead.status_code == 201 and lead.json["method"] == "village_head_letter"
    assert client.post(api(case, f"tracing/{REQUEST_UUID}/leads"), json=lead_body).status_code == 200
    tracing = client.get(api(case, f"tracing/{REQUEST_UUID}")).json
    assert [item["uuid"] for item in tracing["leads"]] == [LEAD_UUID]
    closed = client.post(
        api(case, f"tracing/{REQUEST_UUID}/close"),
        json={"version": tracing["version"], "status": "found", "closed_on": day(3), "result_notes": "Di Bogor"},
    )
    assert closed.status_code == 200, closed.json
    assert (closed.json["status"], closed.json["closed_on"]) == ("found", day(3))

    reunion_body = {**HOME, "home_safe": True, "uuid": REUNION_UUID, "reunified_on": day(10)}
    reunion = client.post(api(case, "reunification"), json={**reunion_body, "tracing_request": REQUEST_UUID})
    assert reunion.status_code == 201, reunion.json
    assert reunion.json["tracing_request_uuid"] == REQUEST_UUID
    visits = reunion.json["visits"]
    assert [(visit["day_offset"], visit["due_on"], visit["overdue"]) for visit in visits] == [
        (7, day(17), True),
        (30, day(40), False),
        (90, day(100), False),
    ]
    assert client.post(api(case, "reunification"), json=reunion_body).status_code == 200
    first = visits[0]
    recorded = client.post(
        api(case, f"reunification/visits/{first['id']}"),
        json={"version": first["version"], "visited_on": day(17), "finding": "Baik", "client_well": True},
    )
    assert recorded.status_code == 200, recorded.json
    assert (recorded.json["visited_on"], recorded.json["client_well"], recorded.json["overdue"]) == (
        day(17),
        True,
        False,
    )
    assert client.get(api(case, "reunification")).json["visits"][0]["finding"] == "Baik"
    assert client.get(api(case, "tracing")).json["items"][0]["uuid"] == REQUEST_UUID
    assert event_kinds(case)[1:] == ["tracing_opened", "tracing_lead", "tracing_closed", "reunified", "followup_visit"]
    timeline = client.get(api(case, "timeline")).json["items"]
    assert timeline[-2]["details"]["tracing"] == REQUEST_UUID and timeline[-2]["latitude"] == -6.24


def test_guards_through_the_api(client, login, caseworker, tracing):
    case, request = tracing()
    login(caseworker)
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    future = client.post(api(case, "tracing"), json={**REQUEST, "opened_on": tomorrow})
    assert future.status_code == 422 and "opened_on" in future.json["error"]["fields"]
    close = api(case, f"tracing/{request.uuid}/close")
    stale = client.post(close, json={"version": request.version + 1, "status": "found", "closed_on": day(2)})
    assert stale.status_code == 409 and stale.json["error"]["current"]["status"] == "open"
    assert (
        client.post(close, json={"version": request.version, "status": "found", "closed_on": day(2)}).status_code == 200
    )
    late = client.post(api(case, f"tracing/{request.uuid}/leads"), json={**LEAD, "followed_on": day(3)})
    assert late.status_code == 409 and late.json["error"]["current"]["status"] == "found"
    assert rows(TracingLead) == 0
    unsafe = client.post(api(case, "reunification"), json={**HOME, "home_safe": False, "reunified_on": day(4)})
    assert unsafe.status_code == 422 and "home_safe" in unsafe.json["error"]["fields"]
    assert rows(Reunification) == 0 and rows(FollowupVisit) == 0
    assert client.get(api(case, "reunification")).status_code == 404


def test_visits_refuse_a_second_recording_and_a_stale_version(client, login, caseworker, reunified):
    case, reunion = reunified()
    visit = reunion.visits[0]
    login(caseworker)
    url = api(case, f"reunification/visits/{visit.id}")
    body = {"visited_on": day(18), "finding": "Baik", "client_well": True}
    stale = client.post(url, json={**body, "version": visit.version + 1})
    assert stale.status_code == 409 and stale.json["error"]["current"]["visited_on"] is None
    assert client.post(url, json={**body, "version": visit.version}).status_code == 200
    again = client.post(url, json={**body, "version": visit.version + 1})
    assert again.status_code == 409 and again.json["error"]["current"]["visited_on"] == day(18)
    assert client.post(api(case, "reunification"), json={**HOME, "reunified_on": day(12)}).status_code == 409


def test_another_agency_sees_nothing(client, login, make, tracing, reunified):
    case, request = tracing()
    reunion_case, reunion = reunified()
    login(make.user(role=Role.SUPERVISOR))
    assert client.get(api(case, "tracing")).status_code == 404
    assert client.post(api(case, "tracing"), json={**REQUEST, "opened_on": day(1)}).status_code == 404
    assert client.post(api(case, f"tracing/{request.uuid}/leads"), json=LEAD).status_code == 404
    url = api(reunion_case, f"reunification/visits/{reunion.visits[0].id}")
    assert client.post(url, json={"version": 1}).status_code == 404
    assert client.get("/api/v1/followup-visits/overdue").json["items"] == []
    assert rows(TracingRequest) == 2


def test_data_officers_read_only(client, login, staff, tracing):
    case, _request = tracing()
    login(staff(Role.DATA_OFFICER))
    assert client.get(api(case, "tracing")).status_code == 200
    assert client.post(api(case, "tracing"), json={**REQUEST, "opened_on": day(1)}).status_code == 403


def test_overdue_visits_list(client, login, staff, office, make, reunified):
    case, _reunion = reunified()
    login(staff(Role.SUPERVISOR))
    listed = client.get("/api/v1/followup-visits/overdue").json
    assert [(item["case_number"], item["day_offset"]) for item in listed["items"]] == [(case.number, 7)]
    assert listed["total"] == 1
    other_unit = make.unit(agency=office.agency)
    assert client.get(f"/api/v1/followup-visits/overdue?unit_id={other_unit.id}").json["items"] == []
