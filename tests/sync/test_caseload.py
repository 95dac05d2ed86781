"""The caseload feed: what a full download holds per role, and what a delta holds after changes."""

import sqlalchemy as sa

from casework.cases import deliveries, notes
from casework.cases.intake import assign_case
from casework.closure.services import approve_closure, propose_closure, reopen
from casework.extensions import db
from casework.reference.models import Service
from tests.sync.conftest import settle

FEED = "/api/v1/sync/caseload"


def uuids(body, kind, part="records"):
    """The uuids of ``kind`` in ``body``'s ``part``."""
    return {record["uuid"] for record in body[part][kind]} if part == "records" else set(body[part][kind])


def service_id(slug="permakanan"):
    return db.session.scalar(sa.select(Service.id).where(Service.slug == slug))


def test_full_download_holds_the_caseworkers_cases_and_their_records(field, new_case, signed_in):
    mine = new_case()
    deliveries.record_delivery(mine, field.users.caseworker, {"service_id": service_id(), "delivered_on": "2026-11-03"})
    notes.add_note(mine, field.users.caseworker, {"body": "Kunjungan pertama."})
    theirs = new_case(holder=field.users.other, name="Siti Aminah")
    db.session.commit()
    response = signed_in(field.users.caseworker).get(FEED)
    assert response.status_code == 200, response.json
    body = response.json
    assert body["full"] is True and body["cursor"]
    assert uuids(body, "cases") == {str(mine.uuid)}
    assert uuids(body, "clients") == {str(mine.client.uuid)}
    assert str(theirs.uuid) not in str(body["records"])
    (case,) = body["records"]["cases"]
    assert case["version"] == mine.version and case["number"] == mine.number
    (delivery,) = body["records"]["deliveries"]
    assert delivery["case_uuid"] == str(mine.uuid) and delivery["service"] == "permakanan"
    assert [note["body"] for note in body["records"]["notes"]] == ["Kunjungan pertama."]
    assert all(removed == [] for removed in body["removed"].values())
    assert body["settings"]["user"]["username"] == field.users.caseworker.username
    assert body["settings"]["offline_max_days"] == 7
    reference = body["reference"]
    assert {"categories", "services", "spm_service_types", "units", "regions", "enums"} <= set(reference)
    assert any(region["code"] == "32.75.07.1004" for region in reference["regions"])
    assert reference["enums"]["intake_channels"]["outreach"]


def test_delta_holds_only_what_changed_and_what_left(field, new_case, signed_in):
    kept, changed, handed_over = new_case(), new_case(name="Ani"), new_case(name="Joko")
    device = signed_in(field.users.caseworker)
    first = device.get(FEED).json
    assert len(first["records"]["cases"]) == 3
    settle()
    deliveries.record_delivery(
        changed, field.users.caseworker, {"service_id": service_id(), "delivered_on": "2026-11-03"}
    )
    assign_case(handed_over, field.users.supervisor, handed_over.version, field.office.id, field.users.other.id)
    db.session.commit()
    delta = device.get(FEED, query_string={"cursor": first["cursor"]}).json
    assert delta["full"] is False and delta["reference"] is None
    assert uuids(delta, "cases") == {str(changed.uuid)}  # its first delivery moved its dates
    assert [record["case_uuid"] for record in delta["records"]["deliveries"]] == [str(changed.uuid)]
    assert uuids(delta, "cases", "removed") == {str(handed_over.uuid)}
    assert uuids(delta, "clients", "removed") == {str(handed_over.client.uuid)}
    assert str(kept.uuid) not in str(delta)
    again = device.get(FEED, query_string={"cursor": delta["cursor"]}).json
    assert all(records == [] for records in again["records"].values())
    assert all(removed == [] for removed in again["removed"].values())


