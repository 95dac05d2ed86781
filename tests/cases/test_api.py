"""The case API: the whole flow, idempotent creates, stale versions and steps out of order, refusals writing nothing.

Dates are fixed days of November 2026, before the day the suite runs.
"""

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth.models import Role
from casework.auth.services import issue_token
from casework.cases.models import Case, CaseEvent, CaseNote, CaseStay, ServiceDelivery
from casework.extensions import db
from tests.admin.helpers import bearer
from tests.cases.conftest import INTAKE_DAY

CASE_UUID = "0c6a5f0e-8a53-4a47-9d8a-3f1e2b7c9d10"
DELIVERY_UUID = "a1e4b7c2-5d8f-4e3a-9b6c-7d0e1f2a3b4c"
TABLES = (Case, CaseEvent, CaseStay, ServiceDelivery, CaseNote, AuditEvent)


def counts():
    """How many rows each case table (and the audit trail) holds."""
    return {model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in TABLES}


def url(case, step=""):
    """The API address of ``case`` (a dict or a Case), or of one of its sub-resources."""
    case_uuid = case["uuid"] if isinstance(case, dict) else case.uuid
    return f"/api/v1/cases/{case_uuid}" + (f"/{step}" if step else "")


def post(client, case, step, version=None, **body):
    """POSTs a step to ``case`` (a dict or a Case) at ``version`` (default: the case's own); returns the response."""
    if version is None:
        version = case["version"] if isinstance(case, dict) else case.version
    return client.post(url(case, step), json={"version": version, **body})


def assessed(client, case, *needs):
    """Takes ``case`` (a dict) through the assessment with ``needs``; returns the case after it."""
    started = post(client, case, "assessment/start", started_on=INTAKE_DAY.isoformat())
    assert started.status_code == 200, started.json
    body = {"assessed_on": "2026-11-03", "condition": "Tidur di emperan toko, sehat.", "needs": list(needs)}
    done = post(client, started.json, "assessment", **body)
    assert done.status_code == 200, done.json
    return done.json


def test_the_whole_flow_through_the_api(client, login, caseworker, service, staff):
    login(caseworker)
    registered = client.post("/api/v1/clients", json={"full_name": "Sutrisno", "sex": "male", "birth_year": 1960})
    assert registered.status_code == 201
    opened = client.post(
        "/api/v1/cases",
        json={
            "client_uuid": registered.json["uuid"],
            "uuid": CASE_UUID,
            "intake_channel": "outreach",
            "intake_date": INTAKE_DAY.isoformat(),
            "intake_place": "Terminal Bekasi",
            "intake_latitude": -6.24,
            "intake_longitude": 106.99,
        },
    )
    assert opened.status_code == 201, opened.json
    case = opened.json
    assert (case["uuid"], case["stage"], case["client_name"], case["version"]) == (CASE_UUID, "intake", "Sutrisno", 1)
    assert case["number"].startswith("KS-2026-") and case["caseworker_id"] == caseworker.id

    case = assessed(client, case, {"service": "permakanan", "quantity": 2}, {"service_id": service("sandang").id})
    assert case["stage"] == "planning"
    assert [(need["service"], need["quantity"]) for need in case["needs"]] == [("permakanan", 2), ("sandang", 1)]
    due = {str(service("sandang").id): "2026-11-10"}
    planned = post(client, case, "plan", planned_on="2026-11-04", plan_goals="Pulang ke keluarga", due_dates=due)
    assert planned.status_code == 200, planned.json
    case = planned.json
    assert case["stage"] == "intervention" and case["needs"][1]["due_on"] == "2026-11-10"

    for day, slug in ((4, "permakanan"), (5, "sandang"), (5, "permakanan")):
        delivered = client.post(url(case, "deliveries"), json={"service": slug, "delivered_on": f"2026-11-0{day}"})
        assert delivered.status_code == 201, delivered.json
        assert delivered.json["service"] == slug
    case = client.get(url(case)).json
    assert case["needs_met_on"] == "2026-11-05"
    assert [need["met_on"] for need in case["needs"]] == ["2026-11-05", "2026-11-05"]

    note = client.post(url(case, "notes"), json={"body": "Keluarga ditemukan di Cikarang."})
    assert note.status_code == 201
    proposed = post(client, case, "closures", outcome="reunified", terminated_on="2026-11-07")
    assert proposed.status_code == 201, proposed.json
    assert (proposed.json["status"], proposed.json["case_stage"]) == ("pending", "intervention")
    client.post("/logout")
    login(staff(Role.SUPERVISOR))
    closure = proposed.json
    approved = client.post(url(case, f"closures/{closure['uuid']}/approval"), json={"version": closure["version"]})
    assert approved.status_code == 200, approved.json
    ended = client.get(url(case)).json
    assert (ended["stage"], ended["outcome"], ended["terminated_on"]) == ("terminated", "reunified", "2026-11-07")
    timeline = client.get(url(case, "timeline")).json
    kinds = [event["kind"] for event in reversed(timeline["items"])]
    assert kinds == ["opened", "assessment_started", "assessed", "planned"] + ["service_delivered"] * 3 + [
        "needs_met",
        "note_added",
        "closure_proposed",
        "closure_approved",
    ]
    assert timeline["items"][0]["label"] == "Terminasi disetujui, kasus ditutup" and timeline["next_cursor"] is None
    listed = client.get(url(case, "deliveries")).json
    assert [item["delivered_on"] for item in listed["items"]] == ["2026-11-05", "2026-11-05", "2026-11-04"]
    assert client.get(url(case, "notes")).json["items"][0]["body"] == "Keluarga ditemukan di Cikarang."


