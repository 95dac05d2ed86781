"""Evacuation sites (*tempat pengungsian*) of an event: adding, correcting and closing one, and its occupancy.

A site belongs to one event; its village is a level-4 region. Closing a site
ends the stay of everyone still there on the closing day, so occupancy and
the distribution lists stop counting them. Occupancy per day is counted in
SQL from the people's arrival and departure days: a person is at the site on
every day from ``arrived_on`` to ``left_on`` inclusive (they still eat on the
day they leave).
"""

from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.audit.services import record
from casework.cases.intake import parse_location
from casework.core.errors import Conflict, check_version, flush_versioned
from casework.core.idempotency import earlier_create, parse_uuid
from casework.core.localtime import local_today
from casework.core.validation import Problems, date_value, required_date, text
from casework.disasters.events import stale_message
from casework.disasters.models import AffectedPerson, EvacuationSite, EventStatus
from casework.extensions import db
from casework.reference.services import checked_region_code

SITE_FIELDS = ("name", "region_code", "address", "latitude", "longitude", "capacity", "opened_on")
# Days of occupancy a site page shows, at most (the latest ones).
OCCUPANCY_DAYS = 60
MAX_CAPACITY = 100_000


def _capacity(problems, value):
    """How many people the site can hold: a whole number 0–100,000."""
    text_value = str(value if value is not None else "").strip()
    if isinstance(value, bool) or not (text_value.isascii() and text_value.isdigit()):
        problems.add("capacity", _("Daya tampung ditulis sebagai angka 0 atau lebih."))
        return None
    if int(text_value) > MAX_CAPACITY:
        problems.add("capacity", _("Daya tampung paling banyak %(n)d orang.", n=MAX_CAPACITY))
        return None
    return int(text_value)


def _site_values(problems, event, data, today, exclude_id=None):
    """Checks a site's fields; returns the values to store."""
    columns = EvacuationSite.__table__.c
    name = text(problems, data, columns.name, required=True)
    if name and _name_taken(event, name, exclude_id):
        problems.add("name", _("Tempat pengungsian bernama %(name)s sudah ada di bencana ini.", name=name))
    location = parse_location(problems, data)
    region_code = checked_region_code(problems, data, "region_code", (4,))
    if region_code is None and "region_code" not in problems.fields:
        problems.add("region_code", _("Pilih kelurahan/desa tempat pengungsian."))
    opened_on = required_date(
        problems,
        data,
        "opened_on",
        today,
        earliest=event.occurred_on,
        earliest_message=_("Tempat pengungsian tidak bisa dibuka sebelum tanggal kejadian."),
    )
    return {
        "name": name,
        "region_code": region_code,
        "address": text(problems, data, columns.address),
        "latitude": location[0] if location else None,
        "longitude": location[1] if location else None,
        "capacity": _capacity(problems, data.get("capacity")),
        "opened_on": opened_on,
    }


def _name_taken(event, name, exclude_id):
    """True when another site of ``event`` has ``name`` (ignoring case)."""
    select = sa.select(EvacuationSite.id).where(
        EvacuationSite.event_id == event.id, sa.func.lower(EvacuationSite.name) == name.lower()
    )
    if exclude_id is not None:
        select = select.where(EvacuationSite.id != exclude_id)
    return db.session.scalar(select.limit(1)) is not None


def _refuse_closed_event(event):
    """A closed event gets no new sites or changes."""
    if event.status == EventStatus.CLOSED:
        raise Conflict(_("Bencana ini sudah ditutup; tempat pengungsian tidak bisa ditambah atau diubah."))


def add_site(event, actor, data, uuid=None, today=None):
    """Adds an evacuation site to ``event``; returns (site, created). A repeated ``uuid`` returns the first."""
    today = today or local_today()
    problems = Problems()
    site_uuid = parse_uuid(problems, uuid)
    existing = earlier_create(problems, EvacuationSite, site_uuid, lambda found: found.event_id == event.id)
    if existing is not None:
        return existing, False
    _refuse_closed_event(event)
    values = _site_values(problems, event, data, today)
    problems.raise_any()
    site = EvacuationSite(uuid=site_uuid, event_id=event.id, **values)
    db.session.add(site)
    db.session.flush()
    record("disaster.site_added", site, actor=actor, event=event.id, capacity=site.capacity)
    db.session.flush()
    return site, True


def update_site(site, actor, version, data, today=None):
    """Corrects the site's fields given in ``data`` at ``version``."""
    today = today or local_today()
    check_version(site, version, stale_message())
    _refuse_closed_event(site.event)
    problems = Problems()
    current = {name: getattr(site, name) for name in SITE_FIELDS}
    values = _site_values(problems, site.event, {**current, **data}, today, exclude_id=site.id)
    if site.closed_on and values["opened_on"] and values["opened_on"] > site.closed_on:
        problems.add("opened_on", _("Tanggal buka tidak boleh sesudah tanggal tutup."))
    problems.raise_any()
    changed = sorted(name for name, value in values.items() if getattr(site, name) != value)
    for name in changed:
        setattr(site, name, values[name])
    if changed:
        flush_versioned(stale_message)
        record("disaster.site_updated", site, actor=actor, fields=changed)
        db.session.flush()
    return site


