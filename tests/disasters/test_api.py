"""The disaster API: events, sites, households with members (idempotent), people, and the refusals."""

import uuid as uuid_module
from datetime import timedelta

from casework.auth.models import Role
from tests.disasters.conftest import OCCURRED, TODAY, VILLAGE, event_data, member, nik, people_count


def test_an_event_and_a_site_are_created_read_and_corrected(client, login, supervisor):
    login(supervisor)
    key = str(uuid_module.uuid4())
    first = client.post("/api/v1/disasters", json={**event_data(), "uuid": key})
    assert first.status_code == 201, first.get_json()
    event = first.get_json()
    assert event["number"] == f"BCN-{OCCURRED.year}-0001" and event["status"] == "emergency"
    assert client.post("/api/v1/disasters", json={**event_data(), "uuid": key}).status_code == 200
    assert [item["uuid"] for item in client.get("/api/v1/disasters").get_json()["items"]] == [event["uuid"]]
    patched = client.patch(f"/api/v1/disasters/{event['uuid']}", json={"version": 1, "name": "Banjir besar"})
    assert patched.status_code == 200 and patched.get_json()["name"] == "Banjir besar"
    stale = client.patch(f"/api/v1/disasters/{event['uuid']}", json={"version": 1, "name": "Lagi"})
    assert stale.status_code == 409 and stale.get_json()["error"]["current"]["name"] == "Banjir besar"
    site = client.post(
        f"/api/v1/disasters/{event['uuid']}/sites",
        json={"name": "GOR Bantargebang", "region_code": VILLAGE, "capacity": 250, "opened_on": OCCURRED.isoformat()},
    )
    assert site.status_code == 201 and site.get_json()["capacity"] == 250
    assert len(client.get(f"/api/v1/disasters/{event['uuid']}/sites").get_json()["items"]) == 1


def test_a_household_is_registered_with_its_members_and_a_retry_saves_nothing(
    client, login, caseworker, event, site, new_client
):
    holder = new_client(full_name="Budi Santoso", nik=nik(5), sex="male")
    login(caseworker)
    body = {
        "uuid": str(uuid_module.uuid4()),
        "site_uuid": str(site.uuid),
        "region_code": VILLAGE,
        "kk_number": nik(8),
        "members": [
            member("Budi Santoso", nik=nik(5)),
            member("Sri", sex="female", relation="spouse", age_years=29),
            member("Ayu", sex="female", relation="child", age_years=1),
            member("Mbah Wiryo", relation="parent", age_years=82),
            member("Tono", relation="child", age_years=12, disability=True),
        ],
    }
    first = client.post(f"/api/v1/disasters/{event.uuid}/households", json=body)
    assert first.status_code == 201, first.get_json()
    household = first.get_json()
    assert [person["relation"] for person in household["members"]] == ["head", "spouse", "child", "parent", "child"]
    assert [person["under_five"] for person in household["members"]] == [False, False, True, False, False]
    assert [person["elderly"] for person in household["members"]] == [False, False, False, True, False]
    assert household["members"][0]["client_linked"] and not household["members"][1]["client_linked"]
    assert household["members"][4]["disability"]
    retry = client.post(f"/api/v1/disasters/{event.uuid}/households", json=body)
    assert retry.status_code == 200 and people_count() == 5
    assert holder.id
    listed = client.get(f"/api/v1/disasters/{event.uuid}/households?site={site.uuid}&per_page=1").get_json()
    assert [item["uuid"] for item in listed["items"]] == [household["uuid"]] and listed["next_cursor"] is None
    got = client.get(f"/api/v1/disasters/households/{household['uuid']}").get_json()
    assert got["event_uuid"] == str(event.uuid)


def test_the_household_list_pages_by_cursor(client, login, caseworker, event, household):
    for name in ("Agus", "Bambang", "Cahyo"):
        household([member(name)])
    login(caseworker)
    first = client.get(f"/api/v1/disasters/{event.uuid}/households?per_page=2").get_json()
    second = client.get(
        f"/api/v1/disasters/{event.uuid}/households?per_page=2&cursor={first['next_cursor']}"
    ).get_json()
    names = [item["members"][0]["name"] for item in first["items"] + second["items"]]
    assert names == ["Agus", "Bambang", "Cahyo"] and second["next_cursor"] is None


