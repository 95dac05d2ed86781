"""Disaster events: opening one (idempotent by the device's UUID), correcting it, and moving its status.

The status goes one way: emergency response (*tanggap darurat*) → recovery →
closed. Ending the emergency fixes the last day of the emergency-response
period (meals are owed on each of its days); closing fixes the closing day and
stops new registrations. Each operation checks every field at once
(Indonesian messages by field), changes state, writes an audit row (ids and
codes only) and flushes; the caller commits.
"""

import re
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.audit.services import record
from casework.cases.intake import next_serial
from casework.core.errors import Conflict, check_version, flush_versioned
from casework.core.idempotency import earlier_create, parse_uuid
from casework.core.localtime import local_today
from casework.core.validation import Problems, choice, date_value, required_date, text
from casework.disasters.models import (
    DisasterEvent,
    DisasterEventVillage,
    DisasterKind,
    DisasterNumberCounter,
    EventStatus,
)
from casework.extensions import db
from casework.reference.models import Region

VILLAGE_LEVEL = 4
MAX_VILLAGES = 200
_SEPARATORS = re.compile(r"[\s,;]+")
EVENT_FIELDS = ("kind", "name", "occurred_on", "emergency_from", "emergency_until", "description", "villages")
NEXT_STATUS = {EventStatus.EMERGENCY: EventStatus.RECOVERY, EventStatus.RECOVERY: EventStatus.CLOSED}


def stale_message():
    """What a user is told when someone else changed the event or site first."""
    return _("Data ini sudah diubah orang lain sejak Anda membukanya. Lihat keadaan terbaru, lalu ulangi langkah Anda.")


def next_event_number(agency_id, year):
    """The agency's next event number for ``year``: "BCN-2026-0003"."""
    return f"BCN-{year}-{next_serial(DisasterNumberCounter, agency_id, year):04d}"


def village_codes(problems, value, field="villages"):
    """The distinct level-4 region codes in ``value`` (a list, or text separated by commas, spaces or lines)."""
    raw = value if isinstance(value, list | tuple) else _SEPARATORS.split(str(value or ""))
    codes = list(dict.fromkeys(str(code).strip() for code in raw if str(code or "").strip()))
    if len(codes) > MAX_VILLAGES:
        problems.add(field, _("Paling banyak %(n)d kelurahan/desa.", n=MAX_VILLAGES))
        return []
    select = sa.select(Region.code, Region.level).where(Region.code.in_(codes), Region.retired.is_(False))
    known = dict(db.session.execute(select).all()) if codes else {}
    for code in codes:
        if code not in known:
            problems.add(field, _("Kode %(code)s bukan kelurahan/desa yang dikenal.", code=code))
        elif known[code] != VILLAGE_LEVEL:
            problems.add(field, _("Kode %(code)s bukan kelurahan/desa (tingkat 4).", code=code))
    return codes


def _event_values(problems, data, today):
    """Checks an event's own fields; returns the values to store (villages as a list of codes)."""
    columns = DisasterEvent.__table__.c
    occurred_on = required_date(problems, data, "occurred_on", today)
    emergency_from = date_value(problems, data.get("emergency_from"), "emergency_from", today) or occurred_on
    if occurred_on and emergency_from and emergency_from < occurred_on:
        problems.add("emergency_from", _("Tanggap darurat tidak boleh dimulai sebelum tanggal kejadian."))
    emergency_until = _until(problems, data.get("emergency_until"), emergency_from)
    villages = village_codes(problems, data.get("villages"))
    if not villages and "villages" not in problems.fields:
        problems.add("villages", _("Pilih sedikitnya satu kelurahan/desa yang terdampak."))
    return {
        "kind": choice(problems, data.get("kind"), "kind", DisasterKind, _("Pilih jenis bencana.")),
        "name": text(problems, data, columns.name, required=True),
        "occurred_on": occurred_on,
        "emergency_from": emergency_from,
        "emergency_until": emergency_until,
        "description": (data.get("description") or "").strip() or None,
        "villages": villages,
    }


def _until(problems, value, emergency_from, field="emergency_until"):
    """The last day of the emergency response (may lie ahead: a decree sets it), not before its first day."""
    if value in (None, ""):
        return None
    until = date_value(problems, value, field, date.max)
    if until and emergency_from and until < emergency_from:
        problems.add(field, _("Akhir tanggap darurat tidak boleh sebelum awalnya."))
        return None
    return until


