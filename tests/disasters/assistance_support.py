"""Shortcuts for the assistance tests: an event of known dates, households at a site, records by kind."""

from datetime import timedelta

from casework.core.localtime import local_today
from casework.disasters.assistance import Slot, set_assistance
from casework.disasters.events import create_event
from casework.disasters.models import AssistanceKind
from casework.disasters.registration import register_household
from casework.disasters.sites import add_site
from tests.disasters.conftest import VILLAGE, event_data


def days_ago(n):
    """The agency's local day ``n`` days before today."""
    return local_today() - timedelta(days=n)


def dated_event(agency, supervisor, occurred, until=None, name="Banjir Cikiwul"):
    """An event that occurred on ``occurred`` with its emergency period ending ``until`` (open when None)."""
    data = event_data(occurred_on=occurred.isoformat(), name=name)
    if until is not None:
        data["emergency_until"] = until.isoformat()
    row, _created = create_event(agency, supervisor, data, today=local_today())
    return row


def open_site(event, supervisor, opened, name="Masjid Al-Ikhlas"):
    """A site of ``event`` opened on ``opened``."""
    data = {"name": name, "region_code": VILLAGE, "capacity": "100", "opened_on": opened.isoformat()}
    row, _created = add_site(event, supervisor, data, today=local_today())
    return row


def register(event, caseworker, members, site=None, arrived=None, region_code=VILLAGE):
    """Registers a household of ``members`` (at ``site`` from ``arrived`` when given); returns its people."""
    data = {"region_code": region_code, "members": members}
    if site is not None:
        data |= {"site_uuid": str(site.uuid), "arrived_on": arrived.isoformat()}
    household, _created = register_household(event, caseworker, data, today=local_today())
    return household.members


def give(event, actor, owner, kind, day, quantity=1, household=False):
    """Records ``quantity`` of ``kind`` for a person (or, with ``household``, their household) on ``day``."""
    slot = Slot(kind, day, household=owner) if household else Slot(kind, day, person=owner)
    row, _changed = set_assistance(event, actor, slot, quantity)
    return row


def meals(event, actor, person, first, last, quantity=3):
    """Records ``quantity`` meals for ``person`` on each day from ``first`` to ``last``."""
    day = first
    while day <= last:
        give(event, actor, person, AssistanceKind.MEALS, day, quantity)
        day += timedelta(days=1)
