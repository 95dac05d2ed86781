"""API rate limits: per token, per signed-in user and per address, counted in the database per one-minute window."""

import time

import pytest
import sqlalchemy as sa

from casework.auth import limits, services
from casework.auth.limits import ApiRateWindow
from casework.extensions import db
from casework.scheduling import load_jobs
from tests.factories import TEST_PASSWORD


def bearer(token):
    """Headers for a bearer-token request."""
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def low_limits(app, monkeypatch):
    """Limits of 3 requests per token or user and 2 per address, in a window with time left for the test."""
    monkeypatch.setitem(app.config, "API_RATE_LIMIT_PER_MINUTE", 3)
    monkeypatch.setitem(app.config, "API_RATE_LIMIT_ANONYMOUS_PER_MINUTE", 2)
    # A test's requests take milliseconds; never start one in the last seconds of a window.
    left = limits.WINDOW_SECONDS - time.time() % limits.WINDOW_SECONDS
    if left < 3:
        time.sleep(left)


def next_window():
    """Moves every counted request one window into the past, as if a minute had gone by."""
    db.session.execute(sa.update(ApiRateWindow).values(window_start=ApiRateWindow.window_start - limits.WINDOW_SECONDS))


def test_request_past_the_limit_gets_429_with_envelope_and_retry_after(client, make, low_limits):
    _record, token = services.issue_token(make.user(), "tablet")
    answers = [client.get("/api/v1/me", headers=bearer(token)) for _n in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.headers["RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]
    assert answers[0].headers["RateLimit-Limit"] == "3"
    assert "Retry-After" not in answers[0].headers

    refused = client.get("/api/v1/me", headers=bearer(token))
    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "too_many_requests"
    assert "Terlalu banyak permintaan ke API" in refused.json["error"]["message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= limits.WINDOW_SECONDS
    assert refused.headers["RateLimit-Remaining"] == "0"


def test_another_token_and_another_user_are_not_affected(client, app, make, low_limits):
    _record, busy = services.issue_token(make.user(), "sibuk")
    _record, other = services.issue_token(make.user(), "lain")
    for _n in range(4):
        client.get("/api/v1/me", headers=bearer(busy))
    assert client.get("/api/v1/me", headers=bearer(busy)).status_code == 429

    assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200
    browser = app.test_client()
    user = make.user()
    assert browser.post("/login", data={"username": user.username, "password": TEST_PASSWORD}).status_code == 302
    assert browser.get("/api/v1/me").status_code == 200
    callers = set(db.session.scalars(sa.select(ApiRateWindow.caller)))
    assert f"user:{user.id}" in callers
    assert limits.token_caller(busy) in callers and limits.token_caller(other) in callers


def test_the_next_window_admits_again(client, make, low_limits):
    _record, token = services.issue_token(make.user(), "tablet")
    for _n in range(3):
        client.get("/api/v1/me", headers=bearer(token))
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 429

    next_window()
    again = client.get("/api/v1/me", headers=bearer(token))
    assert again.status_code == 200
    assert again.headers["RateLimit-Remaining"] == "2"


def test_a_rolled_back_request_still_counts(client, make, login, low_limits):
    user = login(make.user())
    # Refused after the session has begun its work: the request rolls back, its count stays.
    for _n in range(3):
        assert client.post("/api/v1/tokens", json={"name": ""}).status_code == 422
    hits = db.session.scalar(sa.select(ApiRateWindow.hits).where(ApiRateWindow.caller == f"user:{user.id}"))
    assert hits == 3
    assert client.post("/api/v1/tokens", json={"name": "tablet"}).status_code == 429
    assert client.get("/api/v1/tokens").status_code == 429


def test_calls_without_credentials_are_limited_per_address(client, low_limits):
    here = {"REMOTE_ADDR": "203.0.113.7"}
    assert client.get("/api/v1/openapi.json", environ_base=here).status_code == 200
    assert client.get("/api/v1/me", environ_base=here).status_code == 401
    refused = client.get("/api/v1/openapi.json", environ_base=here)
    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "too_many_requests"
    assert client.get("/api/v1/openapi.json", environ_base={"REMOTE_ADDR": "203.0.113.8"}).status_code == 200


def test_made_up_tokens_count_against_the_address(client, low_limits):
    here = {"REMOTE_ADDR": "203.0.113.9"}
    first = client.get("/api/v1/openapi.json", environ_base=here, headers=bearer("cw_karangan-1"))
    second = client.get("/api/v1/openapi.json", environ_base=here, headers=bearer("cw_karangan-2"))
    assert (first.status_code, second.status_code) == (200, 200)
    assert client.get("/api/v1/openapi.json", environ_base=here, headers=bearer("cw_karangan-3")).status_code == 429


def test_pages_are_not_limited(client, low_limits):
    statuses = {client.get("/login").status_code for _n in range(5)}
    assert statuses == {200}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiRateWindow)) == 0


def test_old_windows_are_pruned_by_a_scheduled_job(client, make, low_limits):
    _record, token = services.issue_token(make.user(), "tablet")
    client.get("/api/v1/me", headers=bearer(token))
    for _n in range(12):
        next_window()
    client.get("/api/v1/me", headers=bearer(token))
    assert load_jobs()["auth.prune_api_rate_windows"].cron == {"minute": "*/10"}
    assert load_jobs()["auth.prune_api_rate_windows"].func() == 1
    assert db.session.scalars(sa.select(ApiRateWindow.hits)).all() == [1]


def test_unknown_api_paths_count_too(client, low_limits):
    here = {"REMOTE_ADDR": "203.0.113.10"}
    assert [client.get(f"/api/v1/tidak-ada-{n}", environ_base=here).status_code for n in range(3)] == [404, 404, 429]


def test_counts_write_no_wal_on_postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no unlogged tables (its WAL commits do not sync anyway)")
    persistence = db.session.scalar(
        sa.text("SELECT relpersistence FROM pg_class WHERE oid = 'api_rate_window'::regclass")
    )
    assert persistence == "u"
