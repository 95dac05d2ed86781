"""Fixtures for the stored-file tests: the client registry's agency and staff by role."""

from tests.clients.conftest import agency, caseworker, office, staff  # noqa: F401  (fixtures)