def test_a_retried_case_create_returns_the_first_case_and_creates_nothing(client, login, caseworker, new_client):
    person = new_client(full_name="Budi Santoso")
    login(caseworker)
    body = {
        "client_uuid": str(person.uuid),
        "uuid": CASE_UUID,
        "intake_channel": "walk_in",
        "intake_date": "2026-11-02",
    }
    first = client.post("/api/v1/cases", json=body)
    assert first.status_code == 201
    before = counts()
    retry = client.post("/api/v1/cases", json=body)
    assert retry.status_code == 200
    assert retry.json == first.json
    assert counts() == before


def test_a_retried_delivery_returns_the_first_one_and_creates_nothing(client, login, caseworker, new_case):
    case = new_case()
    login(caseworker)
    body = {"uuid": DELIVERY_UUID, "service": "sandang", "delivered_on": "2026-11-03", "quantity": 2}
    first = client.post(url(case, "deliveries"), json=body)
    assert first.status_code == 201
    assert (first.json["uuid"], first.json["quantity"], first.json["unit_label"]) == (DELIVERY_UUID, 2, "paket")
    before = counts()
    retry = client.post(url(case, "deliveries"), json=body)
    assert (retry.status_code, retry.json) == (200, first.json)
    assert counts() == before
    note = {"uuid": CASE_UUID, "body": "Sudah makan."}
    assert client.post(url(case, "notes"), json=note).status_code == 201
    assert client.post(url(case, "notes"), json=note).status_code == 200


def test_a_stale_patch_is_a_409_with_the_current_case(client, login, caseworker, new_case):
    case = new_case()
    login(caseworker)
    fixed = client.patch(url(case), json={"version": 1, "intake_place": "Pasar Baru"})
    assert fixed.status_code == 200
    assert (fixed.json["intake_place"], fixed.json["version"]) == ("Pasar Baru", 2)
    before = counts()
    stale = client.patch(url(case), json={"version": 1, "intake_place": "Stasiun Bekasi"})
    assert stale.status_code == 409
    error = stale.json["error"]
    assert error["code"] == "conflict"
    assert (error["current"]["version"], error["current"]["intake_place"]) == (2, "Pasar Baru")
    assert counts() == before


