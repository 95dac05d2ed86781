"""The aftercare API: the exit assessment (idempotent, versioned), visits in the caller's view, the figures."""

from datetime import date

import sqlalchemy as sa

from casework.aftercare.models import AftercareVisit
from casework.auth.models import Role
from casework.extensions import db
from tests.aftercare.conftest import full_scores

ASSESSMENT_UUID = "5c2d7e1a-8b3f-4c6d-9e0a-1b2c3d4e5f60"


def test_recording_and_replacing_the_exit_assessment(client, login, caseworker, ended_case):
    case = ended_case(date(2025, 3, 31))
    login(caseworker)
    url = f"/api/v1/cases/{case.uuid}/exit-assessment"
    assert client.get(url).status_code == 404
    body = {"uuid": ASSESSMENT_UUID, "assessed_on": "2025-03-31", "decision": "self_reliant", "scores": full_scores(3)}
    made = client.put(url, json=body)
    assert made.status_code == 201, made.json
    assert (made.json["index"], made.json["score_total"], made.json["score_max"]) == ("75.00", 36, 48)
    assert (made.json["decision"], made.json["graduation"]) == ("self_reliant", "self_reliant")
    assert [score["code"] for score in made.json["scores"]][:2] == ["income", "housing"]
    assert client.put(url, json=body).status_code == 200
    stale = client.put(url, json={**body, "uuid": None, "decision": "not_self_reliant", "version": 0})
    assert stale.status_code == 409 and stale.json["error"]["current"]["decision"] == "self_reliant"
    changed = client.put(url, json={**body, "uuid": None, "decision": "not_self_reliant", "version": 1})
    assert changed.status_code == 200 and changed.json["graduation"] == "natural"
    bad = client.put(url, json={**body, "uuid": None, "version": 2, "scores": {"income": -1}})
    assert bad.status_code == 422 and "score_income" in bad.json["error"]["fields"]


def test_visits_and_recording_one(client, login, volunteer, ended_case, assess):
    case = ended_case(date(2025, 3, 31))
    assess(case)
    login(volunteer)
    listed = client.get("/api/v1/aftercare/visits").json
    assert listed["total"] == 5
    first = listed["items"][0]
    assert set(first) == {"id", "client_name", "village", "month_offset", "due_on", "visited_on", "result", "version"}
    assert (first["client_name"], first["month_offset"], first["due_on"]) == ("Siti Aminah", 6, "2025-09-30")
    url = f"/api/v1/aftercare/visits/{first['id']}"
    body = {"version": first["version"], "visited_on": "2025-10-01", "result": "stable"}
    recorded = client.post(url, json=body)
    assert recorded.status_code == 200 and recorded.json["result"] == "stable"
    again = client.post(url, json=body)
    assert again.status_code == 409 and again.json["error"]["current"]["visited_on"] == "2025-10-01"
    visit = db.session.get(AftercareVisit, first["id"])
    assert visit.recorded_by_id == volunteer.id


def test_a_caseworker_sees_only_their_cases_visits(client, login, staff, ended_case, assess):
    assess(ended_case(date(2025, 3, 31)))
    login(staff(Role.CASEWORKER))
    assert client.get("/api/v1/aftercare/visits").json["total"] == 0
    visit_id = db.session.scalar(sa.select(sa.func.min(AftercareVisit.id)))
    assert client.post(f"/api/v1/aftercare/visits/{visit_id}", json={"version": 1}).status_code == 404


def test_the_graduation_figures(client, login, staff, ended_case, assess, new_case):
    case = ended_case(date(2024, 1, 31), "self_reliant")
    assess(case)
    ended_case(date(2024, 5, 1), "lost_contact")
    new_case(client=case.client, intake_date=date(2025, 3, 1))
    login(staff(Role.VIEWER))
    figures = client.get("/api/v1/aftercare/graduation?year=2024&places=3").json
    assert (figures["start"], figures["end"], figures["exits"], figures["unassessed"]) == (
        "2024-01-01",
        "2024-12-31",
        2,
        1,
    )
    assert figures["types"][0] == {"type": "self_reliant", "count": 1, "exits": 2, "percent": "50.000"}
    assert figures["total_percent"] == "100.000"
    # Back as a new case on 1 March 2025: held at +12 (31 Jan 2025), not at +24.
    twelve, twenty_four = figures["sustained"]
    assert (twelve["eligible"], twelve["sustained"], twenty_four["eligible"], twenty_four["sustained"]) == (1, 1, 1, 0)
    assert client.get("/api/v1/aftercare/graduation?year=2024&quarter=5").status_code == 422
    assert client.get("/api/v1/aftercare/early-warning").status_code == 403


def test_the_early_warning_list(client, login, caseworker, ended_case, assess, new_case):
    case = ended_case(date(2025, 3, 31))
    assess(case)
    new_case(client=case.client, intake_date=date(2025, 6, 1))
    login(caseworker)
    items = client.get("/api/v1/aftercare/early-warning").json["items"]
    assert [(item["number"], item["new_case"], item["graduation"]) for item in items] == [
        (case.number, True, "self_reliant")
    ]
