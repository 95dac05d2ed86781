"""Recording assistance given to an affected person or household on a day.

A record is the quantity of one kind (or one catalogue item) for one person
or household on one day: setting it again to the same quantity changes
nothing, another quantity changes the row, 0 removes it. So a second tick on
a tablet, or a resend on a bad connection, never writes twice; the unique
indexes of ``DisasterAssistance`` hold the same under concurrent ticks.

Checks, every problem at once: the event is not closed; the day is not in the
future nor before the event; meals are per person, 1–3, on a day of the
emergency-response period while the person stayed at a site; catalogue items
(kind "other") name an active service. Each change writes an audit row (ids
and codes only) and flushes; the caller commits.
"""

import uuid as uuid_module
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from casework.audit.services import record
from casework.core.errors import NotFound, ValidationFailed
from casework.core.idempotency import parse_uuid
from casework.core.localtime import local_today
from casework.core.lookup import agency_record
from casework.core.validation import Problems, choice, date_value, whole_number
from casework.disasters.models import (
    AffectedHousehold,
    AffectedPerson,
    AssistanceKind,
    DisasterAssistance,
    DisasterEvent,
    EvacuationSite,
    EventStatus,
)
from casework.extensions import db
from casework.reference.models import Service

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
MEALS_PER_DAY = 3
MAX_QUANTITY = 9999


@dataclass(frozen=True)
class Slot:
    """Whose assistance of what on which day: a person or a household, a kind (and catalogue service), a day."""

    kind: AssistanceKind
    day: date
    person: object = None
    household: object = None
    service: Service | None = None

    @property
    def owner_column(self):
        """The column naming the owner (person or household)."""
        return DisasterAssistance.person_id if self.person is not None else DisasterAssistance.household_id

    @property
    def owner(self):
        """The person or the household."""
        return self.person if self.person is not None else self.household

    def where(self):
        """The conditions selecting this slot's row."""
        what = (
            DisasterAssistance.service_id == self.service.id
            if self.service is not None
            else sa.and_(DisasterAssistance.kind == self.kind, DisasterAssistance.service_id.is_(None))
        )
        return (self.owner_column == self.owner.id, DisasterAssistance.given_on == self.day, what)


def emergency_end(event, today):
    """The last day of the event's emergency-response period so far (today while it lasts)."""
    return event.emergency_until or today


def check_meal_day(problems, event, person, day, today, field="given_on"):
    """Notes why ``person`` cannot have meals recorded on ``day``: outside the emergency or not at a site then."""
    end = emergency_end(event, today)
    if not event.emergency_from <= day <= end:
        problems.add(
            field,
            _(
                "Makan hanya dicatat untuk hari dalam masa tanggap darurat (%(start)s s.d. %(end)s).",
                start=format_date(event.emergency_from, "medium"),
                end=format_date(end, "medium"),
            ),
        )
    elif person.arrived_on is None or person.arrived_on > day or (person.left_on and person.left_on < day):
        problems.add(
            field,
            _("%(name)s tidak berada di tempat pengungsian pada %(day)s.", name=person.name, day=format_date(day)),
        )


def check(event, slot, quantity, today=None, problems=None):
    """Notes every reason ``quantity`` cannot be recorded for ``slot`` (raises when ``problems`` is not given)."""
    today = today or local_today()
    own = problems is None
    problems = problems if problems is not None else Problems()
    if event.status == EventStatus.CLOSED:
        raise ValidationFailed(_("Kejadian bencana ini sudah ditutup; bantuan tidak dapat dicatat lagi."))
    if slot.owner.event_id != event.id:
        problems.add("person" if slot.person is not None else "household", _("Bukan warga terdampak kejadian ini."))
    if slot.day > today:
        problems.add("given_on", _("Tanggal tidak boleh di masa depan."))
    elif slot.day < event.occurred_on:
        problems.add("given_on", _("Tanggal tidak boleh sebelum tanggal kejadian bencana."))
    elif slot.kind == AssistanceKind.MEALS and slot.person is not None:
        check_meal_day(problems, event, slot.person, slot.day, today)
    if slot.kind == AssistanceKind.MEALS:
        if slot.person is None:
            problems.add("household", _("Makan dicatat per orang, bukan per keluarga."))
        if quantity > MEALS_PER_DAY:
            problems.add("quantity", _("Makan paling banyak 3 kali sehari."))
    if not 0 <= quantity <= MAX_QUANTITY:
        problems.add("quantity", _("Isi jumlah dari 0 sampai %(n)d.", n=MAX_QUANTITY))
    if (slot.kind == AssistanceKind.OTHER) != (slot.service is not None):
        problems.add("service", _("Pilih layanan dari katalog untuk jenis bantuan lainnya (dan hanya untuk itu)."))
    elif slot.service is not None and not slot.service.active:
        problems.add("service", _("Layanan ini tidak aktif lagi."))
    if own:
        problems.raise_any()


def current(slot):
    """The recorded row of ``slot``, or None."""
    return db.session.scalar(sa.select(DisasterAssistance).where(*slot.where()))


