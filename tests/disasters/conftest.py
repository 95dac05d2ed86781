"""Fixtures for disaster tests: the registry's Kota Bekasi agency and staff, an event in emergency response,
a site, and shortcuts that register households through the service (``household``).

Villages are in Bantargebang (32.75.07), Kota Bekasi.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.clients.identity import compose_nik
from casework.clients.models import Sex
from casework.disasters.events import create_event
from casework.disasters.models import AffectedHousehold, AffectedPerson
from casework.disasters.registration import register_household
from casework.disasters.sites import add_site
from casework.extensions import db
from tests.clients import conftest as registry

office, agency, staff, caseworker, new_client = (
    registry.office,
    registry.agency,
    registry.staff,
    registry.caseworker,
    registry.new_client,
)

# The agency's day (Asia/Jakarta), as the pages and the API take it: not the server's UTC date.
TODAY = datetime.now(ZoneInfo("Asia/Jakarta")).date()
OCCURRED = TODAY - timedelta(days=3)
VILLAGE = "32.75.07.1004"  # Cikiwul, Bantargebang
OTHER_VILLAGE = "32.75.07.1008"  # Sumurbatu, Bantargebang
DISTRICT = "32.75.07"


def nik(serial, born=date(1980, 1, 2), sex=Sex.MALE):
    """A well-formed NIK issued in Bantargebang."""
    return compose_nik(DISTRICT, born, sex, serial)


def event_data(**changes):
    """A valid flood event's fields, three days ago."""
    return {
        "kind": "flood",
        "name": "Banjir Bantargebang",
        "occurred_on": OCCURRED.isoformat(),
        "villages": [VILLAGE, OTHER_VILLAGE],
        **changes,
    }


def member(name, **changes):
    """A member row: ``member("Siti", age_years=3, sex="female")``."""
    return {"name": name, "sex": "male", "age_years": 30, **changes}


def people_count():
    """How many affected people exist."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(AffectedPerson))


def household_count():
    """How many affected households exist."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(AffectedHousehold))


@pytest.fixture
def supervisor(staff):
    """A supervisor of the agency: keeps events and sites."""
    return staff(Role.SUPERVISOR)


@pytest.fixture
def event(agency, supervisor):
    """A flood event of the agency, in emergency response since three days ago."""
    row, _created = create_event(agency, supervisor, event_data())
    return row


@pytest.fixture
def site(event, supervisor):
    """An open site of the event, with room for 100."""
    row, _created = add_site(
        event,
        supervisor,
        {"name": "Masjid Al-Ikhlas", "region_code": VILLAGE, "capacity": "100", "opened_on": OCCURRED.isoformat()},
    )
    return row


@pytest.fixture
def household(event, site, caseworker):
    """Registers a household at the site: ``household([member("Budi"), ...], kk_number=...)``."""

    def register(members=None, uuid=None, **data):
        values = {"region_code": VILLAGE, "site_uuid": str(site.uuid), **data}
        values["members"] = members if members is not None else [member("Budi Santoso")]
        row, _created = register_household(event, caseworker, values, uuid=uuid)
        return row

    return register
