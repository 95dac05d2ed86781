"""Sensitive records in the JSON API: the 403 envelope, break glass with its 422, the view audit, writes refused."""

import sqlalchemy as sa

from casework.access.models import BreakGlassGrant
from casework.audit.models import AuditEvent
from casework.extensions import db
from tests.access.conftest import VICTIM_NAME, category_id
from tests.access.test_pages import GOOD_REASON


def test_the_caseworker_reads_the_case_and_the_client_audited(client, login, caseworker, sensitive_case):
    login(caseworker)
    case = client.get(f"/api/v1/cases/{sensitive_case.uuid}")
    person = client.get(f"/api/v1/clients/{sensitive_case.client.uuid}")
    assert case.status_code == 200 and case.json["client_name"] == VICTIM_NAME
    assert person.status_code == 200 and person.json["full_name"] == VICTIM_NAME
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("%.viewed"))).all()
    assert sorted(actions) == ["case.viewed", "client.viewed"]


def test_another_caseworker_gets_the_restricted_envelope(client, login, other_caseworker, sensitive_case):
    login(other_caseworker)
    for url in (
        f"/api/v1/cases/{sensitive_case.uuid}",
        f"/api/v1/cases/{sensitive_case.uuid}/timeline",
        f"/api/v1/clients/{sensitive_case.client.uuid}",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json["error"]["code"] == "restricted"
        assert "Ratna" not in response.get_data(as_text=True)
    note = client.post(f"/api/v1/cases/{sensitive_case.uuid}/notes", json={"body": "coba"})
    assert note.status_code == 403 and note.json["error"]["code"] == "restricted"


def test_break_glass_through_the_api(client, login, other_caseworker, sensitive_case):
    login(other_caseworker)
    url = f"/api/v1/cases/{sensitive_case.uuid}/break-glass"
    short = client.post(url, json={"reason": "perlu cepat"})
    assert short.status_code == 422
    assert "paling sedikit 20 karakter" in short.json["error"]["fields"]["reason"][0]
    assert client.post(url, json={}).status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BreakGlassGrant)) == 0

    granted = client.post(url, json={"reason": GOOD_REASON})
    assert granted.status_code == 201
    assert granted.json["case_uuid"] == str(sensitive_case.uuid) and granted.json["expires_at"]
    response = client.get(f"/api/v1/cases/{sensitive_case.uuid}")
    assert response.status_code == 200 and response.json["client_name"] == VICTIM_NAME
    via = db.session.scalars(sa.select(AuditEvent.details).where(AuditEvent.action == "case.viewed")).all()
    assert via == [{"via": "break_glass"}]


def test_a_client_made_sensitive_within_a_batch_is_closed_to_the_next_write(
    client, login, other_caseworker, plain_case
):
    # The batch's writes share one database session: what each loads must not carry an earlier write's view.
    login(other_caseworker)
    case_path, person = f"/api/v1/cases/{plain_case.uuid}", plain_case.client
    held = {"category_id": category_id("korban-tindak-kekerasan"), "since": "2026-01-01"}
    writes = [
        {"method": "POST", "path": f"{case_path}/notes", "body": {"body": "Kunjungan pertama."}},
        {
            "method": "PATCH",
            "path": f"/api/v1/clients/{person.uuid}",
            "body": {"version": person.version, "categories": [held]},
        },
        {"method": "POST", "path": f"{case_path}/notes", "body": {"body": "Kunjungan kedua."}},
    ]
    results = client.post("/api/v1/sync/batch", json={"writes": writes}).json["results"]
    assert [result["status"] for result in results] == [201, 200, 403]
    assert results[2]["body"]["error"]["code"] == "restricted"
