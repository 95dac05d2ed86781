"""Fixtures for sensitive records: a sexual-violence victim's case, its caseworker, the unit's supervisor, others."""

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.intake import open_case
from casework.clients.services import register_client
from casework.extensions import db
from casework.reference.models import Category
from tests.cases.conftest import INTAKE_DAY
from tests.clients import conftest as registry

office, agency, staff, caseworker, new_client = (
    registry.office,
    registry.agency,
    registry.staff,
    registry.caseworker,
    registry.new_client,
)

VICTIM_NAME = "Ratna Sulistyowati"
VICTIM_NIK = registry.VALID_NIK


def category_id(slug):
    """The id of the category ``slug``."""
    return db.session.scalar(sa.select(Category.id).where(Category.slug == slug))


@pytest.fixture
def supervisor(staff):
    """A supervisor of the case's unit."""
    return staff(Role.SUPERVISOR)


@pytest.fixture
def other_caseworker(staff):
    """Another caseworker of the same agency and unit, holding none of the client's cases."""
    return staff(Role.CASEWORKER)


@pytest.fixture
def open_for(agency, caseworker):
    """Opens a case held by ``caseworker`` for a new client holding ``slug`` from 2026-01-01 (until ``until``)."""

    def open_one(slug, name=VICTIM_NAME, until=None, **client_fields):
        held = {"category_id": category_id(slug), "since": "2026-01-01", "until": until}
        client = register_client(
            agency, caseworker, {"full_name": name, "categories": [held], **client_fields}, confirm_new=True
        )[0]
        values = {"intake_channel": "outreach", "intake_date": INTAKE_DAY}
        return open_case(agency, caseworker, client, values)[0]

    return open_one


@pytest.fixture
def sensitive_case(open_for):
    """A case of a victim of violence (including sexual violence): a sensitive category, held now."""
    return open_for("korban-tindak-kekerasan", nik=VICTIM_NIK, phone="081234567890", address="Jl. Melati 12")


@pytest.fixture
def plain_case(open_for):
    """A case of a homeless person: nothing sensitive."""
    return open_for("gelandangan", name="Sutrisno Wibowo")
