"""A site's distribution list for a day: the people there, household by household, and what they were given.

A field officer ticks meals (up to three) and the other kinds per person on a
tablet; each tick saves at once (``tick``), and the whole list can be sent as
one form without JavaScript (``save_list``). Both set quantities through
``casework.disasters.assistance.set_assistance``, so ticking twice changes
nothing. A whole list is checked first and saved only when every change is
allowed: a refusal names the person and writes nothing.
"""

from dataclasses import dataclass, field
from itertools import groupby

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from casework.core.validation import Problems, choice
from casework.disasters.assistance import MEALS_PER_DAY, Slot, check, quantity_value, set_assistance
from casework.disasters.models import AffectedPerson, AssistanceKind, DisasterAssistance, Relation
from casework.extensions import db

# The kinds ticked per person on the list, in column order (shelter is the site itself; catalogue items by form).
TICK_KINDS = (
    AssistanceKind.MEALS,
    AssistanceKind.CLOTHING,
    AssistanceKind.SPECIAL_HANDLING,
    AssistanceKind.PSYCHOSOCIAL,
)


@dataclass
class Line:
    """A person on the list with the quantity of each ticked kind given that day."""

    person: AffectedPerson
    given: dict = field(default_factory=dict)

    def quantity(self, kind):
        """The quantity of ``kind`` given that day (0 when none)."""
        return self.given.get(kind, 0)


def present(site, day):
    """The people staying at ``site`` on ``day``, household by household, the head first."""
    return db.session.scalars(
        sa.select(AffectedPerson)
        .where(
            AffectedPerson.site_id == site.id,
            AffectedPerson.arrived_on <= day,
            sa.or_(AffectedPerson.left_on.is_(None), AffectedPerson.left_on >= day),
        )
        .order_by(AffectedPerson.household_id, AffectedPerson.relation != Relation.HEAD, AffectedPerson.id)
        .options(selectinload(AffectedPerson.household))
    ).all()


def lines(site, day):
    """The list's lines: each present person with what they were given on ``day`` (one query for all)."""
    people = present(site, day)
    given = db.session.execute(
        sa.select(DisasterAssistance.person_id, DisasterAssistance.kind, DisasterAssistance.quantity).where(
            DisasterAssistance.person_id.in_([person.id for person in people]),
            DisasterAssistance.given_on == day,
            DisasterAssistance.service_id.is_(None),
        )
    ).all()
    by_person = {}
    for person_id, kind, quantity in given:
        by_person.setdefault(person_id, {})[kind] = quantity
    return [Line(person, by_person.get(person.id, {})) for person in people]


def households(site, day):
    """The list's lines grouped by household: ``[(household id, [line, …]), …]``."""
    return [(key, list(group)) for key, group in groupby(lines(site, day), key=lambda line: line.person.household_id)]


def tick(event, site, day, actor, person, values):
    """Sets one person's quantity of a kind on ``day`` from the list (``values``: kind, quantity; 0 unticks)."""
    problems = Problems()
    if person.site_id != site.id:
        problems.add("person", _("%(name)s tidak tercatat di tempat pengungsian ini.", name=person.name))
    kind = choice(problems, values.get("kind"), "kind", AssistanceKind)
    quantity = quantity_value(problems, values.get("quantity"))
    if quantity is None and "quantity" not in problems.fields:
        problems.add("quantity", _("Wajib diisi."))
    problems.raise_any()
    return set_assistance(event, actor, Slot(kind, day, person=person), quantity)


def wanted(form, line, kind):
    """The quantity the list form asks for: meals ticked (0–3); a ticked box keeps what was given, or 1."""
    ticked = form.getlist(f"{kind.value}-{line.person.uuid}")
    if kind == AssistanceKind.MEALS:
        return min(len(ticked), MEALS_PER_DAY)
    return (line.quantity(kind) or 1) if ticked else 0


def save_list(event, site, day, actor, form):
    """Saves the whole list sent as a form; returns how many records changed. Checked first, all or nothing."""
    changes = [
        (line, kind, quantity)
        for line in lines(site, day)
        for kind in TICK_KINDS
        if (quantity := wanted(form, line, kind)) != line.quantity(kind)
    ]
    problems = Problems()
    for line, kind, quantity in changes:
        own = Problems()
        check(event, Slot(kind, day, person=line.person), quantity, problems=own)
        for messages in own.fields.values():
            for message in messages:
                problems.add(f"{kind.value}-{line.person.uuid}", f"{line.person.name}: {message}")
    problems.raise_any()
    return sum(
        set_assistance(event, actor, Slot(kind, day, person=line.person), quantity, checked=True)[1]
        for line, kind, quantity in changes
    )
