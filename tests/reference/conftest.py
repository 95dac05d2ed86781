"""Fixtures for the reference-data tests."""

import pytest

from casework.auth.models import Role


@pytest.fixture
def request_ctx(app):
    """A request context: services translate their messages for the user of a request."""
    with app.test_request_context():
        yield


@pytest.fixture
def admin(make, login):
    """An administrator, signed in."""
    return login(make.user(role=Role.ADMIN))


@pytest.fixture
def caseworker(make, login):
    """A caseworker, signed in."""
    return login(make.user(role=Role.CASEWORKER))
