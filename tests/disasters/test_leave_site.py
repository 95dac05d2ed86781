"""A household going home from its evacuation site before the site closes (issue 10)."""

from datetime import timedelta

import sqlalchemy as sa

from casework.audit.models import AuditEvent as AuditLog
from casework.auth.models import Role
from casework.disasters.sites import leave_site, occupancy
from casework.disasters.situation import situation
from casework.extensions import db
from tests.disasters.conftest import TODAY, member

ARRIVED = TODAY - timedelta(days=2)
LEFT = TODAY - timedelta(days=1)


def _family(household):
    return household([member("Budi"), member("Rina", relation="child", age_years=4)], arrived_on=ARRIVED.isoformat())


def _present(event, site):
    return {row[0].id: row[2] for row in situation(event)["sites"]}[site.id]


def test_leaving_ends_the_stay_and_occupancy_drops_after_that_day(event, site, household, caseworker):
    family = _family(household)
    household([member("Eko")], arrived_on=ARRIVED.isoformat())
    assert _present(event, site) == 3
    leave_site(family, caseworker, family.version, {"left_on": LEFT.isoformat()})
    db.session.commit()
    assert {person.left_on for person in family.members} == {LEFT}
    days = dict(occupancy(site))
    assert (days[ARRIVED], days[LEFT], days[TODAY]) == (3, 3, 1)
    assert _present(event, site) == 1
    audit = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "disaster.household_left_site")).all()
    assert len(audit) == 1


def _leave(client, household, **body):
    return client.post(f"/api/v1/disasters/households/{household.uuid}/leave", json=body)


def test_the_api_leaves_and_refuses_bad_dates_stale_versions_and_leaving_twice(
    client, login, caseworker, event, site, household
):
    family = _family(household)
    version = family.version
    login(caseworker)
    early = _leave(client, family, version=version, left_on=(ARRIVED - timedelta(days=1)).isoformat())
    assert early.status_code == 422
    assert "sebelum tanggal tiba" in early.get_json()["error"]["fields"]["left_on"][0]
    future = _leave(client, family, version=version, left_on=(TODAY + timedelta(days=1)).isoformat())
    assert future.status_code == 422 and "left_on" in future.get_json()["error"]["fields"]
    db.session.expire_all()
    assert all(person.left_on is None for person in family.members)
    assert _leave(client, family, version=version + 1, left_on=LEFT.isoformat()).status_code == 409
    response = _leave(client, family, version=version, left_on=LEFT.isoformat())
    assert response.status_code == 200, response.get_json()
    assert {person["uuid"] for person in response.get_json()["members"]} == {str(p.uuid) for p in family.members}
    db.session.expire_all()
    assert {person.left_on for person in family.members} == {LEFT}
    again = _leave(client, family, version=response.get_json()["version"], left_on=LEFT.isoformat())
    assert again.status_code == 409


def test_the_household_page_offers_leaving_to_registrars_only(client, login, staff, caseworker, event, site, household):
    family = _family(household)
    url = f"/disasters/households/{family.uuid}/leave"
    login(staff(Role.VIEWER))
    assert client.post(url, data={"version": family.version, "left_on": LEFT.isoformat()}).status_code == 403
    client.post("/logout")
    login(caseworker)
    page = client.get(f"/disasters/households/{family.uuid}").get_data(as_text=True)
    assert "Keluar dari pengungsian" in page
    bad = client.post(url, data={"version": family.version, "left_on": "2000-01-01"}, follow_redirects=True)
    assert bad.status_code == 200 and "sebelum tanggal tiba" in bad.get_data(as_text=True)
    response = client.post(url, data={"version": family.version, "left_on": LEFT.isoformat()})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "tercatat keluar dari pengungsian" in page and "Keluar dari pengungsian</button>" not in page
    db.session.expire_all()
    assert {person.left_on for person in family.members} == {LEFT}