def close_site(site, actor, version, data, today=None):
    """Closes the site on ``closed_on`` (default today); everyone still there leaves that day."""
    today = today or local_today()
    check_version(site, version, stale_message())
    if site.closed_on is not None:
        raise Conflict(_("Tempat pengungsian ini sudah ditutup."))
    problems = Problems()
    closed_on = date_value(problems, data.get("closed_on") or today, "closed_on", today)
    if closed_on and closed_on < site.opened_on:
        problems.add("closed_on", _("Tanggal tutup tidak boleh sebelum tanggal buka."))
    if closed_on and _arrived_after(site, closed_on):
        problems.add("closed_on", _("Ada pengungsi yang tiba sesudah tanggal itu; periksa tanggal tutup."))
    problems.raise_any()
    site.closed_on = closed_on
    flush_versioned(stale_message)
    left = db.session.execute(
        sa.update(AffectedPerson)
        .where(AffectedPerson.site_id == site.id, AffectedPerson.left_on.is_(None))
        .values(left_on=closed_on, version=AffectedPerson.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    record("disaster.site_closed", site, actor=actor, people_left=left)
    db.session.flush()
    db.session.expire_all()
    return site


def _arrived_after(site, day):
    """True when someone arrived at ``site`` after ``day``."""
    select = sa.select(AffectedPerson.id).where(AffectedPerson.site_id == site.id, AffectedPerson.arrived_on > day)
    return db.session.scalar(select.limit(1)) is not None


def occupancy(site, today=None):
    """[(day, people at the site that day)] from its opening to its closing (or today), the last 60 days at most.

    One query: the days are a small literal table joined to the site's
    people on their stay, counted per day.
    """
    today = today or local_today()
    last = min(site.closed_on or today, today)
    first = max(site.opened_on, last - timedelta(days=OCCUPANCY_DAYS - 1))
    if last < first:
        return []
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    day_table = sa.union_all(*(sa.select(sa.literal(day, sa.Date).label("day")) for day in days)).subquery("days")
    person = AffectedPerson
    stay = sa.and_(
        person.site_id == site.id,
        person.arrived_on <= day_table.c.day,
        sa.or_(person.left_on.is_(None), person.left_on >= day_table.c.day),
    )
    rows = db.session.execute(
        sa.select(day_table.c.day, sa.func.count(person.id))
        .select_from(day_table)
        .outerjoin(person, stay)
        .group_by(day_table.c.day)
        .order_by(day_table.c.day)
    ).all()
    return [(_as_date(day), count) for day, count in rows]


def _as_date(value):
    """A day read back from the literal table (SQLite hands back text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def current_counts(event_id):
    """{site id: people there now (not left)} for an event's sites, in one grouped query."""
    rows = db.session.execute(
        sa.select(AffectedPerson.site_id, sa.func.count())
        .where(
            AffectedPerson.event_id == event_id,
            AffectedPerson.site_id.is_not(None),
            AffectedPerson.left_on.is_(None),
        )
        .group_by(AffectedPerson.site_id)
    ).all()
    return dict(rows)


def staying(household):
    """The household's members still at its site (none when it has no site)."""
    site_id = household.site_id
    return [m for m in household.members if site_id is not None and m.site_id == site_id and m.left_on is None]


def leave_site(household, actor, version, data, today=None):
    """The household goes home on ``left_on`` (default today): its members still at the site leave that day."""
    today = today or local_today()
    check_version(household, version, stale_message())
    site, present = household.site, staying(household)
    if not present:
        raise Conflict(_("Keluarga ini tidak sedang tinggal di tempat pengungsian."))
    problems = Problems()
    left_on = date_value(problems, data.get("left_on") or today, "left_on", today)
    if left_on and any(m.arrived_on and left_on < m.arrived_on for m in present):
        problems.add("left_on", _("Tanggal keluar tidak boleh sebelum tanggal tiba di tempat pengungsian."))
    if left_on and site.closed_on and left_on > site.closed_on:
        problems.add("left_on", _("Tanggal keluar tidak boleh sesudah tempat pengungsian ditutup."))
    problems.raise_any()
    left = db.session.execute(
        sa.update(AffectedPerson)
        .where(
            AffectedPerson.id.in_([m.id for m in present]),
            AffectedPerson.site_id == site.id,
            AffectedPerson.left_on.is_(None),
        )
        .values(left_on=left_on, version=AffectedPerson.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if left != len(present):
        raise Conflict(stale_message())
    record("disaster.household_left_site", household, actor=actor, site=site.id, people=left)
    db.session.flush()
    db.session.expire_all()
    return household