def _set_villages(event, codes):
    """Makes the event's affected villages exactly ``codes``."""
    kept = {village.region_code: village for village in event.villages}
    event.villages = [kept.get(code) or DisasterEventVillage(region_code=code) for code in codes]


def create_event(agency, actor, data, uuid=None, today=None):
    """Opens a disaster event in emergency response; returns (event, created). A repeated ``uuid`` returns the first."""
    today = today or local_today()
    problems = Problems()
    event_uuid = parse_uuid(problems, uuid)
    existing = earlier_create(problems, DisasterEvent, event_uuid, lambda found: found.agency_id == agency.id)
    if existing is not None:
        return existing, False
    values = _event_values(problems, data, today)
    problems.raise_any()
    villages = values.pop("villages")
    event = DisasterEvent(
        uuid=event_uuid,
        agency_id=agency.id,
        number=next_event_number(agency.id, values["occurred_on"].year),
        status=EventStatus.EMERGENCY,
        created_by_id=actor.id,
        **values,
    )
    _set_villages(event, villages)
    db.session.add(event)
    db.session.flush()
    record("disaster.event_opened", event, actor=actor, kind=event.kind.value, villages=len(villages))
    db.session.flush()
    return event, True


def update_event(event, actor, version, data, today=None):
    """Corrects the event's fields given in ``data`` at ``version``; a closed event is not changed."""
    today = today or local_today()
    check_version(event, version, stale_message())
    if event.status == EventStatus.CLOSED:
        raise Conflict(_("Bencana ini sudah ditutup dan tidak bisa diubah lagi."))
    problems = Problems()
    current = {name: getattr(event, name) for name in EVENT_FIELDS if name != "villages"}
    current["villages"] = [village.region_code for village in event.villages]
    values = _event_values(problems, {**current, **data}, today)
    if event.status != EventStatus.EMERGENCY and values["emergency_until"] is None:
        problems.add("emergency_until", _("Tanggap darurat sudah berakhir: isi tanggal akhirnya."))
    problems.raise_any()
    villages = values.pop("villages")
    changed = sorted(name for name, value in values.items() if getattr(event, name) != value)
    if villages != current["villages"]:
        _set_villages(event, villages)
        changed.append("villages")
    for name in changed:
        if name != "villages":
            setattr(event, name, values[name])
    if changed:
        db.session.add(event)
        flush_versioned(stale_message)
        record("disaster.event_updated", event, actor=actor, fields=changed)
        db.session.flush()
    return event


def advance_status(event, actor, version, data, today=None):
    """Moves the event one step on: emergency → recovery (fixing the emergency's last day) → closed.

    ``data["status"]`` names the step wanted, so a stale page cannot skip
    one; ``emergency_until`` (default: yesterday, or the first day when the
    emergency lasted one day) and ``closed_on`` (default: today) may be given.
    """
    today = today or local_today()
    check_version(event, version, stale_message())
    wanted = data.get("status")
    following = NEXT_STATUS.get(event.status)
    if following is None or wanted != following.value:
        raise Conflict(_("Status bencana tidak bisa diubah ke sana dari status sekarang."))
    problems = Problems()
    if following == EventStatus.RECOVERY:
        default_until = max(event.emergency_from, today - timedelta(days=1))
        given = data.get("emergency_until") or event.emergency_until or default_until
        until = _until(problems, given, event.emergency_from)
        if until and until > today:
            problems.add("emergency_until", _("Tanggap darurat yang berakhir tidak boleh berakhir di masa depan."))
        problems.raise_any()
        event.emergency_until = until
    else:
        closed_on = date_value(problems, data.get("closed_on") or today, "closed_on", today)
        if closed_on and closed_on < (event.emergency_until or event.emergency_from):
            problems.add("closed_on", _("Tanggal penutupan tidak boleh sebelum tanggap darurat berakhir."))
        problems.raise_any()
        event.closed_on = closed_on
    event.status = following
    flush_versioned(stale_message)
    record("disaster.event_status", event, actor=actor, status=following.value)
    db.session.flush()
    return event