def test_delta_after_a_page_post_an_api_call_and_a_closure(field, new_case, signed_in):
    noted, patched, closed = new_case(), new_case(name="Ani"), new_case(name="Joko")
    device = signed_in(field.users.caseworker)
    first = device.get(FEED).json
    page = device.post(f"/cases/{noted.uuid}/note", data={"note-body": "Dicatat lewat halaman."})
    assert page.status_code == 302
    client_uuid = str(patched.client.uuid)
    api = device.patch(f"/api/v1/clients/{client_uuid}", json={"version": patched.client.version, "phone": "0812"})
    assert api.status_code == 200, api.json
    settle()
    closure, _created = propose_closure(
        closed, field.users.caseworker, closed.version, {"outcome": "refused", "terminated_on": "2026-11-05"}
    )
    approve_closure(closure, field.users.supervisor, closure.version)
    db.session.commit()
    delta = device.get(FEED, query_string={"cursor": first["cursor"]}).json
    assert [note["body"] for note in delta["records"]["notes"]] == ["Dicatat lewat halaman."]
    assert delta["records"]["notes"][0]["case_uuid"] == str(noted.uuid)
    assert [client["version"] for client in delta["records"]["clients"]] == [api.json["version"]]
    assert uuids(delta, "clients") == {client_uuid}
    assert uuids(delta, "cases", "removed") == {str(closed.uuid)}
    assert str(closed.uuid) not in str(delta["records"])


def test_a_reassigned_case_joins_with_all_its_records(field, new_case, signed_in):
    theirs = new_case(holder=field.users.other, name="Siti")
    deliveries.record_delivery(theirs, field.users.other, {"service_id": service_id(), "delivered_on": "2026-11-03"})
    db.session.commit()
    device = signed_in(field.users.caseworker)
    first = device.get(FEED).json
    assert first["records"]["cases"] == []
    settle()
    assign_case(theirs, field.users.supervisor, theirs.version, field.office.id, field.users.caseworker.id)
    db.session.commit()
    delta = device.get(FEED, query_string={"cursor": first["cursor"]}).json
    assert uuids(delta, "cases") == {str(theirs.uuid)} and uuids(delta, "clients") == {str(theirs.client.uuid)}
    assert len(delta["records"]["deliveries"]) == 1  # recorded before the cursor, new to this device


def test_a_bad_cursor_is_refused_with_its_code(field, new_case, signed_in):
    device = signed_in(field.users.caseworker)
    cursor = device.get(FEED).json["cursor"]
    for bad in ("nonsense", cursor[:-2] + "xx"):
        response = device.get(FEED, query_string={"cursor": bad})
        assert response.status_code == 400 and response.json["error"]["code"] == "bad_cursor"
    stolen = signed_in(field.users.other).get(FEED, query_string={"cursor": cursor})
    assert stolen.status_code == 400 and stolen.json["error"]["code"] == "bad_cursor"


def test_a_case_in_aftercare_stays_with_its_visits_until_they_are_made(field, new_case, signed_in):
    case = new_case()
    device = signed_in(field.users.caseworker)
    first = device.get(FEED).json
    settle()
    facts = {"outcome": "self_reliant", "terminated_on": "2026-11-05", "aftercare_months": 12}
    closure, _created = propose_closure(case, field.users.caseworker, case.version, facts)
    approve_closure(closure, field.users.supervisor, closure.version)
    db.session.commit()
    delta = device.get(FEED, query_string={"cursor": first["cursor"]}).json
    assert [record["stage"] for record in delta["records"]["cases"]] == ["aftercare"]
    visits = delta["records"]["aftercare_visits"]
    assert visits and {visit["case_uuid"] for visit in visits} == {str(case.uuid)}
    assert all(isinstance(visit["id"], int) and visit["version"] for visit in visits)
    settle()
    reopened = reopen(case, field.users.supervisor, case.version, {"reason": "Klien kembali ke jalanan."})
    db.session.commit()
    again = device.get(FEED, query_string={"cursor": delta["cursor"]}).json
    assert [record["stage"] for record in again["records"]["cases"]] == [reopened.stage.value]
    assert sorted(again["removed"]["aftercare_visits"]) == sorted(visit["id"] for visit in visits)
