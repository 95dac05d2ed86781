"""The authorisation matrix: every route × method × role (and anonymous) × scope gets the answer its permission
and its record's agency call for.

Records of every kind are built once per module in a committed database (``committed_app``); each test runs in
a transaction rolled back at its end, and each request in a savepoint rolled back after it, so a cell that
changes state (sign out, revoke a token, close a month) never changes what the next cell sees.
"""

import pytest
import sqlalchemy as sa
from flask_sqlalchemy.session import _app_ctx_id

from casework.auth.models import Role, User
from casework.extensions import db
from tests.factories import TEST_PASSWORD, Factories, _test_password_hash
from tests.security import tally
from tests.security.matrix import SCOPES, expected, fill, route_table, rule_of
from tests.security.records import build_agency, other_unit_records
from tests.security.reference_values import Globals

ROUTES = route_table()
ROLES = (None, *Role)  # None: not signed in


@pytest.fixture(scope="module")
def matrix(committed_app):
    """Agencies A and B with their records (and A's of another unit), committed; each role's session and token in A."""
    with committed_app.app_context():
        _test_password_hash()
        receiver = Factories().agency(name="Dinas Sosial Penerima")
        agencies = {"A": build_agency(receiver.id, 100), "B": build_agency(receiver.id, 200)}
        agencies["A-unit"] = other_unit_records(agencies["A"], receiver.id, 300)
        globals_ = Globals()
        db.session.commit()
        cookies = {}
        for role, user_id in agencies["A"].users.items():
            client = committed_app.test_client()
            username = db.session.get(User, user_id).username
            response = client.post("/login", data={"username": username, "password": TEST_PASSWORD})
            assert response.status_code == 302, role
            cookies[role] = client.get_cookie("session").value
    return agencies, globals_, cookies


@pytest.fixture
def rolled_back(committed_app):
    """A connection whose outer transaction is rolled back after the test; yields it for per-request savepoints."""
    with committed_app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        factory = sa.orm.sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        db.session = sa.orm.scoped_session(factory, scopefunc=_app_ctx_id)
        try:
            yield connection
        finally:
            db.session.remove()
            db.session = original
            outer.rollback()
            connection.close()


def _send(app, connection, method, url, role, cookies, token):
    """Sends one request as ``role`` (None: anonymous) inside a savepoint rolled back afterwards."""
    client = app.test_client()
    headers = {}
    api = url.startswith("/api/")
    if role is not None and api:
        headers["Authorization"] = f"Bearer {token}"
    elif role is not None:
        client.set_cookie("session", cookies[role])
    body = {}
    if method in {"POST", "PUT", "PATCH"}:
        body = {"json": {}} if api else {"data": {}}
    savepoint = connection.begin_nested()
    try:
        return client.open(url, method=method, headers=headers, buffered=True, **body)
    finally:
        if savepoint.is_active:
            savepoint.rollback()


def _verdict(want, response, api):
    """None when ``response`` is the expected answer ``want``, else what went wrong."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if want == "anonymous":
        if api:
            return None if status == 401 else f"{status}, expected 401"
        location = response.headers.get("Location", "")
        return None if status == 302 and "/login" in location else f"{status} {location}, expected login redirect"
    if want == "allowed":
        return None if status not in (401, 403, 404) else f"{status}, expected allowed"
    if want == "any":
        return None
    return None if status == want else f"{status}, expected {want}"


@pytest.mark.parametrize(("path", "method", "endpoint"), ROUTES, ids=[f"{m} {p}" for p, m, _e in ROUTES])
def test_route(committed_app, matrix, rolled_back, path, method, endpoint):
    agencies, globals_, cookies = matrix
    rule = rule_of(committed_app, path, method)
    permission = committed_app.view_functions[endpoint].permission
    api = path.startswith("/api/")
    failures, cells, scoped = [], 0, False
    for scope in SCOPES:
        records = agencies[scope.records]
        for role in ROLES:
            try:
                values, named = fill(rule, records, globals_, role)
            except LookupError as error:
                pytest.fail(str(error))
            varied = named if scope.varies is None else named & scope.varies
            if scope.name != "in" and not varied:
                continue  # nothing in the URL differs from the "in" scope's: the scope does not apply
            scoped = scoped or bool(named)
            url = rule.build(values)[1]
            if permission is None:
                want, reason = "any", "public"
            else:
                want, reason = expected(permission, role, scope, endpoint, method)
            response = _send(committed_app, rolled_back, method, url, role, cookies, agencies["A"].tokens.get(role))
            cells += 1
            problem = _verdict(want, response, api)
            if problem:
                because = f" (exception: {reason})" if reason else ""
                failures.append(f"{method} {url} as {role or 'anonymous'} ({scope.name}): {problem}{because}")
    tally.COUNTS["cells"] += cells
    tally.COUNTS["routes"] += 1
    tally.COUNTS["scoped"] += int(scoped)
    assert not failures, "\n".join(failures)
