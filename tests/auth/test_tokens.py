"""API bearer tokens: issued, listed, used, revoked, expired."""

from datetime import timedelta

import sqlalchemy as sa

from casework.auth import services
from casework.auth.models import ApiToken
from casework.core.types import utcnow
from casework.extensions import db


def bearer(token):
    """Headers for a bearer-token request."""
    return {"Authorization": f"Bearer {token}"}


def test_issue_use_and_revoke_a_token_through_the_api(client, make, login):
    user = login(make.user())
    created = client.post("/api/v1/tokens", json={"name": "Tablet Bekasi Timur"})
    assert created.status_code == 201
    secret = created.json["token"]
    assert secret.startswith("cw_")
    stored = db.session.get(ApiToken, created.json["id"])
    assert secret not in (stored.token_hash, stored.prefix)

    client.post("/logout")
    me = client.get("/api/v1/me", headers=bearer(secret))
    assert me.status_code == 200
    assert me.json["username"] == user.username

    listed = client.get("/api/v1/tokens", headers=bearer(secret)).json["items"]
    assert [t["name"] for t in listed] == ["Tablet Bekasi Timur"]
    assert "token" not in listed[0]

    assert client.delete(f"/api/v1/tokens/{created.json['id']}", headers=bearer(secret)).status_code == 200
    refused = client.get("/api/v1/me", headers=bearer(secret))
    assert refused.status_code == 401
    assert refused.json["error"]["code"] == "unauthorized"


def test_expired_token_is_refused(client, make):
    user = make.user()
    record, secret = services.issue_token(user, "lama")
    record.expires_at = utcnow() - timedelta(seconds=1)
    db.session.flush()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_token_of_a_deactivated_user_is_refused(client, make):
    user = make.user()
    _record, secret = services.issue_token(user, "tablet")
    user.active = False
    db.session.flush()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_garbage_token_gets_the_json_envelope(client):
    response = client.get("/api/v1/me", headers=bearer("cw_bukan-token"))
    assert response.status_code == 401
    assert response.json == {
        "error": {"code": "unauthorized", "message": "Silakan masuk terlebih dahulu.", "fields": {}}
    }


def test_token_does_not_open_html_pages(client, make):
    _record, secret = services.issue_token(make.user(), "tablet")
    assert client.get("/home", headers=bearer(secret)).status_code == 302


def test_cannot_revoke_someone_elses_token(client, make, login):
    other_token, _secret = services.issue_token(make.user(), "milik orang lain")
    login(make.user())
    response = client.delete(f"/api/v1/tokens/{other_token.id}")
    assert response.status_code == 404
    assert other_token.revoked_at is None


def test_token_name_is_required(client, make, login):
    login(make.user())
    response = client.post("/api/v1/tokens", json={"name": ""})
    assert response.status_code == 422
    assert response.json["error"]["fields"]["name"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_body_that_is_not_json_is_refused_clearly(client, make, login):
    login(make.user())
    response = client.post("/api/v1/tokens", data="bukan json", content_type="text/plain")
    assert response.status_code == 422
    assert response.json["error"]["message"] == "Isi permintaan harus berupa objek JSON."


def test_account_page_shows_a_new_token_once(client, make, login):
    login(make.user())
    response = client.post("/account/tokens", data={"name": "Tablet lapangan"}, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert 'data-testid="new-token"' in page
    assert 'data-testid="new-token"' not in client.get("/account").get_data(as_text=True)


def test_api_with_session_cookie_still_needs_csrf(client, make, login, app, monkeypatch):
    login(make.user())
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/api/v1/tokens", json={"name": "tanpa csrf"})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "csrf_failed"


def test_token_last_use_is_written_at_most_once_per_interval(client, make, app):
    _record, secret = services.issue_token(make.user(), "tablet")
    db.session.flush()
    token_id = _record.id
    updates = []

    def note_update(_conn, _cursor, statement, *_args):
        if statement.startswith("UPDATE api_token") and "last_used_at IS NULL" in statement:
            updates.append(statement)

    def last_used():
        return db.session.scalar(sa.select(ApiToken.last_used_at).where(ApiToken.id == token_id))

    sa.event.listen(db.engine, "before_cursor_execute", note_update)
    try:
        assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
        first = last_used()
        assert first is not None and len(updates) == 1
        for _n in range(3):
            assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
        assert len(updates) == 1 and last_used() == first

        minutes = app.config["API_TOKEN_TOUCH_MINUTES"]
        older = utcnow() - timedelta(minutes=minutes, seconds=5)
        db.session.execute(sa.update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=older))
        assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
        assert len(updates) == 2 and last_used() > older
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", note_update)


def test_a_stale_last_use_is_moved_once_when_two_requests_see_it(make):
    _record, _secret = services.issue_token(make.user(), "tablet")
    db.session.flush()
    now = utcnow()
    # Another process wrote a fresh time after this one read the stale one: its write changes nothing.
    db.session.execute(sa.update(ApiToken).where(ApiToken.id == _record.id).values(last_used_at=now))
    services._touch(_record, now + timedelta(seconds=1))
    assert db.session.scalar(sa.select(ApiToken.last_used_at).where(ApiToken.id == _record.id)) == now
