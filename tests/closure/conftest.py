"""Fixtures for closure, desk and notification tests: the case fixtures, a second supervisor, and switching users."""

import pytest

from casework.auth.models import Role
from tests.cases import conftest as cases

office, agency, staff, caseworker, new_client, new_case, shelter, supervisor, close_case = (
    cases.office,
    cases.agency,
    cases.staff,
    cases.caseworker,
    cases.new_client,
    cases.new_case,
    cases.shelter,
    cases.supervisor,
    cases.close_case,
)


@pytest.fixture
def other_supervisor(staff):
    """A second supervisor of the agency."""
    return staff(Role.SUPERVISOR)


@pytest.fixture
def switch_to(client, login):
    """Signs out whoever is signed in, then signs ``user`` in."""

    def switch(user):
        client.post("/logout")
        return login(user)

    return switch
