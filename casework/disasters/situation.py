"""The situation of an event: who is registered where, the vulnerable, assistance per day, the gaps, SPM type 5.

Every figure is one GROUP BY query over the event's rows (a handful per
page, never one per person or site), so the page stays fast at ten thousand
people. ``today`` is the agency's local day unless given.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from casework.core.localtime import local_today
from casework.disasters.figures import event_needs_met, vulnerable
from casework.disasters.models import (
    AffectedHousehold,
    AffectedPerson,
    AssistanceKind,
    DisasterAssistance,
    EvacuationSite,
)
from casework.extensions import db
from casework.reference.models import Region

GAP_LIST_LIMIT = 100


def _count_if(condition):
    """How many rows meet ``condition``."""
    return sa.func.count(sa.case((condition, 1)))


def _stays_on(day):
    """The person stays at a site on ``day``."""
    return sa.and_(
        AffectedPerson.site_id.is_not(None),
        AffectedPerson.arrived_on <= day,
        sa.or_(AffectedPerson.left_on.is_(None), AffectedPerson.left_on >= day),
    )


def _fed_on(day):
    """A meal is recorded for the person on ``day`` (an EXISTS per person, answered by an index, never a join)."""
    return (
        sa.select(DisasterAssistance.id)
        .where(
            DisasterAssistance.person_id == AffectedPerson.id,
            DisasterAssistance.kind == AssistanceKind.MEALS,
            DisasterAssistance.given_on == day,
            # Meals name no catalogue service: the condition lets the partial unique index answer.
            DisasterAssistance.service_id.is_(None),
        )
        .exists()
    )


def totals(event, today):
    """People, households, displaced people at a site today, and each vulnerable group (one query)."""
    row = db.session.execute(
        sa.select(
            sa.func.count().label("people"),
            sa.func.count(sa.distinct(AffectedPerson.household_id)).label("households"),
            _count_if(_stays_on(today)).label("at_sites"),
            _count_if(AffectedPerson.elderly).label("elderly"),
            _count_if(AffectedPerson.pregnant_or_nursing).label("pregnant_or_nursing"),
            _count_if(AffectedPerson.under_five).label("under_five"),
            _count_if(AffectedPerson.disability).label("disability"),
            _count_if(vulnerable()).label("vulnerable"),
        ).where(AffectedPerson.event_id == event.id)
    ).one()
    return row._asdict()


def by_site(event, today):
    """Each site of the event: capacity, people registered there, staying there today, fed today."""
    return db.session.execute(
        sa.select(
            EvacuationSite,
            sa.func.count(AffectedPerson.id).label("registered"),
            _count_if(_stays_on(today)).label("present"),
            _count_if(sa.and_(_stays_on(today), _fed_on(today))).label("fed"),
        )
        .outerjoin(AffectedPerson, AffectedPerson.site_id == EvacuationSite.id)
        .where(EvacuationSite.event_id == event.id)
        .group_by(EvacuationSite.id)
        .order_by(EvacuationSite.name)
    ).all()


def by_village(event):
    """People and households per village of the event, most affected first."""
    return db.session.execute(
        sa.select(
            Region.code,
            Region.name,
            sa.func.count().label("people"),
            sa.func.count(sa.distinct(AffectedPerson.household_id)).label("households"),
        )
        .join(Region, Region.code == AffectedPerson.region_code)
        .where(AffectedPerson.event_id == event.id)
        .group_by(Region.code, Region.name)
        .order_by(sa.func.count().desc(), Region.name)
    ).all()


@dataclass
class Day:
    """Assistance given on one day: per kind, records (people or households) and the quantity."""

    day: object
    records: dict
    quantities: dict


def per_day(event):
    """Assistance per day and kind, latest day first (meals: people fed and meals given)."""
    rows = db.session.execute(
        sa.select(
            DisasterAssistance.given_on,
            DisasterAssistance.kind,
            sa.func.count().label("records"),
            sa.func.sum(DisasterAssistance.quantity).label("quantity"),
        )
        .where(DisasterAssistance.event_id == event.id)
        .group_by(DisasterAssistance.given_on, DisasterAssistance.kind)
        .order_by(DisasterAssistance.given_on.desc())
    ).all()
    days = {}
    for given_on, kind, records, quantity in rows:
        day = days.setdefault(given_on, Day(given_on, {}, {}))
        day.records[kind], day.quantities[kind] = records, int(quantity)
    return list(days.values())


def unfed(event, today, limit=GAP_LIST_LIMIT):
    """People staying at a site today with no meal recorded today: (how many, the first ``limit`` with their site)."""
    condition = sa.and_(AffectedPerson.event_id == event.id, _stays_on(today), sa.not_(_fed_on(today)))
    count = db.session.scalar(sa.select(sa.func.count()).select_from(AffectedPerson).where(condition))
    people = db.session.execute(
        sa.select(AffectedPerson, EvacuationSite)
        .join(EvacuationSite, EvacuationSite.id == AffectedPerson.site_id)
        .where(condition)
        .order_by(EvacuationSite.name, AffectedPerson.household_id, AffectedPerson.id)
        .limit(limit)
    ).all()
    return count, people


def situation(event, today=None):
    """Everything the situation page shows, as a dict."""
    today = today or local_today()
    met, registered = event_needs_met(event, today)
    return {
        "today": today,
        "totals": totals(event, today),
        "sites": by_site(event, today),
        "villages": by_village(event),
        "days": per_day(event),
        "unfed": unfed(event, today),
        "needs_met": met,
        "needs_registered": registered,
        "households_without_site": db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AffectedHousehold)
            .where(AffectedHousehold.event_id == event.id, AffectedHousehold.site_id.is_(None))
        ),
    }