def set_assistance(event, actor, slot, quantity, *, uuid=None, unit=None, note=None, checked=False, today=None):
    """Sets ``slot``'s quantity (0 removes it); returns (the row or None, whether anything changed).

    ``checked``: the caller ran ``check`` already (a whole list is checked first).
    """
    if not checked:
        check(event, slot, quantity, today)
    existing = current(slot)
    if existing is None and quantity == 0:
        return None, False
    if existing is None:
        row = _insert(event, actor, slot, quantity, uuid, unit, note)
        if row is not None:
            record("disaster.assistance_recorded", row, actor=actor, kind=slot.kind.value, quantity=quantity)
            return row, True
        existing = current(slot)  # ticked at the same moment from another tablet
        if existing is None:
            raise ValidationFailed(
                _("Periksa kembali isian yang ditandai."), {"uuid": [_("UUID ini sudah dipakai untuk data lain.")]}
            )
    if quantity == 0:
        record("disaster.assistance_removed", existing, actor=actor, kind=slot.kind.value)
        db.session.delete(existing)
        db.session.flush()
        return None, True
    if existing.quantity == quantity and (note is None or existing.note == note):
        return existing, False
    existing.quantity = quantity
    existing.note = note if note is not None else existing.note
    existing.recorded_by_id = actor.id
    record("disaster.assistance_changed", existing, actor=actor, kind=slot.kind.value, quantity=quantity)
    db.session.flush()
    return existing, True


def _insert(event, actor, slot, quantity, uuid, unit, note):
    """Inserts the slot's row unless one exists (by any unique index); the row, or None."""
    owner = slot.owner
    values = {
        "event_id": event.id,
        "person_id": slot.person.id if slot.person is not None else None,
        "household_id": slot.household.id if slot.household is not None else None,
        "site_id": owner.site_id,
        "kind": slot.kind,
        "service_id": slot.service.id if slot.service is not None else None,
        "given_on": slot.day,
        "quantity": quantity,
        "unit": unit,
        "note": note,
        "recorded_by_id": actor.id,
    }
    if uuid is not None:
        values["uuid"] = uuid
    table = DisasterAssistance.__table__
    insert = _INSERTS[db.session.get_bind().dialect.name](table).values(
        {key: value for key, value in values.items() if value is not None}
    )
    # No conflict target: any unique index (the UUID, the slot) makes it insert nothing.
    row_id = db.session.execute(insert.on_conflict_do_nothing().returning(table.c.id)).scalar()
    return db.session.get(DisasterAssistance, row_id) if row_id is not None else None


def event_of(agency_id, value):
    """The agency's disaster event with UUID ``value`` (404 otherwise)."""
    return agency_record(DisasterEvent, agency_id, value, _("Kejadian bencana tidak ditemukan."))


def member_of(event, model, value, message):
    """The ``model`` row (site, household, person) of ``event`` with UUID ``value``; 404 with ``message`` otherwise."""
    try:
        key = uuid_module.UUID(str(value))
    except ValueError:
        raise NotFound(message) from None
    row = db.session.scalar(sa.select(model).where(model.uuid == key, model.event_id == event.id))
    if row is None:
        raise NotFound(message)
    return row


def site_of(event, value):
    """The evacuation site of ``event`` with UUID ``value``."""
    return member_of(event, EvacuationSite, value, _("Tempat pengungsian tidak ditemukan."))


def catalogue_service(problems, value):
    """The catalogue service a request names by slug or id; None when blank, a noted problem when unknown."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    column = Service.id if text.isdigit() else Service.slug
    service = db.session.scalar(sa.select(Service).where(column == (int(text) if text.isdigit() else text)))
    if service is None:
        problems.add("service", _("Layanan tidak dikenal."))
    return service


def record_values(event, actor, values, person=None, household=None):
    """Sets the record a form or the API describes; returns (row or None, changed). Every problem at once, by field.

    ``values``: ``kind``, ``given_on``, ``quantity`` (0 removes), ``service``
    (slug or id, kind other), ``note``, ``uuid``; and, unless ``person`` or
    ``household`` is given, ``person`` or ``household`` (a UUID of the event).
    """
    problems = Problems()
    if person is None and household is None:
        person, household = _owner(problems, event, values)
    kind = choice(problems, values.get("kind"), "kind", AssistanceKind)
    quantity = quantity_value(problems, values.get("quantity"))
    service = catalogue_service(problems, values.get("service"))
    # The future is refused by ``check`` with the other rules of the day.
    day = date_value(problems, values.get("given_on"), "given_on", date.max)
    if day is None and "given_on" not in problems.fields:
        problems.add("given_on", _("Wajib diisi."))
    uuid = parse_uuid(problems, values.get("uuid"))
    problems.raise_any()
    note = (str(values.get("note") or "")).strip()[:500] or None
    slot = Slot(kind, day, person=person, household=household, service=service)
    return set_assistance(event, actor, slot, 1 if quantity is None else quantity, uuid=uuid, note=note)


def quantity_value(problems, raw):
    """A quantity from a number or digits, 0 included; None when blank; a noted problem otherwise."""
    if (isinstance(raw, int) and raw == 0) or str(raw).strip() == "0":
        return 0
    return whole_number(problems, raw, "quantity", _("Isi jumlah 0 atau lebih."))


def _owner(problems, event, values):
    """The person or household ``values`` name (exactly one of them)."""
    person_key, household_key = values.get("person"), values.get("household")
    if bool(person_key) == bool(household_key):
        problems.add("person", _("Sebutkan satu warga atau satu keluarga."))
        return None, None
    if person_key:
        return member_of(event, AffectedPerson, person_key, _("Warga tidak ditemukan.")), None
    return None, member_of(event, AffectedHousehold, household_key, _("Keluarga tidak ditemukan."))
