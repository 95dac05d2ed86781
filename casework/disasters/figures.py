"""SPM service type 5: which affected people had their basic needs met, counted in SQL.

The rule (docs/figures.md, "Korban bencana"), for a person registered in an
event, looking at the assistance recorded for the event up to a day ``as_of``:

1. **Meals** — a displaced person (who arrived at an evacuation site) has a
   meals record with all three meals for every day of their stay that lies in
   the emergency-response period: from the later of their arrival and the
   period's start to the earliest of the day they left, the period's end and
   ``as_of``. People not at a site are owed no meals here.
2. **Clothing** — a clothing record for the person or their household.
3. **Shelter** — owed to the displaced only, and given by their stay at the site.
4. **Special handling** — a person in a vulnerable group (elderly, pregnant or
   nursing, under five, disability) has a special-handling record of their own.
5. **Psychosocial support** — a record for the person or their household.

Records count when given on or before ``as_of``, during or after the emergency.
One grouped query over the event's assistance per person and one per
household; no query per row.
"""

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from casework.disasters.models import AffectedPerson, AssistanceKind, DisasterAssistance, DisasterEvent
from casework.extensions import db

FULL_DAY_MEALS = 3


class days_between(FunctionElement):
    """Whole days from the first date to the second (0 on the same day)."""

    type = sa.Integer()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"


@compiles(days_between, "postgresql")
def _days_postgresql(element, compiler, **kw):
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({end} - {start})"


def _later(first, second):
    """The later of two dates (both set)."""
    return sa.case((first > second, first), else_=second)


def _earlier(first, second):
    """The earlier of two dates (both set)."""
    return sa.case((first < second, first), else_=second)


def meal_days(as_of):
    """(first, last) day a person's meals are owed: their stay within the emergency period, up to ``as_of``."""
    limit = sa.literal(as_of, sa.Date)
    first = _later(AffectedPerson.arrived_on, DisasterEvent.emergency_from)
    stay_end = sa.func.coalesce(AffectedPerson.left_on, limit)
    last = _earlier(_earlier(stay_end, sa.func.coalesce(DisasterEvent.emergency_until, limit)), limit)
    return first, last


def _count_of(kind, *conditions):
    """How many of the grouped assistance rows are of ``kind`` (and meet ``conditions``)."""
    return sa.func.count(sa.case((sa.and_(DisasterAssistance.kind == kind, *conditions), 1)))


def _by_person(as_of, scope):
    """Per person: full-meal days within their owed days, and clothing, special-handling, psychosocial records."""
    first, last = meal_days(as_of)
    full_meal_day = sa.and_(
        DisasterAssistance.quantity >= FULL_DAY_MEALS,
        DisasterAssistance.given_on >= first,
        DisasterAssistance.given_on <= last,
    )
    return (
        sa.select(
            DisasterAssistance.person_id.label("person_id"),
            _count_of(AssistanceKind.MEALS, full_meal_day).label("meal_days"),
            _count_of(AssistanceKind.CLOTHING).label("clothing"),
            _count_of(AssistanceKind.SPECIAL_HANDLING).label("special"),
            _count_of(AssistanceKind.PSYCHOSOCIAL).label("psychosocial"),
        )
        .join(AffectedPerson, AffectedPerson.id == DisasterAssistance.person_id)
        .join(DisasterEvent, DisasterEvent.id == DisasterAssistance.event_id)
        .where(DisasterAssistance.given_on <= as_of, *scope)
        .group_by(DisasterAssistance.person_id)
        .subquery("person_help")
    )


def _by_household(as_of, scope):
    """Per household: its clothing and psychosocial records."""
    return (
        sa.select(
            DisasterAssistance.household_id.label("household_id"),
            _count_of(AssistanceKind.CLOTHING).label("clothing"),
            _count_of(AssistanceKind.PSYCHOSOCIAL).label("psychosocial"),
        )
        .join(DisasterEvent, DisasterEvent.id == DisasterAssistance.event_id)
        .where(DisasterAssistance.household_id.is_not(None), DisasterAssistance.given_on <= as_of, *scope)
        .group_by(DisasterAssistance.household_id)
        .subquery("household_help")
    )


def vulnerable():
    """The person belongs to a vulnerable group."""
    return sa.or_(
        AffectedPerson.elderly,
        AffectedPerson.pregnant_or_nursing,
        AffectedPerson.under_five,
        AffectedPerson.disability,
    )


def victims(as_of, *scope):
    """A select over affected people (joined to their event) with ``met``: 1 when every need owed was met, else 0.

    ``scope`` are conditions on ``DisasterEvent`` (one event, an agency's
    events of a year); they limit the people and the assistance read. Columns:
    the person's id, event id, case id, region code, the event's date and ``met``.
    """
    person, household = _by_person(as_of, scope), _by_household(as_of, scope)
    first, last = meal_days(as_of)
    owed_days = sa.case((last >= first, days_between(first, last) + 1), else_=0)
    zero = sa.literal(0)
    meals_met = sa.or_(AffectedPerson.arrived_on.is_(None), sa.func.coalesce(person.c.meal_days, zero) >= owed_days)
    clothing_met = sa.func.coalesce(person.c.clothing, zero) + sa.func.coalesce(household.c.clothing, zero) > 0
    special_met = sa.or_(sa.not_(vulnerable()), sa.func.coalesce(person.c.special, zero) > 0)
    psychosocial_met = (
        sa.func.coalesce(person.c.psychosocial, zero) + sa.func.coalesce(household.c.psychosocial, zero) > 0
    )
    met = sa.case((sa.and_(meals_met, clothing_met, special_met, psychosocial_met), 1), else_=0)
    return (
        sa.select(
            AffectedPerson.id.label("person_id"),
            AffectedPerson.event_id.label("event_id"),
            AffectedPerson.case_id.label("case_id"),
            AffectedPerson.region_code.label("region_code"),
            DisasterEvent.occurred_on.label("occurred_on"),
            met.label("met"),
        )
        .join(DisasterEvent, DisasterEvent.id == AffectedPerson.event_id)
        .outerjoin(person, person.c.person_id == AffectedPerson.id)
        .outerjoin(household, household.c.household_id == AffectedPerson.household_id)
        .where(*scope)
    )


def event_needs_met(event, as_of):
    """(people whose needs were met, people registered) of ``event`` as of ``as_of``."""
    rows = victims(as_of, DisasterEvent.id == event.id).subquery()
    met, total = sa.func.coalesce(sa.func.sum(rows.c.met), 0), sa.func.count()
    found = db.session.execute(sa.select(met, total).select_from(rows)).one()
    return int(found[0]), int(found[1])
