"""Signing in and out: credentials, throttling, sessions, redirects and CSRF."""

import re

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth.models import LoginAttempt, Role, new_session_nonce
from casework.extensions import db


def test_login_page_is_indonesian_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="id">' in page
    assert "Nama pengguna" in page and "Kata sandi" in page and ">Masuk<" in page


@pytest.mark.parametrize("role", list(Role))
def test_every_role_signs_in_and_reaches_its_home(client, make, login, role):
    user = login(make.user(role=role))
    page = client.get("/home").get_data(as_text=True)
    assert user.full_name in page
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "auth.login")).actor_id == user.id


def test_username_is_case_insensitive(client, make):
    make.user(username="budi.santoso")
    response = client.post("/login", data={"username": "  Budi.Santoso ", "password": "Rahasia-Test-2026"})
    assert response.status_code == 302


def test_wrong_password_gets_a_clear_message_and_is_recorded(client, make):
    user = make.user()
    response = client.post("/login", data={"username": user.username, "password": "salah-sekali-123"})
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)
    attempt = db.session.scalar(sa.select(LoginAttempt).where(LoginAttempt.username == user.username))
    assert attempt.success is False


def test_unknown_user_gets_the_same_message(client):
    response = client.post("/login", data={"username": "tidak-ada", "password": "apa-saja-123"})
    assert response.status_code == 401
    assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)


def test_empty_form_names_the_missing_fields(client):
    response = client.post("/login", data={"username": "", "password": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Isi nama pengguna." in page and "Isi kata sandi." in page


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, make, app):
    user = make.user()
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        assert client.post("/login", data={"username": user.username, "password": "keliru-123456"}).status_code == 401
    response = client.post("/login", data={"username": user.username, "password": "Rahasia-Test-2026"})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in response.get_data(as_text=True)


def test_many_failures_from_one_address_throttle_every_account(client, make, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 3)
    victim = make.user()
    for n in range(3):
        client.post("/login", data={"username": f"tebak{n}", "password": "keliru-123456"})
    response = client.post("/login", data={"username": victim.username, "password": "Rahasia-Test-2026"})
    assert response.status_code == 429


def test_deactivated_user_cannot_sign_in(client, make):
    user = make.user(active=False)
    response = client.post("/login", data={"username": user.username, "password": "Rahasia-Test-2026"})
    assert response.status_code == 401


def test_pages_need_a_session_and_come_back_after_login(client, make):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    user = make.user()
    response = client.post(
        "/login", data={"username": user.username, "password": "Rahasia-Test-2026", "next": "/account"}
    )
    assert response.headers["Location"] == "/account"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_next_never_leaves_the_site(client, make, target):
    user = make.user()
    response = client.post("/login", data={"username": user.username, "password": "Rahasia-Test-2026", "next": target})
    assert response.headers["Location"] == "/home"


def test_logout_ends_the_session(client, make, login):
    login(make.user())
    assert client.post("/logout").status_code == 302
    assert client.get("/home").status_code == 302


def test_resetting_the_nonce_ends_existing_sessions(client, make, login):
    user = login(make.user())
    assert client.get("/home").status_code == 200
    user.session_nonce = new_session_nonce()
    db.session.flush()
    assert client.get("/home").status_code == 302


def test_session_cookie_is_http_only_and_same_site(client, make):
    user = make.user()
    response = client.post("/login", data={"username": user.username, "password": "Rahasia-Test-2026"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_missing_csrf_token_is_refused_with_a_clear_message(client, make, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = make.user()
    response = client.post("/login", data={"username": user.username, "password": "Rahasia-Test-2026"})
    assert response.status_code == 400
    assert "token keamanan tidak ada" in response.get_data(as_text=True)


def test_login_with_a_valid_csrf_token_works(client, make, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = make.user()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": user.username, "password": "Rahasia-Test-2026", "csrf_token": token.group(1)}
    )
    assert response.status_code == 302


def test_language_switch_shows_english(client, make, login):
    login(make.user())
    client.post("/language", data={"lang": "en", "next": "/home"})
    page = client.get("/home").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Sign out" in page


def _attempt_address(client, username):
    """Fails one sign-in from behind a proxy and returns the address it was recorded under."""
    client.post(
        "/login",
        data={"username": username, "password": "keliru-123456"},
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    return db.session.scalar(sa.select(LoginAttempt.address).where(LoginAttempt.username == username))


def test_forwarded_address_is_ignored_without_a_configured_proxy(client):
    assert _attempt_address(client, "tanpa.proxy") == "127.0.0.1"


def test_behind_one_proxy_the_client_address_is_throttled():
    from tests.conftest import build_app

    proxied = build_app("proxy", PROXY_HOPS=1)
    with proxied.app_context():
        assert _attempt_address(proxied.test_client(), "di.belakang.proxy") == "203.0.113.7"
        db.engine.dispose()
