"""Fixtures for case tests: the registry's agency and staff, a shelter, catalogued services, and a case factory."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.intake import open_case
from casework.closure.services import approve_closure, propose_closure
from casework.extensions import db
from casework.org.models import UnitKind
from casework.reference.models import Category, Service
from tests.clients import conftest as registry

INTAKE_DAY = date(2026, 11, 2)

# The registry's fixtures: its agency and division, staff by role, and new clients.
office, agency, staff, caseworker, new_client = (
    registry.office,
    registry.agency,
    registry.staff,
    registry.caseworker,
    registry.new_client,
)


@pytest.fixture
def shelter(make, agency):
    """The agency's rumah singgah."""
    return make.unit(agency=agency, code="RS1", name="Rumah Singgah Uji", kind=UnitKind.RUMAH_SINGGAH, capacity=20)


@pytest.fixture
def service():
    """A catalogued service by slug: ``service("permakanan")``."""

    def by_slug(slug):
        return db.session.scalar(sa.select(Service).where(Service.slug == slug))

    return by_slug


@pytest.fixture
def category():
    """A category by slug: ``category("gelandangan")``."""

    def by_slug(slug):
        return db.session.scalar(sa.select(Category).where(Category.slug == slug))

    return by_slug


@pytest.fixture
def new_case(agency, caseworker, new_client):
    """Opens a case at intake for a new client (or ``client=``): ``new_case(intake_channel="walk_in")``."""

    def open_one(client=None, **data):
        values = {"intake_channel": "outreach", "intake_date": INTAKE_DAY, **data}
        case, _created = open_case(agency, caseworker, client or new_client(full_name="Budi Santoso"), values)
        return case

    return open_one


@pytest.fixture
def supervisor(staff):
    """A supervisor of the agency, who approves closures."""
    return staff(Role.SUPERVISOR)


@pytest.fixture
def close_case(caseworker, supervisor):
    """Closes a case: proposed by the caseworker, approved by the supervisor: ``close_case(case, outcome=...)``."""

    def close(case, today=None, **data):
        closure, _created = propose_closure(case, caseworker, case.version, data, today=today)
        return approve_closure(closure, supervisor, closure.version, today=today)

    return close
