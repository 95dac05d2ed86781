"""The disaster pages: events, sites, the registration form without the script, households, people, a case."""

from datetime import timedelta

import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.models import Case, CaseEvent
from casework.disasters.models import AffectedHousehold, DisasterEvent, EvacuationSite, EventStatus
from casework.extensions import db
from tests.disasters.conftest import OCCURRED, TODAY, VILLAGE, household_count, member, people_count


def _member_fields(index, **values):
    """Form fields of member row ``index``."""
    return {f"members-{index}-{name}": value for name, value in values.items()}


def test_a_supervisor_opens_an_event_and_a_site_through_the_pages(client, login, supervisor):
    login(supervisor)
    response = client.post(
        "/disasters/new",
        data={
            "kind": "flood",
            "name": "Banjir Cikiwul",
            "occurred_on": OCCURRED.isoformat(),
            "villages": f"{VILLAGE}\n32.75.07.1008",
            "emergency_from": "",
            "emergency_until": "",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    event = db.session.scalar(sa.select(DisasterEvent).where(DisasterEvent.name == "Banjir Cikiwul"))
    assert event.number == f"BCN-{OCCURRED.year}-0001"
    assert sorted(village.region_code for village in event.villages) == ["32.75.07.1004", "32.75.07.1008"]
    page = client.get(f"/disasters/{event.uuid}").get_data(as_text=True)
    assert "Banjir Cikiwul" in page and "Tanggap darurat" in page
    response = client.post(
        f"/disasters/{event.uuid}/sites/new",
        data={"name": "Balai RW 05", "region_code": VILLAGE, "capacity": "80", "opened_on": OCCURRED.isoformat()},
    )
    assert response.status_code == 302
    site = db.session.scalar(sa.select(EvacuationSite).where(EvacuationSite.event_id == event.id))
    assert site.capacity == 80
    assert "Balai RW 05" in client.get(f"/disasters/{event.uuid}/sites/{site.uuid}").get_data(as_text=True)


def test_an_event_form_with_problems_shows_them_and_saves_nothing(client, login, supervisor):
    login(supervisor)
    response = client.post("/disasters/new", data={"kind": "", "name": "", "occurred_on": "", "villages": "32.75"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Pilih jenis bencana." in page and "bukan kelurahan/desa (tingkat 4)" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DisasterEvent)) == 0


def test_the_registration_form_without_the_script_adds_a_row_then_saves_the_household(
    client, login, caseworker, event, site
):
    login(caseworker)
    page = client.get(f"/disasters/{event.uuid}/register?site={site.uuid}").get_data(as_text=True)
    assert 'data-test="add-member"' in page and "members-0-name" in page
    household = {
        "uuid": "8f4b3a52-6f0b-4f0e-9a55-6b1f6fb0d001",
        "site_uuid": str(site.uuid),
        "arrived_on": TODAY.isoformat(),
        "region_code": VILLAGE,
        **_member_fields(0, name="Budi Santoso", sex="male", age_years="41"),
    }
    response = client.post(f"/disasters/{event.uuid}/register", data={**household, "add_member": "1"})
    assert response.status_code == 200 and "members-1-name" in response.get_data(as_text=True)
    assert household_count() == 0
    household.update(_member_fields(1, name="Rina", sex="female", age_years="2", relation="child"))
    response = client.post(f"/disasters/{event.uuid}/register", data=household)
    assert response.status_code == 302
    saved = db.session.scalar(sa.select(AffectedHousehold))
    assert [person.name for person in saved.members] == ["Budi Santoso", "Rina"]
    assert saved.members[1].under_five and not saved.members[0].under_five
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Rina" in page and "Balita" in page


def test_a_refused_registration_names_the_member_and_keeps_what_was_typed(client, login, caseworker, event, site):
    login(caseworker)
    data = {
        "uuid": "8f4b3a52-6f0b-4f0e-9a55-6b1f6fb0d002",
        "site_uuid": str(site.uuid),
        "region_code": VILLAGE,
        **_member_fields(0, name="Budi", age_years="40"),
        **_member_fields(1, name="Siti", age_years="38", relation="spouse"),
        **_member_fields(2, name="Buyut Karsa", age_years="131", relation="parent"),
    }
    response = client.post(f"/disasters/{event.uuid}/register", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Anggota ke-3: umur lebih dari 130 tahun." in page and 'value="Buyut Karsa"' in page
    assert people_count() == 0


def test_a_person_becomes_a_case_with_one_action_linked_to_the_event(client, login, caseworker, event, household):
    saved = household([member("Budi Santoso", age_years=40), member("Dodi", relation="child", age_years=9)])
    child = saved.members[1]
    login(caseworker)
    page = client.get(f"/disasters/people/{child.uuid}").get_data(as_text=True)
    assert 'data-test="make-case"' in page
    response = client.post(
        f"/disasters/people/{child.uuid}/case",
        data={"version": child.version, "uuid": "", "circumstances": "Anak terpisah dari orang tuanya."},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.refresh(child)
    case = db.session.get(Case, child.case_id)
    assert case.client_id == child.client_id and case.intake_channel.value == "emergency"
    assert case.intake_region_code == VILLAGE and case.intake_place == "Masjid Al-Ikhlas"
    kinds = db.session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
    assert kinds == ["opened", "disaster_linked"]
    case_page = client.get(f"/cases/{case.uuid}").get_data(as_text=True)
    assert event.number in case_page
    assert case.number in client.get(f"/disasters/people/{child.uuid}").get_data(as_text=True)


def test_the_event_status_moves_on_through_the_page(client, login, supervisor, event):
    login(supervisor)
    response = client.post(
        f"/disasters/{event.uuid}/status",
        data={
            "version": event.version,
            "status": "recovery",
            "emergency_until": (TODAY - timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 302
    db.session.refresh(event)
    assert event.status == EventStatus.RECOVERY and event.emergency_until == TODAY - timedelta(days=1)


def test_viewers_read_counts_but_no_names_and_cannot_register(client, login, staff, event, household):
    household([member("Budi Rahasia")])
    login(staff(Role.VIEWER))
    page = client.get(f"/disasters/{event.uuid}").get_data(as_text=True)
    assert "1 keluarga, 1 orang" in page and "Budi Rahasia" not in page
    assert client.get(f"/disasters/{event.uuid}/register").status_code == 403
    assert client.get("/disasters/new").status_code == 403


def test_volunteers_have_no_disaster_pages(client, login, staff, event):
    login(staff(Role.VOLUNTEER))
    assert client.get("/disasters/").status_code == 403


def test_the_household_page_offers_likely_clients_and_links_one_in_one_tap(
    client, login, caseworker, household, new_client
):
    known = new_client(full_name="Sutrisno Hadi", sex="male", birth_year=TODAY.year - 52)
    saved = household([member("Sutrisno Hadi", age_years=52), member("Wulan", sex="female", relation="child")])
    login(caseworker)
    page = client.get(f"/disasters/households/{saved.uuid}").get_data(as_text=True)
    assert "Sama dengan klien Sutrisno Hadi" in page
    head = saved.members[0]
    response = client.post(
        f"/disasters/people/{head.uuid}/link", data={"version": head.version, "client_uuid": str(known.uuid)}
    )
    assert response.status_code == 302
    db.session.refresh(head)
    assert head.client_id == known.id
    page = client.get(f"/disasters/households/{saved.uuid}").get_data(as_text=True)
    assert "Sama dengan klien Sutrisno Hadi" not in page and "klien terdaftar" in page


def test_the_site_page_shows_occupancy_per_day(client, login, supervisor, event, site, household):
    household([member("Budi"), member("Siti", relation="spouse")], arrived_on=OCCURRED.isoformat())
    login(supervisor)
    page = client.get(f"/disasters/{event.uuid}/sites/{site.uuid}").get_data(as_text=True)
    assert f'data-day="{OCCURRED.isoformat()}"' in page and "2 dari daya tampung 100 orang" in page
    response = client.post(
        f"/disasters/{event.uuid}/sites/{site.uuid}/close", data={"version": site.version, "closed_on": ""}
    )
    assert response.status_code == 302
    db.session.refresh(site)
    assert site.closed_on == TODAY


def test_a_case_for_someone_who_looks_registered_asks_first_then_opens(
    client, login, caseworker, household, new_client
):
    known = new_client(full_name="Mbah Painem", sex="female", birth_year=TODAY.year - 80)
    saved = household([member("Mbah Painem", sex="female", age_years=80)])
    person = saved.members[0]
    login(caseworker)
    response = client.post(f"/disasters/people/{person.uuid}/case", data={"version": person.version, "uuid": ""})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Buka kasus untuk klien Mbah Painem" in page and "Tetap daftarkan klien baru" in page
    response = client.post(
        f"/disasters/people/{person.uuid}/case",
        data={"version": person.version, "uuid": "", "client_uuid": str(known.uuid)},
    )
    assert response.status_code == 302
    db.session.refresh(person)
    assert person.client_id == known.id and person.case_id is not None