def test_a_stale_step_and_a_step_out_of_order_are_409s_with_the_current_case(client, login, caseworker, new_case):
    case = new_case()
    login(caseworker)
    assert post(client, case, "assessment/start", version=1, started_on="2026-11-02").status_code == 200
    before = counts()
    stale = post(client, case, "closures", version=1, outcome="refused", terminated_on="2026-11-03")
    assert stale.status_code == 409
    assert stale.json["error"]["current"]["version"] == 2
    assert stale.json["error"]["current"]["stage"] == "assessment"
    out_of_order = post(client, case, "plan", version=2, planned_on="2026-11-03", plan_goals="Pulang")
    assert out_of_order.status_code == 409
    assert "tahap Asesmen" in out_of_order.json["error"]["message"]
    assert out_of_order.json["error"]["current"]["stage"] == "assessment"
    assert counts() == before


@pytest.mark.parametrize(
    ("step", "body", "status", "field", "message"),
    [
        ("assessment/start", {"started_on": "2026-02-30"}, 422, "started_on", "Tanggal tidak valid"),
        ("closures", {"terminated_on": "2026-11-05"}, 422, "outcome", "Pilih hasil terminasi."),
        ("closures", {"outcome": "reunified"}, 422, "terminated_on", "Wajib diisi."),
        ("discharge", {"discharged_on": "2026-11-05", "setting": "family"}, 409, None, "tidak sedang tinggal"),
        ("aftercare", {"months": 12}, 409, None, "tahap Penjangkauan"),
        ("admissions", {"unit_id": 0, "admitted_on": "2026-11-03"}, 422, "unit_id", "Pilih rumah singgah"),
        ("setting", {"setting": "shelter"}, 422, "setting", "catat tanggal masuknya"),
        ("assignment", {"unit_id": None, "caseworker_id": None}, 403, None, "izin"),
        ("plan", {"latitude": 95, "longitude": 106}, 422, "latitude", "di luar jangkauan"),
        ("plan", {"version": "1"}, 422, "version", "Not a valid integer."),
    ],
)
def test_bad_steps_are_refused_and_write_nothing(
    client, login, caseworker, new_case, step, body, status, field, message
):
    case = new_case()
    login(caseworker)
    before = counts()
    response = client.post(url(case, step), json={"version": case.version, **body})
    assert response.status_code == status
    error = response.json["error"]
    assert message in (error["fields"][field][0] if field else error["message"])
    assert counts() == before


def test_discharge_before_admission_is_refused_and_writes_nothing(client, login, caseworker, new_case, shelter):
    case = new_case()
    login(caseworker)
    admitted = post(client, case, "admissions", unit_id=shelter.id, admitted_on="2026-11-04")
    assert admitted.status_code == 200, admitted.json
    stay = admitted.json["current_stay"]
    assert (admitted.json["setting"], stay["unit_id"], stay["limit_days"]) == ("shelter", shelter.id, 7)
    before = counts()
    early = post(client, admitted.json, "discharge", discharged_on="2026-11-03", setting="family")
    assert early.status_code == 422
    assert early.json["error"]["fields"]["discharged_on"] == ["Tanggal keluar tidak boleh sebelum tanggal masuk."]
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"service": "tidak-ada"}, "service_id", "tidak ada di katalog"),
        ({"service_id": 999999}, "service_id", "tidak ada di katalog"),
        ({"delivered_on": "2026-13-01"}, "delivered_on", "Tanggal tidak valid"),
        ({"delivered_on": "2026-11-01"}, "delivered_on", "sebelum penerimaan"),
        ({"quantity": 0}, "quantity", "1 atau lebih"),
        ({"quantity": "dua"}, "quantity", "Not a valid integer."),
        ({"uuid": "bukan-uuid"}, "uuid", "UUID tidak valid."),
        ({"provider_unit_id": 999999}, "provider_unit_id", "tidak dikenal"),
    ],
)
def test_bad_deliveries_are_a_422_by_field_and_write_nothing(client, login, caseworker, new_case, body, field, message):
    case = new_case()
    login(caseworker)
    before = counts()
    response = client.post(url(case, "deliveries"), json={"service": "sandang", "delivered_on": "2026-11-03", **body})
    assert response.status_code == 422
    assert message in response.json["error"]["fields"][field][0]
    assert counts() == before


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"intake_date": "2026-02-30"}, "intake_date", "Tanggal tidak valid"),
        ({"intake_channel": "telepati"}, "intake_channel", "Pilihan tidak dikenal."),
        ({"client_uuid": CASE_UUID}, "client_uuid", "Klien tidak ditemukan."),
        ({"uuid": "bukan-uuid"}, "uuid", "UUID tidak valid."),
        ({"unit_id": "1"}, "unit_id", "Not a valid integer."),
    ],
)
def test_bad_case_creates_are_a_422_by_field_and_write_nothing(
    client, login, caseworker, new_client, body, field, message
):
    person = new_client(full_name="Budi Santoso")
    login(caseworker)
    before = counts()
    valid = {"client_uuid": str(person.uuid), "intake_channel": "outreach", "intake_date": "2026-11-02"}
    response = client.post("/api/v1/cases", json={**valid, **body})
    assert response.status_code == 422
    assert message in response.json["error"]["fields"][field][0]
    assert counts() == before


