"""``POST /api/v1/sync/batch``: queued writes in one request, each answered as if it had been sent alone."""

import time
import uuid

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth import limits
from casework.auth.models import Role
from casework.auth.services import issue_token
from casework.cases.models import Case, CaseNote, ServiceDelivery
from casework.clients.models import Client
from casework.extensions import db
from casework.reference.models import Service
from casework.sync.batch_api import MAX_WRITES

BATCH = "/api/v1/sync/batch"
TODAY = "2026-11-02"


def bearer(user):
    """Headers for a bearer-token request of ``user``."""
    _record, token = issue_token(user, "tablet")
    return {"Authorization": f"Bearer {token}"}


def day_of_writes(service_id):
    """A device's writes for one new person, in the order queued: register, open a case, correct it, serve, note."""
    client_uuid, case_uuid = str(uuid.uuid4()), str(uuid.uuid4())
    case_path = f"/api/v1/cases/{case_uuid}"
    return [
        {
            "method": "POST",
            "path": "/api/v1/clients",
            "body": {"uuid": client_uuid, "full_name": "Sutinah", "confirm_new": True},
        },
        {
            "method": "POST",
            "path": "/api/v1/cases",
            "body": {"uuid": case_uuid, "client_uuid": client_uuid, "intake_channel": "outreach", "intake_date": TODAY},
        },
        {"method": "PATCH", "path": case_path, "body": {"version": 1, "circumstances": "Ditemukan di pasar."}},
        {
            "method": "POST",
            "path": f"{case_path}/deliveries",
            "body": {"uuid": str(uuid.uuid4()), "service_id": service_id, "delivered_on": TODAY},
        },
        {"method": "POST", "path": f"{case_path}/notes", "body": {"uuid": str(uuid.uuid4()), "body": "Makan siang."}},
    ]


@pytest.fixture
def worker(make):
    """A caseworker of a fresh agency."""
    return make.user(role=Role.CASEWORKER)


@pytest.fixture
def service_id(app):
    return db.session.scalar(sa.select(Service.id).where(Service.slug == "permakanan"))


def created(writes):
    """How many clients, cases, deliveries and notes carry the writes' UUIDs."""
    uuids = {uuid.UUID(write["body"]["uuid"]) for write in writes if "uuid" in write["body"]}
    models = (Client, Case, ServiceDelivery, CaseNote)
    return sum(db.session.scalar(sa.select(sa.func.count()).where(model.uuid.in_(uuids))) for model in models)


def test_the_writes_land_in_order_each_answered_as_alone_and_a_resend_creates_nothing(app, client, worker, service_id):
    headers, writes = bearer(worker), day_of_writes(service_id)
    response = client.post(BATCH, json={"writes": writes}, headers=headers)
    assert response.status_code == 200, response.json
    results = response.json["results"]
    assert [result["status"] for result in results] == [201, 201, 200, 201, 201]
    assert results[0]["body"]["full_name"] == "Sutinah"
    assert results[2]["body"]["circumstances"] == "Ditemukan di pasar." and results[2]["body"]["version"] == 2
    assert results[3]["body"]["service_id"] == service_id
    assert created(writes) == 4
    registered = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "client.registered"))
    assert registered.actor_id == worker.id and registered.address == "127.0.0.1"
    # Each write counted as a request of its own, and the batch as one.
    assert response.headers["RateLimit-Remaining"] == str(app.config["API_RATE_LIMIT_PER_MINUTE"] - 1 - len(writes))

    again = client.post(BATCH, json={"writes": writes}, headers=headers)
    assert [result["status"] for result in again.json["results"]] == [200, 200, 200, 200, 200]
    assert created(writes) == 4
    assert db.session.scalar(sa.select(Case.version).where(Case.uuid == uuid.UUID(writes[1]["body"]["uuid"]))) == 2


def test_the_batch_stops_at_the_first_write_that_does_not_succeed(client, worker, service_id):
    writes = day_of_writes(service_id)
    writes[2]["body"]["intake_date"] = "2099-01-01"
    response = client.post(BATCH, json={"writes": writes}, headers=bearer(worker))
    assert response.status_code == 200
    results = response.json["results"]
    assert [result["status"] for result in results] == [201, 201, 422]
    assert "intake_date" in results[2]["body"]["error"]["fields"]
    assert created(writes) == 2  # the client and the case; nothing after the refused correction


