"""Idle timeout of browser sessions: ends an unused session, keeps an active one, leaves bearer tokens alone."""

import time

import pytest

from casework.auth import idle, services
from tests.factories import TEST_PASSWORD

IDLE = 30 * 60


@pytest.fixture
def signed_in(client, make, login):
    """A signed-in user whose session has noted its activity (the first request after sign-in does)."""
    user = login(make.user())
    assert client.get("/account").status_code == 200
    return user


def set_seen(client, seconds_ago):
    """Moves the session's last activity ``seconds_ago`` into the past; returns the time written."""
    seen = int(time.time()) - seconds_ago
    with client.session_transaction() as session:
        session[idle.LAST_SEEN] = seen
    return seen


def seen_now(client):
    """The last activity the session cookie holds."""
    with client.session_transaction() as session:
        return session.get(idle.LAST_SEEN)


def test_idle_session_goes_to_login_with_message_and_back_to_the_page(client, signed_in):
    set_seen(client, IDLE + 60)
    response = client.get("/account?tab=token")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")

    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Sesi Anda berakhir karena tidak aktif selama lebih dari 30 menit" in login_page
    # The message is shown once.
    assert "Sesi Anda berakhir" not in client.get("/login").get_data(as_text=True)

    back = client.post(
        "/login", data={"username": signed_in.username, "password": TEST_PASSWORD, "next": "/account?tab=token"}
    )
    assert back.status_code == 302
    assert back.headers["Location"] == "/account?tab=token"
    assert client.get("/account").status_code == 200


def test_idle_session_gets_401_envelope_from_the_api(client, signed_in):
    set_seen(client, IDLE + 1)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "session_expired"
    assert "tidak aktif" in response.json["error"]["message"]
    # The session is over for pages too, and the login page still says why.
    page = client.get("/account")
    assert page.status_code == 302
    assert "Sesi Anda berakhir" in client.get(page.headers["Location"]).get_data(as_text=True)


def test_active_session_stays_and_notes_activity_at_most_once_a_minute(client, signed_in):
    set_seen(client, IDLE - 60)
    response = client.get("/account")
    assert response.status_code == 200
    assert "Set-Cookie" in response.headers
    assert seen_now(client) >= int(time.time()) - 5

    # Within the minute the cookie is not rewritten.
    again = client.get("/api/v1/me")
    assert again.status_code == 200
    assert "Set-Cookie" not in again.headers


def test_background_polling_does_not_keep_the_session_alive(client, signed_in):
    seen = set_seen(client, IDLE - 120)
    polled = client.get("/account", headers={idle.BACKGROUND_HEADER: "1"})
    assert polled.status_code == 200
    assert seen_now(client) == seen

    set_seen(client, IDLE + 1)
    expired = client.get("/account", headers={idle.BACKGROUND_HEADER: "1"})
    # A 401, not a redirect the script would follow to the login page's HTML.
    assert expired.status_code == 401


def test_idle_timeout_can_be_switched_off(client, app, signed_in, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 0)
    set_seen(client, 5 * IDLE)
    assert client.get("/account").status_code == 200


def test_bearer_tokens_are_not_affected(client, app, signed_in):
    _record, token = services.issue_token(signed_in, "tablet")
    headers = {"Authorization": f"Bearer {token}"}
    set_seen(client, IDLE + 60)
    # The idle session ends, the token still signs the call in.
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.get("/account").status_code == 302
    tablet = app.test_client()
    assert tablet.get("/api/v1/me", headers=headers).json["username"] == signed_in.username
