"""Who may open the administration pages, the directory and their API endpoints."""

import pytest

from casework.auth.models import Role
from casework.extensions import db
from tests.admin.helpers import page_text

PAGES = [
    "/admin/users",
    "/admin/users/new",
    "/admin/users/{user}",
    "/admin/units",
    "/admin/units/new",
    "/admin/units/{unit}",
    "/admin/agency",
]
# Every state change, posted empty: a refused role must change nothing.
ACTIONS = [
    "/admin/users/new",
    "/admin/users/{user}",
    "/admin/users/{user}/deactivate",
    "/admin/users/{user}/password",
    "/admin/users/{user}/tokens/1/revoke",
    "/admin/units/new",
    "/admin/units/{unit}",
    "/admin/units/{unit}/deactivate",
    "/admin/agency",
]
API = ["/api/v1/users", "/api/v1/users/{user}", "/api/v1/units", "/api/v1/units/{unit}"]
OTHER_ROLES = [role for role in Role if role != Role.ADMIN]


def _url(template, admin, office):
    """A URL template filled with the fixture records' ids."""
    return template.format(user=admin.id, unit=office.id)


@pytest.mark.parametrize("page", PAGES)
def test_admin_opens_every_page(client, login, admin, office, page):
    login(admin)
    response = client.get(_url(page, admin, office))
    assert response.status_code == 200
    assert '<nav class="tabs"' in page_text(response)


@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_every_other_role_is_refused_the_pages(client, make, login, admin, office, role, page):
    login(make.user(role=role, unit=office))
    response = client.get(_url(page, admin, office))
    assert response.status_code == 403
    assert "tidak memiliki izin" in page_text(response)


@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_other_role_is_refused_the_changes(client, make, login, admin, office, role, action):
    login(make.user(role=role, unit=office))
    assert client.post(_url(action, admin, office)).status_code == 403
    db.session.refresh(admin)
    assert admin.active


@pytest.mark.parametrize("page", [*PAGES, "/admin/directory"])
def test_signed_out_visitors_are_sent_to_sign_in(client, admin, office, page):
    response = client.get(_url(page, admin, office))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize("endpoint", API)
def test_api_refuses_other_roles(client, make, login, admin, office, role, endpoint):
    login(make.user(role=role, unit=office))
    response = client.get(_url(endpoint, admin, office))
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"


@pytest.mark.parametrize("endpoint", [*API, "/api/v1/directory"])
def test_api_needs_authentication(client, admin, office, endpoint):
    response = client.get(_url(endpoint, admin, office))
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER, Role.DATA_OFFICER, Role.VIEWER])
def test_staff_read_the_directory(client, make, login, office, role):
    login(make.user(role=role, unit=office))
    assert client.get("/admin/directory").status_code == 200
    assert client.get("/api/v1/directory").status_code == 200


def test_volunteers_do_not_read_the_directory(client, make, login, office):
    login(make.user(role=Role.VOLUNTEER, unit=office, regions=["32.75.01"]))
    assert client.get("/admin/directory").status_code == 403
    assert client.get("/api/v1/directory").status_code == 403


def test_admin_menu_leads_to_the_user_list(client, login, admin):
    login(admin)
    home = page_text(client.get("/home"))
    assert 'href="/admin/users"' in home
    tabs = page_text(client.get("/admin/users"))
    assert 'href="/admin/units"' in tabs and 'href="/admin/agency"' in tabs
