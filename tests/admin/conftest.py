"""Fixtures for the administration tests: a Kota Bekasi agency, its office and its administrator."""

import pytest

from casework.auth.models import Role
from casework.org.models import UnitKind


@pytest.fixture
def office(make):
    """The agency's secretariat, a division of a Kota Bekasi (32.75) agency."""
    return make.unit(kind=UnitKind.DIVISION, code="SEKRE", name="Sekretariat")


@pytest.fixture
def agency(office):
    """The agency the administrator runs."""
    return office.agency


@pytest.fixture
def admin(make, office):
    """An administrator of the agency, not signed in yet."""
    return make.user(role=Role.ADMIN, unit=office, username="admin.dinas", full_name="Admin Dinas")
