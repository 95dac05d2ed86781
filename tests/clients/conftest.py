"""Fixtures for the client registry tests: a Kota Bekasi agency, its staff by role, and a client factory."""

from datetime import date

import pytest

from casework.auth.models import Role
from casework.clients.identity import compose_nik
from casework.clients.models import Sex
from casework.clients.services import register_client

# A NIK issued in Bekasi Timur (32.75.01) to a woman born on 17 May 1990.
VALID_NIK = compose_nik("32.75.01", date(1990, 5, 17), Sex.FEMALE, 1)


@pytest.fixture
def office(make):
    """The agency's rehabilitation division, in a Kota Bekasi (32.75) agency."""
    return make.unit(code="REHSOS", name="Bidang Rehabilitasi Sosial")


@pytest.fixture
def agency(office):
    """The agency whose registry the tests use."""
    return office.agency


@pytest.fixture
def staff(make, office):
    """A user of ``role`` in the agency: ``staff(Role.VIEWER)``."""

    def of_role(role=Role.CASEWORKER):
        return make.user(role=role, unit=office)

    return of_role


@pytest.fixture
def caseworker(staff):
    """A caseworker of the agency, not signed in yet."""
    return staff(Role.CASEWORKER)


@pytest.fixture
def new_client(agency, caseworker):
    """Registers a client in the agency (confirmed new, so near-names never stop it): ``new_client(full_name=...)``."""

    def register(**data):
        client, _created = register_client(agency, caseworker, data, confirm_new=True)
        return client

    return register