def test_a_delivery_to_a_terminated_case_is_a_409(client, login, caseworker, new_case, close_case):
    case = new_case()
    close_case(case, outcome="refused", terminated_on="2026-11-02")
    login(caseworker)
    before = counts()
    response = client.post(url(case, "deliveries"), json={"service": "sandang", "delivered_on": "2026-11-03"})
    assert response.status_code == 409
    assert response.json["error"]["current"]["stage"] == "terminated"
    assert counts() == before


def test_a_bearer_token_opens_the_api_and_no_token_is_a_401(client, caseworker, new_case):
    case = new_case()
    _record, token = issue_token(caseworker, "Tablet Bekasi Timur")
    assert client.get(url(case)).status_code == 401
    response = client.post(
        url(case, "deliveries"), json={"service": "sandang", "delivered_on": "2026-11-03"}, headers=bearer(token)
    )
    assert response.status_code == 201
    assert client.get(url(case, "deliveries"), headers=bearer(token)).json["items"][0]["uuid"] == response.json["uuid"]


def test_roles_and_agencies(client, login, staff, make, new_case):
    case = new_case()
    login(staff(Role.VIEWER))
    assert client.get("/api/v1/cases").status_code == 403
    assert client.get(url(case)).status_code == 403
    client.post("/logout")
    login(staff(Role.DATA_OFFICER))
    assert client.get(url(case)).status_code == 200
    before = counts()
    refused = client.post(url(case, "deliveries"), json={"service": "sandang", "delivered_on": "2026-11-03"})
    assert refused.status_code == 403
    assert counts() == before
    client.post("/logout")
    login(make.user(role=Role.SUPERVISOR))
    before = counts()
    assert client.get(url(case)).status_code == 404
    assert post(client, case, "assessment/start", started_on="2026-11-02").status_code == 404
    assert client.get("/api/v1/cases").json["items"] == []
    assert counts() == before


def test_an_earlier_delivery_recorded_late_moves_the_day_needs_were_met(client, login, caseworker, new_case):
    case = new_case()
    login(caseworker)
    case = assessed(client, client.get(url(case)).json, {"service": "sandang"})
    for day in ("2026-11-06", "2026-11-08", "2026-11-05"):
        delivered = client.post(url(case, "deliveries"), json={"service": "sandang", "delivered_on": day})
        assert delivered.status_code == 201
    client.post(url(case, "deliveries"), json={"service": "permakanan", "delivered_on": "2026-11-04"})
    case = client.get(url(case)).json
    assert (case["needs_met_on"], case["needs"][0]["met_on"]) == ("2026-11-05", "2026-11-05")