def test_refusals_come_in_the_envelope_with_member_paths(client, login, caseworker, event, site, household):
    household([member("Budi", nik=nik(1))])
    login(caseworker)
    response = client.post(
        f"/api/v1/disasters/{event.uuid}/households",
        json={
            "region_code": VILLAGE,
            "site_uuid": str(site.uuid),
            "members": [member("Ahmad", age_years=131), member("Budi", relation="child", nik=nik(1))],
        },
    )
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_failed"
    assert error["fields"]["members.0.age_years"] == ["Anggota ke-1: umur lebih dari 130 tahun."]
    assert error["fields"]["members.1.nik"] == [
        "Anggota ke-2: NIK ini sudah terdaftar di bencana ini, di keluarga Budi."
    ]
    assert people_count() == 1
    malformed = client.post(f"/api/v1/disasters/{event.uuid}/households", json={"members": "x"})
    assert malformed.status_code == 422


def test_a_person_is_read_linked_and_made_a_case_through_the_api(
    client, login, caseworker, event, household, new_client
):
    other = new_client(full_name="Wati Lestari", sex="female", birth_year=2015)
    saved = household([member("Ratna"), member("Wati", sex="female", relation="child", age_years=11)])
    child = saved.members[1]
    login(caseworker)
    assert client.get(f"/api/v1/disasters/people/{child.uuid}").get_json()["name"] == "Wati"
    linked = client.post(
        f"/api/v1/disasters/people/{child.uuid}/client", json={"version": child.version, "client_uuid": str(other.uuid)}
    )
    assert linked.status_code == 200 and linked.get_json()["client_linked"]
    made = client.post(f"/api/v1/disasters/people/{child.uuid}/case", json={"version": linked.get_json()["version"]})
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["client_uuid"] == str(other.uuid) and made.get_json()["case_number"].startswith("KS-")
    again = client.post(f"/api/v1/disasters/people/{child.uuid}/case", json={"version": 3})
    assert again.status_code == 409


def test_a_new_client_that_looks_registered_needs_confirming(client, login, caseworker, event, household, new_client):
    new_client(full_name="Slamet Riyadi", sex="male", birth_year=TODAY.year - 70)
    saved = household([member("Slamet Riyadi", age_years=70)])
    person = saved.members[0]
    login(caseworker)
    refused = client.post(f"/api/v1/disasters/people/{person.uuid}/case", json={"version": person.version})
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "possible_duplicate" and error["current"]["candidates"][0]["full_name"] == "Slamet Riyadi"
    confirmed = client.post(
        f"/api/v1/disasters/people/{person.uuid}/case", json={"version": person.version, "confirm_new": True}
    )
    assert confirmed.status_code == 201


def test_status_steps_and_a_closed_event_refuses_registration(client, login, supervisor, caseworker, event, site):
    login(supervisor)
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    skip = client.post(f"/api/v1/disasters/{event.uuid}/status", json={"version": event.version, "status": "closed"})
    assert skip.status_code == 409
    step = client.post(
        f"/api/v1/disasters/{event.uuid}/status",
        json={"version": event.version, "status": "recovery", "emergency_until": yesterday},
    )
    assert step.status_code == 200 and step.get_json()["emergency_until"] == yesterday
    closed = client.post(
        f"/api/v1/disasters/{event.uuid}/status", json={"version": step.get_json()["version"], "status": "closed"}
    )
    assert closed.status_code == 200 and closed.get_json()["closed_on"] == TODAY.isoformat()
    login(caseworker)
    refused = client.post(
        f"/api/v1/disasters/{event.uuid}/households", json={"region_code": VILLAGE, "members": [member("Budi")]}
    )
    assert refused.status_code == 422 and "sudah ditutup" in refused.get_json()["error"]["message"]


def test_permissions_per_role(client, login, staff, event):
    for role, reads, registers in (
        (Role.VIEWER, 200, 403),
        (Role.DATA_OFFICER, 200, 403),
        (Role.VOLUNTEER, 403, 403),
        (Role.CASEWORKER, 200, 201),
    ):
        login(staff(role))
        assert client.get(f"/api/v1/disasters/{event.uuid}").status_code == reads, role
        response = client.post(
            f"/api/v1/disasters/{event.uuid}/households", json={"region_code": VILLAGE, "members": [member("Budi")]}
        )
        assert response.status_code == registers, role
        client.post("/logout")
    login(staff(Role.CASEWORKER))
    assert client.post("/api/v1/disasters", json=event_data()).status_code == 403