def test_a_stale_version_answers_409_with_the_current_case(client, worker, service_id):
    headers, writes = bearer(worker), day_of_writes(service_id)
    client.post(BATCH, json={"writes": writes[:3]}, headers=headers)
    stale = [{**writes[2], "body": {"version": 1, "circumstances": "Versi lain dari tablet kedua."}}, writes[4]]
    response = client.post(BATCH, json={"writes": stale}, headers=headers)
    (result,) = response.json["results"]
    assert result["status"] == 409
    assert result["body"]["error"]["current"]["circumstances"] == "Ditemukan di pasar."
    assert created(writes) == 2


def test_each_write_is_checked_against_the_callers_own_permissions(client, make, service_id):
    volunteer = make.user(role=Role.VOLUNTEER)
    writes = day_of_writes(service_id)
    response = client.post(BATCH, json={"writes": writes}, headers=bearer(volunteer))
    assert response.status_code == 200
    assert [result["status"] for result in response.json["results"]] == [403]
    assert created(writes) == 0


def test_roles_without_field_work_cannot_send_a_batch(client, make, service_id):
    response = client.post(
        BATCH, json={"writes": day_of_writes(service_id)}, headers=bearer(make.user(role=Role.VIEWER))
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("writes", "field"),
    [
        ([], "writes"),
        ([{"method": "GET", "path": "/api/v1/clients"}], "method"),
        ([{"method": "POST", "path": "/api/v1/clients?x=1"}], "path"),
        ([{"method": "POST", "path": "/login"}], "path"),
        ([{"method": "POST", "path": BATCH, "body": {"writes": []}}], "'1'"),
        ([{"method": "PATCH", "path": "/api/v1/users/1", "body": {"role": "admin"}}], "'1'"),
        ([{"method": "POST", "path": "/api/v1/tokens", "body": {}}], "'1'"),
    ],
)
def test_a_malformed_batch_is_a_422_naming_the_problem_and_runs_nothing(client, worker, service_id, writes, field):
    good = day_of_writes(service_id)[:1]  # a good write first: nothing of a refused batch runs
    response = client.post(BATCH, json={"writes": good + writes if writes else []}, headers=bearer(worker))
    assert response.status_code == 422
    assert response.json["error"]["code"] == "validation_failed"
    assert field in str(response.json["error"]["fields"])
    assert created(good) == 0


def test_more_than_the_most_writes_is_refused(client, worker, service_id):
    writes = (day_of_writes(service_id) * (MAX_WRITES // 5 + 1))[: MAX_WRITES + 1]
    response = client.post(BATCH, json={"writes": writes}, headers=bearer(worker))
    assert response.status_code == 422
    assert str(MAX_WRITES) in str(response.json["error"]["fields"]["writes"])


def test_a_batch_past_the_rate_limit_is_refused_whole(app, client, worker, service_id, monkeypatch):
    monkeypatch.setitem(app.config, "API_RATE_LIMIT_PER_MINUTE", 5)
    if limits.WINDOW_SECONDS - time.time() % limits.WINDOW_SECONDS < 3:
        time.sleep(3)  # never start in the last seconds of a window
    headers, writes = bearer(worker), day_of_writes(service_id)
    response = client.post(BATCH, json={"writes": writes}, headers=headers)  # 1 + 5 requests
    assert response.status_code == 429 and response.headers["Retry-After"]
    assert created(writes) == 0


def test_a_signed_in_browser_batch_needs_and_forwards_its_csrf_token(
    app, client, login, worker, service_id, monkeypatch
):
    login(worker)
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    writes = day_of_writes(service_id)[:2]
    refused = client.post(BATCH, json={"writes": writes})
    assert refused.status_code == 400 and refused.json["error"]["code"] == "csrf_failed"
    token = client.get("/field/session").json["csrf"]
    response = client.post(BATCH, json={"writes": writes}, headers={"X-CSRFToken": token})
    assert [result["status"] for result in response.json["results"]] == [201, 201]
    assert created(writes) == 2
