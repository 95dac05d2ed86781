"""The triage API: the queue, one report with what helps decide, steps at a version, 409s carrying the state."""

from datetime import datetime

from casework.auth.models import Role
from casework.core.localtime import local_zone
from tests.findings.triage_support import admin, duty_supervisor, received_hours_ago, token_of

__all__ = ["admin", "duty_supervisor", "token_of"]


def step(client, headers, report, action, **body):
    """POSTs ``action`` on ``report`` (a dict) at its version unless ``version`` is given."""
    body.setdefault("version", report["version"])
    return client.post(f"/api/v1/reports/{report['uuid']}/{action}", json=body, headers=headers)


def test_queue_and_report_through_the_api(client, token_of, new_finding, duty_supervisor, new_client, new_case):
    karto = new_client(full_name="Karto", sex="male")
    case = new_case(client=karto)
    routine = received_hours_ago(new_finding(urgency="routine"), 3)
    emergency = new_finding(urgency="emergency")
    headers = token_of(duty_supervisor)
    listed = client.get("/api/v1/reports", headers=headers)
    assert listed.status_code == 200
    assert [item["number"] for item in listed.json["items"]] == [emergency.number, routine.number]
    assert listed.json["total"] == 2
    got = client.get(f"/api/v1/reports/{routine.uuid}", headers=headers).json
    assert (got["status"], got["urgency"], got["village"], got["person_name"]) == (
        "received",
        "routine",
        routine.region.name,
        "Mbah Karto",
    )
    assert [event["kind"] for event in got["history"]] == ["received"]
    assert got["likely_clients"][0]["client_uuid"] == str(karto.uuid)
    assert got["likely_clients"][0]["open_cases"] == [{"uuid": str(case.uuid), "number": case.number}]
    assert (got["hours_to_decision"], got["days_to_first_visit"]) == (None, None)


def test_steps_through_the_api(client, token_of, new_finding, duty_supervisor, new_case):
    case = new_case()
    headers = token_of(duty_supervisor)
    report = client.get(f"/api/v1/reports/{new_finding().uuid}", headers=headers).json
    reviewed = step(client, headers, report, "review")
    assert reviewed.status_code == 200 and reviewed.json["status"] == "under_review"
    stale = step(client, headers, report, "attach", case_number=case.number)
    assert stale.status_code == 409 and stale.json["error"]["current"]["status"] == "under_review"
    attached = step(client, headers, reviewed.json, "attach", case_number=case.number)
    assert attached.status_code == 200
    assert (attached.json["status"], attached.json["case_number"]) == ("case_attached", case.number)
    assert attached.json["decided_by_id"] == duty_supervisor.id and attached.json["hours_to_decision"] is not None
    again = step(client, headers, attached.json, "close", reason="not_found")
    assert again.status_code == 409 and again.json["error"]["current"]["status"] == "case_attached"
    # The day it was received, as the agency reads it (Asia/Jakarta; the API gives UTC instants).
    received = datetime.fromisoformat(attached.json["received_at"]).astimezone(local_zone()).date()
    visited = step(client, headers, attached.json, "visit", visited_on=received.isoformat())
    assert visited.status_code == 200 and visited.json["days_to_first_visit"] == 0


def test_validation_and_duplicates_through_the_api(client, token_of, new_finding, duty_supervisor, new_client):
    karto = new_client(full_name="Karto", sex="male")
    headers = token_of(duty_supervisor)
    report = client.get(f"/api/v1/reports/{new_finding().uuid}", headers=headers).json
    missing = step(client, headers, report, "forward-agency")
    assert missing.status_code == 422 and missing.json["error"]["fields"] == {"name": ["Wajib diisi."]}
    no_version = client.post(f"/api/v1/reports/{report['uuid']}/close", json={"reason": "not_found"}, headers=headers)
    assert no_version.status_code == 422
    duplicate = step(client, headers, report, "open-case", caseworker_id=duty_supervisor.id)
    assert duplicate.status_code == 409
    candidates = duplicate.json["error"]["current"]["candidates"]
    assert [candidate["uuid"] for candidate in candidates] == [str(karto.uuid)]
    opened = step(client, headers, report, "open-case", client_uuid=str(karto.uuid), caseworker_id=duty_supervisor.id)
    assert opened.status_code == 200 and opened.json["status"] == "case_opened"


def test_only_triage_staff_of_the_agency_use_the_api(client, token_of, new_finding, volunteer, staff, make):
    report = new_finding()
    for user in (volunteer, staff(Role.CASEWORKER)):
        headers = token_of(user)
        assert client.get("/api/v1/reports", headers=headers).status_code == 403
        assert client.get(f"/api/v1/reports/{report.uuid}", headers=headers).status_code == 403
        assert step(client, headers, {"uuid": report.uuid, "version": 1}, "review").status_code == 403
    stranger = token_of(make.user(role=Role.SUPERVISOR))
    assert client.get(f"/api/v1/reports/{report.uuid}", headers=stranger).status_code == 404
