"""The application shell: errors, headers, permissions declared on every route."""

import re

import pytest
from flask import request
from sqlalchemy.exc import IntegrityError

from casework import create_app
from casework.auth.models import Role
from casework.core.permissions import PERMISSIONS, can, public


def test_every_route_declares_a_permission(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        if not hasattr(view, "permission"):
            missing.append(rule.rule)
    assert missing == []


def test_every_declared_permission_exists(app):
    declared = {getattr(view, "permission", None) for view in app.view_functions.values()}
    assert declared - {None} <= set(PERMISSIONS)


def test_unknown_permission_is_a_programming_error():
    from casework.core.permissions import require

    with pytest.raises(KeyError):
        require("tidak.ada")


def test_admin_permissions_belong_to_the_admin_only(make):
    assert can(make.user(role=Role.ADMIN), "admin.users")
    for role in set(Role) - {Role.ADMIN}:
        assert not can(make.user(role=role), "admin.users")


def test_health(client):
    assert client.get("/health").json == {"status": "ok"}


def test_security_headers_on_pages(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_hsts_only_behind_https(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    assert "Strict-Transport-Security" in client.get("/login", base_url="https://localhost").headers


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert "tidak ditemukan" in response.get_data(as_text=True)


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/tidak-ada")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_wrong_method_is_a_405_not_a_500(client):
    assert client.get("/logout").status_code == 405


def test_crash_is_a_500_page_and_keeps_personal_data_out_of_the_log(caplog, tmp_path):
    crashing = create_app(
        {"TESTING": False, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/c.db"}
    )

    @crashing.route("/_crash")
    @public
    def crash():
        raise RuntimeError(f"NIK {request.args['nik']}")

    response = crashing.test_client().get("/_crash?nik=3275014101900001")
    assert response.status_code == 500
    assert "Tidak ada data yang tersimpan" in response.get_data(as_text=True)
    assert "RuntimeError" in caplog.text
    assert "RuntimeError" not in response.get_data(as_text=True)
    assert "3275014101900001" not in caplog.text


def test_static_urls_are_versioned_and_cached_long(client):
    page = client.get("/login").get_data(as_text=True)
    css = re.search(r'href="(/static/css/app\.css\?v=\d+)"', page)
    assert css, "stylesheet URL carries a version"
    response = client.get(css.group(1))
    response.close()
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_a_save_refused_by_a_unique_constraint_is_a_409_not_a_500(app):
    """Two identical creates at the same instant: the database refuses the second one clearly."""
    handler = app.error_handler_spec[None][None][IntegrityError]
    with app.test_request_context("/api/v1/users"):
        response, status = handler(IntegrityError("INSERT", {}, Exception("unique")))
    assert status == 409
    assert response.json["error"]["code"] == "conflict"
    assert "bentrok" in response.json["error"]["message"]
