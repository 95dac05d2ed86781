"""The transfer and return API: idempotent creates, versioned decisions, and every gate refused with the envelope."""

import sqlalchemy as sa

from casework.auth.models import Role
from casework.extensions import db
from casework.transfers.models import CaseTransfer, ReturnPlan
from tests.transfers.conftest import ORIGIN_VILLAGE

TRANSFER_UUID = "7d3c1b2a-0f9e-4d8c-b7a6-5e4d3c2b1a00"
PLAN_UUID = "7d3c1b2a-0f9e-4d8c-b7a6-5e4d3c2b1a01"


def switch(client, login, user):
    """Signs out whoever is signed in, then signs ``user`` in."""
    client.post("/logout")
    return login(user)


def count(model):
    """How many rows ``model`` holds."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_transfer_through_the_api(
    client, login, new_case, caseworker, supervisor, receiver, receiving_supervisor, staff
):
    case = new_case()
    login(caseworker)
    body = {"uuid": TRANSFER_UUID, "to_agency_id": receiver.id, "reason": "Warga Bandung", "handover_items": "KTP"}
    created = client.post(f"/api/v1/cases/{case.uuid}/transfers", json=body)
    assert created.status_code == 201 and created.json["status"] == "proposed"
    retried = client.post(f"/api/v1/cases/{case.uuid}/transfers", json=body)
    assert retried.status_code == 200 and retried.json["uuid"] == TRANSFER_UUID and count(CaseTransfer) == 1
    version = created.json["version"]

    own = client.post(f"/api/v1/transfers/{TRANSFER_UUID}/approve", json={"version": version})
    assert own.status_code == 403 and own.json["error"]["code"] == "forbidden"

    switch(client, login, supervisor)
    approved = client.post(f"/api/v1/transfers/{TRANSFER_UUID}/approve", json={"version": version})
    assert approved.status_code == 200 and approved.json["status"] == "approved"
    switch(client, login, staff(Role.SUPERVISOR))
    late = client.post(f"/api/v1/transfers/{TRANSFER_UUID}/reject", json={"version": version, "decision_note": "x"})
    assert late.status_code == 409 and late.json["error"]["current"]["status"] == "approved"

    switch(client, login, receiving_supervisor)
    listed = client.get("/api/v1/transfers?direction=in")
    assert [item["uuid"] for item in listed.json["items"]] == [TRANSFER_UUID]
    accepted = client.post(
        f"/api/v1/transfers/{TRANSFER_UUID}/accept", json={"version": approved.json["version"], "answer_note": "Ok"}
    )
    assert accepted.status_code == 200, accepted.json
    assert accepted.json["status"] == "accepted" and accepted.json["snapshot"]["number"] == case.number
    moved = client.get(f"/api/v1/cases/{case.uuid}")
    assert moved.status_code == 200 and moved.json["number"] == accepted.json["to_case_number"]

    switch(client, login, caseworker)
    assert client.get(f"/api/v1/cases/{case.uuid}").status_code == 404
    record = client.get(f"/api/v1/transfers/{TRANSFER_UUID}")
    assert record.status_code == 200 and record.json["status"] == "accepted"
    refused = client.post(f"/api/v1/cases/{case.uuid}/transfers", json={"to_agency_id": receiver.id, "reason": "x"})
    assert refused.status_code == 404


def test_transfer_refusals_through_the_api(client, login, new_case, caseworker, supervisor, propose, make, agency):
    case = new_case()
    login(caseworker)
    invalid = client.post(f"/api/v1/cases/{case.uuid}/transfers", json={"to_agency_id": agency.id})
    assert invalid.status_code == 422 and set(invalid.json["error"]["fields"]) == {"to_agency_id", "reason"}
    transfer = propose(case)
    assert client.post(f"/api/v1/transfers/{transfer.uuid}/approve", json={"version": 1}).status_code == 403
    switch(client, login, supervisor)
    no_reason = client.post(f"/api/v1/transfers/{transfer.uuid}/reject", json={"version": transfer.version})
    assert no_reason.status_code == 422 and "decision_note" in no_reason.json["error"]["fields"]
    # The sender cannot accept its own outgoing transfer, even once approved.
    client.post(f"/api/v1/transfers/{transfer.uuid}/approve", json={"version": transfer.version})
    assert (
        client.post(f"/api/v1/transfers/{transfer.uuid}/accept", json={"version": transfer.version}).status_code == 404
    )
    switch(client, login, make.user(role=Role.SUPERVISOR))
    assert client.get(f"/api/v1/transfers/{transfer.uuid}").status_code == 404


def test_a_return_through_the_api(client, login, new_case, caseworker):
    case = new_case()
    login(caseworker)
    body = {
        "uuid": PLAN_UUID,
        "from_place": "Pelabuhan Tanjung Priok",
        "to_region_code": ORIGIN_VILLAGE,
        "travel_date": "2026-11-20",
        "travel_mode": "ship",
        "escort_name": "Pak Joko",
        "handover": "origin_agency",
        "origin_agency_name": "Dinas Sosial Kota Bandung",
    }
    created = client.post(f"/api/v1/cases/{case.uuid}/returns", json=body)
    assert created.status_code == 201, created.json
    assert client.post(f"/api/v1/cases/{case.uuid}/returns", json=body).status_code == 200 and count(ReturnPlan) == 1
    base = f"/api/v1/cases/{case.uuid}/returns/{PLAN_UUID}"
    early = client.post(f"{base}/arrival", json={"version": created.json["version"], "received_by": "x"})
    assert early.status_code == 409 and early.json["error"]["current"]["status"] == "planned"
    departed = client.post(f"{base}/departure", json={"version": created.json["version"], "departed_on": "2026-11-20"})
    assert departed.status_code == 200 and departed.json["status"] == "departed"
    stale = client.post(f"{base}/departure", json={"version": created.json["version"], "departed_on": "2026-11-20"})
    assert stale.status_code == 409
    arrived = client.post(
        f"{base}/arrival",
        json={"version": departed.json["version"], "arrived_on": "2026-11-21", "received_by": "Pak RT"},
    )
    assert arrived.status_code == 200 and arrived.json["status"] == "arrived"
    listed = client.get(f"/api/v1/cases/{case.uuid}/returns")
    assert [item["status"] for item in listed.json["items"]] == ["arrived"]
