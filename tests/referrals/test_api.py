"""The referral API: the whole flow, idempotent proposals, gates as 403/409 with the current referral, scope."""

import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.models import CaseEvent
from casework.extensions import db
from casework.referrals.models import Referral
from tests.referrals.conftest import REASON

REFERRAL_UUID = "3c9b8a7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d"


def decide(client, headers, referral, action, **body):
    """POSTs decision ``action`` on ``referral`` (a dict) at its version unless ``version`` is given."""
    body.setdefault("version", referral["version"])
    return client.post(f"/api/v1/referrals/{referral['uuid']}/{action}", json=body, headers=headers)


def test_the_whole_flow_through_the_api(client, token_of, new_case, caseworker, supervisor, receiver, shelter, service):
    case = new_case()
    as_caseworker, as_supervisor, as_receiver = token_of(caseworker), token_of(supervisor), token_of(receiver)
    body = {
        "uuid": REFERRAL_UUID,
        "destination_kind": "unit",
        "to_unit_id": shelter.id,
        "service_ids": [service("permakanan").id],
        "reason": REASON,
        "consent_given": False,
        "no_consent_reason": "no_capacity",
        "latitude": -6.24,
        "longitude": 106.99,
    }
    created = client.post(f"/api/v1/cases/{case.uuid}/referrals", json=body, headers=as_caseworker)
    assert created.status_code == 201, created.json
    referral = created.json
    assert (referral["status"], referral["services"], referral["overdue"]) == ("proposed", ["permakanan"], False)
    again = client.post(f"/api/v1/cases/{case.uuid}/referrals", json=body, headers=as_caseworker)
    assert again.status_code == 200 and again.json["number"] == referral["number"]
    listed = client.get(f"/api/v1/cases/{case.uuid}/referrals", headers=as_caseworker).json["items"]
    assert [item["uuid"] for item in listed] == [REFERRAL_UUID]

    approved = decide(client, as_supervisor, referral, "approve", note="Setuju.")
    assert approved.status_code == 200 and approved.json["decided_by_id"] == supervisor.id
    accepted = decide(client, as_receiver, approved.json, "accept")
    assert accepted.status_code == 200 and accepted.json["status"] == "accepted"
    completed = decide(client, as_receiver, accepted.json, "complete", result="Diterima di rumah singgah.")
    assert completed.status_code == 200 and completed.json["status"] == "completed"
    got = client.get(f"/api/v1/referrals/{REFERRAL_UUID}", headers=as_caseworker)
    assert got.json["result"] == "Diterima di rumah singgah." and got.json["version"] == completed.json["version"]
    proposed_event = db.session.scalar(
        sa.select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == "referral_proposed")
    )
    assert (proposed_event.latitude, proposed_event.longitude) == (-6.24, 106.99)


def test_gates_through_the_api(client, token_of, proposed, staff, receiver, caseworker):
    supervisor = staff(Role.SUPERVISOR)
    mine = proposed(by=supervisor)
    as_supervisor = token_of(supervisor)
    referral = client.get(f"/api/v1/referrals/{mine.uuid}", headers=as_supervisor).json
    refused = decide(client, as_supervisor, referral, "approve")
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    assert "supervisor lain" in refused.json["error"]["message"]
    # A caseworker holds no permission to decide at all.
    assert decide(client, token_of(caseworker), referral, "approve").status_code == 403
    # Nothing is accepted before approval: 409 with the referral as it is.
    early = decide(client, token_of(receiver), referral, "accept")
    assert early.status_code == 409 and early.json["error"]["current"]["status"] == "proposed"
    other = token_of(staff(Role.SUPERVISOR))
    approved = decide(client, other, referral, "approve")
    assert approved.status_code == 200
    # A decision on the older copy: 409, nothing decided twice.
    stale = decide(client, other, referral, "reject", reason="Tidak perlu.")
    assert stale.status_code == 409 and stale.json["error"]["current"]["status"] == "approved"
    twice = decide(client, other, approved.json, "approve")
    assert twice.status_code == 409
    kinds = db.session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == mine.case_id)).all()
    assert kinds.count("referral_approved") == 1 and "referral_rejected" not in kinds
    # Only the receiving unit answers.
    wrong = decide(client, token_of(staff(Role.CASEWORKER)), approved.json, "accept")
    assert wrong.status_code == 403


def test_refusals_by_field_and_scope(client, token_of, new_case, caseworker, supervisor, make, proposed):
    case = new_case()
    headers = token_of(caseworker)
    bad = client.post(f"/api/v1/cases/{case.uuid}/referrals", json={"destination_kind": "unit"}, headers=headers)
    assert bad.status_code == 422
    assert {"to_unit_id", "service_ids", "reason", "consent_given"} <= set(bad.json["error"]["fields"])
    missing_version = client.post(f"/api/v1/referrals/{proposed().uuid}/approve", json={}, headers=token_of(supervisor))
    assert missing_version.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) == 1
    outsider = token_of(make.user(role=Role.SUPERVISOR))
    referral = proposed()
    assert client.get(f"/api/v1/referrals/{referral.uuid}", headers=outsider).status_code == 404
    assert client.get(f"/api/v1/cases/{case.uuid}/referrals", headers=outsider).status_code == 404
    response = client.post(f"/api/v1/referrals/{referral.uuid}/approve", json={"version": 1}, headers=outsider)
    assert response.status_code == 404


def test_every_referral_decision_is_documented(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for action in ("approve", "reject", "accept", "decline", "complete"):
        operation = paths[f"/api/v1/referrals/{{referral_uuid}}/{action}"]["post"]
        assert "409" in operation["responses"] and "requestBody" in operation
    assert set(paths["/api/v1/cases/{case_uuid}/referrals"]) == {"get", "post"}
