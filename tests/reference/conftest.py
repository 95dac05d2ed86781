"""Fixtures for the reference-data tests."""

import pytest


@pytest.fixture
def request_ctx(app):
    """A request context: services translate their messages for the user of a request."""
    with app.test_request_context():
        yield
