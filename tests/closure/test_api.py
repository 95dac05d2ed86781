"""Closing a case through the API: proposal (idempotent), decisions at the closure's version, four eyes, reopening."""

from datetime import date

import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.models import Case, CaseEvent
from casework.closure.models import CaseClosure
from casework.extensions import db

DAY = date(2026, 11, 10).isoformat()
CLOSURE_UUID = "5b8f2a1c-3d4e-4f60-8a7b-9c0d1e2f3a4b"


def _url(case, path=""):
    return f"/api/v1/cases/{case.uuid}" + (f"/{path}" if path else "")


def _counts():
    return [db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in (CaseClosure, CaseEvent)]


def _propose(client, case, **body):
    values = {"version": case.version, "uuid": CLOSURE_UUID, "outcome": "self_reliant", "terminated_on": DAY}
    return client.post(_url(case, "closures"), json={**values, **body})


def test_propose_then_approve_through_the_api(client, login, caseworker, supervisor, new_case):
    case = new_case()
    login(caseworker)
    proposed = _propose(client, case, aftercare_months=24, latitude=-6.24, longitude=106.99)
    assert proposed.status_code == 201, proposed.json
    closure = proposed.json
    assert (closure["uuid"], closure["status"], closure["case_stage"], closure["aftercare_months"]) == (
        CLOSURE_UUID,
        "pending",
        "intake",
        24,
    )
    retried = _propose(client, case, version=1)
    assert retried.status_code == 200 and retried.json["uuid"] == CLOSURE_UUID
    assert client.get(_url(case)).json["stage"] == "intake"
    approval = _url(case, f"closures/{CLOSURE_UUID}/approval")
    assert client.post(approval, json={"version": closure["version"]}).status_code == 403
    client.post("/logout")
    login(supervisor)
    approved = client.post(approval, json={"version": closure["version"]})
    assert approved.status_code == 200, approved.json
    assert (approved.json["status"], approved.json["case_stage"], approved.json["decided_by_id"]) == (
        "approved",
        "aftercare",
        supervisor.id,
    )
    again = client.post(approval, json={"version": closure["version"]})
    assert again.status_code == 409 and again.json["error"]["current"]["status"] == "approved"
    listed = client.get(_url(case, "closures")).json["items"]
    assert [item["status"] for item in listed] == ["approved"]


def test_the_proposer_cannot_approve_even_as_supervisor_and_nothing_changes(client, login, supervisor, new_case):
    case = new_case()
    login(supervisor)
    closure = _propose(client, case).json
    before = _counts()
    for path, body in (("approval", {}), ("rejection", {"reason": "Tidak"})):
        response = client.post(
            _url(case, f"closures/{CLOSURE_UUID}/{path}"), json={"version": closure["version"], **body}
        )
        assert response.status_code == 403
        assert "usulan terminasi Anda sendiri" in response.json["error"]["message"]
    assert _counts() == before and db.session.get(Case, case.id).is_open


def test_the_old_termination_step_is_gone(client, login, supervisor, new_case):
    case = new_case()
    login(supervisor)
    body = {"version": case.version, "outcome": "refused", "terminated_on": DAY}
    assert client.post(_url(case, "termination"), json=body).status_code in (404, 405)
    assert client.get(_url(case)).json["stage"] == "intake"


def test_rejection_needs_a_reason_and_stale_decisions_get_the_current_closure(
    client, login, caseworker, supervisor, new_case
):
    case = new_case()
    login(caseworker)
    closure = _propose(client, case).json
    client.post("/logout")
    login(supervisor)
    rejection = _url(case, f"closures/{CLOSURE_UUID}/rejection")
    missing = client.post(rejection, json={"version": closure["version"]})
    assert missing.status_code == 422 and "reason" in missing.json["error"]["fields"]
    stale = client.post(rejection, json={"version": closure["version"] + 1, "reason": "x"})
    assert stale.status_code == 409 and stale.json["error"]["current"]["status"] == "pending"
    rejected = client.post(rejection, json={"version": closure["version"], "reason": "Belum ada kunjungan rumah"})
    assert rejected.status_code == 200
    assert (rejected.json["status"], rejected.json["decision_reason"]) == ("rejected", "Belum ada kunjungan rumah")
    assert client.get(_url(case)).json["stage"] == "intake"


def test_reopening_through_the_api(client, login, caseworker, supervisor, new_case, close_case):
    case = new_case()
    login(supervisor)
    open_reopen = client.post(_url(case, "reopening"), json={"version": case.version, "reason": "x"})
    assert open_reopen.status_code == 409 and open_reopen.json["error"]["current"]["stage"] == "intake"
    close_case(case, outcome="refused", terminated_on=DAY)
    version = client.get(_url(case)).json["version"]
    assert client.post(_url(case, "reopening"), json={"version": version}).status_code == 422
    reopened = client.post(_url(case, "reopening"), json={"version": version, "reason": "Klien kembali"})
    assert reopened.status_code == 200, reopened.json
    assert (reopened.json["stage"], reopened.json["outcome"]) == ("intake", None)
    client.post("/logout")
    login(caseworker)
    refused = client.post(_url(case, "reopening"), json={"version": reopened.json["version"], "reason": "x"})
    assert refused.status_code == 403


def test_another_agencys_case_is_a_404(client, login, make, caseworker, new_case):
    case = new_case()
    login(caseworker)
    closure = _propose(client, case).json
    client.post("/logout")
    login(make.user(role=Role.SUPERVISOR))
    assert _propose(client, case, uuid=None).status_code == 404
    approval = client.post(_url(case, f"closures/{CLOSURE_UUID}/approval"), json={"version": closure["version"]})
    assert approval.status_code == 404
    assert client.get(_url(case, "closures")).status_code == 404
