"""Fast registration of an affected household with all its members, in one transaction.

A household comes with its head first and any number of members (up to
``MAX_MEMBERS``); every problem is reported at once, each message naming the
member ("Anggota ke-3: umur lebih dari 130 tahun") and each field path
carrying the member's index (``members.2.age_years``). Nothing is written
unless everything is right. The household's UUID (made by the form or the
device) makes a retry return the household saved the first time.

Matching stays out of the save path except for the NIK: a member whose NIK
a client of the agency holds is linked to that client at once (one query for
the whole household); name matches are offered on the household page later.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.audit.services import record
from casework.clients.identity import check_kk_number
from casework.clients.models import Client
from casework.core.errors import Conflict, ValidationFailed
from casework.core.idempotency import earlier_create, parse_uuid
from casework.core.localtime import local_today
from casework.core.validation import Problems, date_value
from casework.disasters.members import Member, refuse_repeated_niks
from casework.disasters.models import AffectedHousehold, AffectedPerson, EvacuationSite, EventStatus, Relation
from casework.extensions import db
from casework.reference.services import checked_region_code

MAX_MEMBERS = 30


def checked_household(problems, event, data, today):
    """Checks the household's own fields: village, site and arrival, KK number, address."""
    region_code = checked_region_code(problems, data, "region_code", (4,))
    if region_code is None and "region_code" not in problems.fields:
        problems.add("region_code", _("Pilih kelurahan/desa asal keluarga."))
    site = _site(problems, event, data.get("site_uuid"))
    arrived_on = None
    if site is not None:
        arrived_on = date_value(problems, data.get("arrived_on") or today, "arrived_on", today)
        if arrived_on and arrived_on < site.opened_on:
            problems.add("arrived_on", _("Tanggal tiba tidak boleh sebelum tempat pengungsian dibuka."))
    kk_number = None
    if data.get("kk_number") not in (None, ""):
        check = check_kk_number(data["kk_number"])
        for message in check.errors:
            problems.add("kk_number", message)
        kk_number = check.digits if check.valid else None
    if kk_number and (holder := _kk_holder(event, kk_number)) is not None:
        problems.add("kk_number", _("Nomor KK ini sudah terdaftar di bencana ini (keluarga %(head)s).", head=holder))
    address = (data.get("address") or "").strip() or None
    if address and len(address) > 300:
        problems.add("address", _("Paling banyak %(n)d karakter.", n=300))
    return {
        "region_code": region_code,
        "site": site,
        "arrived_on": arrived_on,
        "kk_number": kk_number,
        "address": address,
    }


def _site(problems, event, value):
    """The open site of ``event`` named by UUID ``value``; None when none is given (not displaced)."""
    if value in (None, ""):
        return None
    site = db.session.scalar(sa.select(EvacuationSite).where(EvacuationSite.uuid == _uuid_or_none(value)))
    if site is None or site.event_id != event.id:
        problems.add("site_uuid", _("Tempat pengungsian ini bukan milik bencana ini."))
        return None
    if site.closed_on is not None:
        problems.add("site_uuid", _("Tempat pengungsian %(name)s sudah ditutup.", name=site.name))
        return None
    return site


def _uuid_or_none(value):
    """``value`` as a UUID, or None when it is not one."""
    problems = Problems()
    parsed = parse_uuid(problems, value)
    return None if problems.fields else parsed


def _kk_holder(event, kk_number):
    """The head's name of the event's household holding ``kk_number``, or None."""
    return db.session.scalar(
        sa.select(AffectedPerson.name)
        .join(AffectedHousehold, AffectedHousehold.id == AffectedPerson.household_id)
        .where(
            AffectedHousehold.event_id == event.id,
            AffectedHousehold.kk_number == kk_number,
            AffectedPerson.relation == Relation.HEAD,
        )
    )


def _clients_by_nik(agency_id, niks):
    """{NIK: client id} of the agency's (unmerged) clients holding any of ``niks``, in one query."""
    if not niks:
        return {}
    rows = db.session.execute(
        sa.select(Client.nik, Client.id).where(
            Client.agency_id == agency_id, Client.nik.in_(niks), Client.merged_into_id.is_(None)
        )
    ).all()
    return dict(rows)


def refuse_closed(event):
    """A closed event takes no new registrations."""
    if event.status == EventStatus.CLOSED:
        raise ValidationFailed(
            _("Bencana %(number)s sudah ditutup; tidak ada pendaftaran baru.", number=event.number),
            fields={"event": [_("Bencana sudah ditutup.")]},
        )


def register_household(event, actor, data, uuid=None, today=None):
    """Registers a household of ``event`` with all its members; returns (household, created).

    ``data`` holds the village (``region_code``), an optional open site of
    the event (``site_uuid``, arriving ``arrived_on``, default today), the
    KK number and address when known, and ``members``: dicts with ``name``,
    ``sex``, ``birth_date`` or ``age_years``, ``relation``, ``nik``, the
    vulnerable-group flags (each one not given, None, follows the age) and an
    optional ``uuid``. The first member is the head.
    """
    today = today or local_today()
    problems = Problems()
    household_uuid = parse_uuid(problems, uuid)
    existing = earlier_create(problems, AffectedHousehold, household_uuid, lambda found: found.event_id == event.id)
    if existing is not None:
        return existing, False
    refuse_closed(event)
    household = checked_household(problems, event, data, today)
    rows = [row for row in (data.get("members") or []) if isinstance(row, dict)]
    if not rows:
        problems.add("members", _("Isi sedikitnya kepala keluarga."))
    if len(rows) > MAX_MEMBERS:
        problems.add("members", _("Paling banyak %(n)d anggota dalam satu keluarga.", n=MAX_MEMBERS))
        rows = []
    members = [Member(problems, index, today).values(row) for index, row in enumerate(rows)]
    refuse_repeated_niks(problems, event, members)
    problems.raise_any()
    return _insert(event, actor, household_uuid, household, members, today), True


def _insert(event, actor, household_uuid, household, members, today):
    """Writes the household and its members (their NIK holders linked) in one savepoint; writes the audit row."""
    site = household.pop("site")
    arrived_on = household.pop("arrived_on")
    clients = _clients_by_nik(event.agency_id, [member["nik"] for member in members if member["nik"]])
    try:
        with db.session.begin_nested():
            row = AffectedHousehold(
                uuid=household_uuid,
                event_id=event.id,
                site_id=site.id if site else None,
                registered_by_id=actor.id,
                **household,
            )
            db.session.add(row)
            db.session.flush()
            db.session.add_all(
                AffectedPerson(
                    event_id=event.id,
                    household_id=row.id,
                    region_code=row.region_code,
                    site_id=row.site_id,
                    arrived_on=arrived_on,
                    client_id=clients.get(member["nik"]),
                    registered_by_id=actor.id,
                    **member,
                )
                for member in members
            )
            db.session.flush()
    except sa.exc.IntegrityError as error:
        # Someone registered the same NIK, KK or UUID in the same moment: their row won.
        raise Conflict(
            _("Data yang sama baru saja didaftarkan orang lain. Muat ulang halaman keluarga, lalu periksa.")
        ) from error
    record(
        "disaster.household_registered",
        row,
        actor=actor,
        event=event.id,
        site=row.site_id,
        members=len(members),
        linked=sum(1 for member in members if clients.get(member["nik"])),
    )
    db.session.flush()
    return row
