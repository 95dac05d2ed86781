"""Import of a disaster event's affected people (issue 10): one row per person, rows grouped into households.

The rules are ``casework.disasters.registration.register_household``'s: the
rows of one household (the same ``event`` and ``household`` key) are checked
together by the registration's own checks (the village, the open site of the
event, the KK number not registered in the event yet, each member's name,
sex, age or birth date, NIK and vulnerable groups, a NIK not twice in the
household nor registered in the event already) and written by that service,
which links NIK holders to the agency's clients and writes the audit row.
The first row of a household is its head; the household's own cells
(``kk_number``, ``village``, ``site``, ``arrived_on``, ``address``) are read
from the head's row, and another row giving a different value is an error.
A NIK or KK number given in two households of the file is refused too.

The household's UUID is derived from the agency, the event and the
household key, so a household is registered once whatever the retries. A
household is registered whole or not at all: its rows must follow each
other (the machinery keeps them in one batch, ``batch_group``), a household
registered by an earlier import takes no new rows (add members on the
household's page), and a changed row of an imported person is refused, not
updated (correct the person on the household's page).
"""

import contextlib
import uuid as uuid_module

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from casework.core.errors import Conflict, ValidationFailed
from casework.core.validation import Problems
from casework.disasters.members import VULNERABLE_FLAGS, Member, refuse_repeated_niks
from casework.disasters.models import AffectedHousehold, AffectedPerson, DisasterEvent, EvacuationSite
from casework.disasters.registration import (
    MAX_MEMBERS,
    checked_household,
    refuse_closed,
    register_household,
)
from casework.extensions import db
from casework.imports.cells import bool_cell, parse_date, sex_cell
from casework.imports.types import Action, Column, key_column, register

# The namespace of the households' and persons' UUIDs derived from their keys.
_NAMESPACE = uuid_module.UUID("6f1d2c1e-4b8a-4d55-9a3e-0d7c1f6a2b10")
_SEEN = "disaster_households.seen"
_NIKS = "disaster_households.niks"
_KKS = "disaster_households.kks"
_EVENTS = "disaster_households.events"
_HOUSEHOLD_CELLS = ("kk_number", "village", "site", "arrived_on", "address")
# Where the registration's problem fields are shown: its field → the column of the file.
_HOUSEHOLD_FIELDS = {
    "region_code": "village",
    "site_uuid": "site",
    "arrived_on": "arrived_on",
    "kk_number": "kk_number",
    "address": "address",
    "event": "event",
}
_MEMBER_FIELDS = {
    "name": "full_name",
    "relation": "relation",
    "sex": "sex",
    "birth_date": "birth_date",
    "age_years": "age",
    "nik": "nik",
    **{key: key for key in VULNERABLE_FLAGS},
}


class DisasterHouseholds:
    """The ``disaster_households`` record type (see ``casework.imports.types``)."""

    name = "disaster_households"
    label = _l("Korban bencana (per keluarga)")
    can_update = False
    columns = (
        key_column(),
        Column(
            "event",
            _l("Bencana"),
            required=True,
            example="BCN-2026-0001",
            help=_l("Nomor, UUID, atau nama persis kejadian bencana dinas ini."),
        ),
        Column(
            "household",
            _l("Kode keluarga"),
            required=True,
            example="K-01",
            help=_l(
                "Baris dengan kode yang sama adalah satu keluarga; baris pertamanya kepala keluarga. "
                "Letakkan baris satu keluarga berurutan."
            ),
        ),
        Column("kk_number", _l("Nomor KK"), example="3275071201080001", help=_l("Diisi di baris kepala keluarga.")),
        Column("full_name", _l("Nama lengkap"), required=True, example="Budi Santoso"),
        Column(
            "relation",
            _l("Hubungan dengan kepala keluarga"),
            example="child",
            help=_l("head, spouse, child, parent, other_relative, other; kosong: kerabat lain."),
        ),
        Column("sex", _l("Jenis kelamin"), example="L", help=_l("L (laki-laki) atau P (perempuan).")),
        Column("age", _l("Umur (tahun)"), example="34", help=_l("Isi umur atau tanggal lahir.")),
        Column("birth_date", _l("Tanggal lahir"), example="17/08/1990"),
        Column("nik", _l("NIK"), example="3275071708900001"),
        Column(
            "village",
            _l("Kelurahan/desa asal"),
            example="32.75.07.1004",
            help=_l("Kode Kemendagri atau nama persis; diisi di baris kepala keluarga."),
        ),
        Column(
            "site",
            _l("Tempat pengungsian"),
            example="Masjid Al-Ikhlas",
            help=_l("Nama tempat pengungsian bencana ini yang masih buka; kosong: tidak mengungsi."),
        ),
        Column("arrived_on", _l("Tanggal tiba"), help=_l("Tanggal tiba di tempat pengungsian; kosong: hari ini.")),
        Column("address", _l("Alamat")),
        Column("elderly", _l("Lansia"), help=_l('"ya"/"tidak"; kosong: menurut umur (60 tahun ke atas).')),
        Column("pregnant_or_nursing", _l("Hamil/menyusui"), help=_l('"ya"/"tidak".')),
        Column("under_five", _l("Balita"), help=_l('"ya"/"tidak"; kosong: menurut umur (di bawah 5 tahun).')),
        Column("disability", _l("Penyandang disabilitas"), help=_l('"ya"/"tidak".')),
    )

    def natural_key(self, row):
        """The event, the household and the person's name: a person is one row of a household."""
        parts = (row.cell("event"), row.cell("household"), row.cell("full_name").lower())
        return "|".join(parts) if all(parts) else None

    def batch_group(self, row):
        """The household a row belongs to: the machinery keeps a household's consecutive rows in one batch."""
        return (row.cell("event"), row.cell("household"))

    def check(self, ctx, rows):
        """Groups the rows into households and checks each with the registration's own checks."""
        groups = {}
        for row in rows:
            if row.known is not None:
                row.error(
                    None,
                    _("Orang ini sudah diimpor sebelumnya; perbaiki datanya di halaman keluarga, bukan lewat impor."),
                )
            event = _event(ctx, row)
            household = row.cell("household")
            if not household:
                row.error("household", _("Wajib diisi."))
            if event is not None and household:
                groups.setdefault((event.id, household), (event, []))[1].append(row)
        seen = ctx.state.setdefault(_SEEN, {})
        for (event_id, household), (event, members) in groups.items():
            first = seen.setdefault((event_id, household), members[0].line)
            if first != members[0].line:
                _refuse_all(
                    members,
                    "household",
                    _(
                        "Keluarga %(key)s sudah dimulai di baris %(line)d; baris satu keluarga harus berurutan.",
                        key=household,
                        line=first,
                    ),
                )
                continue
            _check_household(ctx, event, household, members)

    def apply(self, ctx, rows):
        """Registers each household through ``register_household``; each row's target is its person."""
        households = {}
        for row in rows:
            households.setdefault(row.values["household_uuid"], []).append(row)
        for household_uuid, members in households.items():
            event = db.session.get(DisasterEvent, members[0].values["event_id"])
            data = dict(members[0].values["household"], members=[row.values["member"] for row in members])
            try:
                household, _created = register_household(event, ctx.actor, data, uuid=household_uuid, today=ctx.today)
            except (ValidationFailed, Conflict) as error:
                # The database changed since the check: the household is reported, not imported.
                problems = Problems()
                problems.fields = dict(getattr(error, "fields", None) or {None: [str(error)]})
                _report(problems, members)
                _refuse_all([row for row in members if row.ok], None, str(error))
                continue
            ids = dict(
                db.session.execute(
                    sa.select(AffectedPerson.uuid, AffectedPerson.id).where(AffectedPerson.household_id == household.id)
                ).all()
            )
            for row in members:
                row.target_id = ids.get(row.values["member"]["uuid"])
        db.session.flush()


def _event(ctx, row):
    """The agency's disaster event named in the row by number, UUID or exact name (cached per text)."""
    text = row.cell("event")
    if not text:
        row.error("event", _("Wajib diisi."))
        return None
    cache = ctx.state.setdefault(_EVENTS, {})
    if text not in cache:
        cache[text] = _find_event(ctx.agency.id, text)
    event, message = cache[text]
    if message:
        row.error("event", message)
    return event


def _find_event(agency_id, text):
    """(event, None) for the agency's event with this number, UUID or exact name; else (None, message)."""
    conditions = [DisasterEvent.number == text.upper(), sa.func.lower(DisasterEvent.name) == text.lower()]
    with contextlib.suppress(ValueError):
        conditions.append(DisasterEvent.uuid == uuid_module.UUID(text))
    found = db.session.scalars(
        sa.select(DisasterEvent).where(DisasterEvent.agency_id == agency_id, sa.or_(*conditions))
    ).all()
    if len(found) == 1:
        return found[0], None
    if not found:
        return None, _("Bencana %(event)s tidak ditemukan di dinas ini.", event=text)
    numbers = ", ".join(event.number for event in found[:5])
    return None, _("Ada beberapa bencana bernama %(event)s; tulis nomornya: %(numbers)s.", event=text, numbers=numbers)


def _refuse_all(rows, column, message):
    """Notes ``message`` on every row of a household (it is registered whole or not at all)."""
    for row in rows:
        row.error(column, message)


def _site_uuid(event, row):
    """The UUID (text) of the event's site named in the head's row; None when blank or unknown (noted)."""
    name = row.cell("site")
    if not name:
        return None
    found = db.session.scalars(
        sa.select(EvacuationSite).where(
            EvacuationSite.event_id == event.id, sa.func.lower(EvacuationSite.name) == name.lower()
        )
    ).all()
    if len(found) != 1:
        row.error("site", _("Tempat pengungsian %(name)s tidak ditemukan di bencana ini.", name=name))
        return None
    return str(found[0].uuid)


def _date(row, column):
    """The cell's date (any format the import takes) or None; a text that is no date is noted."""
    value = row.cell(column)
    if not value:
        return None
    parsed = parse_date(value)
    if parsed is None:
        row.error(column, _("Tanggal %(value)s tidak valid (tulis HH/BB/TTTT, misalnya 17/08/2024).", value=value))
    return parsed


def _member_data(row):
    """What ``Member.values`` takes from a person's row (a blank vulnerable group follows the age)."""
    age = row.cell("age")
    data = {
        "name": row.cell("full_name"),
        "relation": row.cell("relation").lower() or None,
        "sex": sex_cell(row, "sex"),
        "birth_date": _date(row, "birth_date"),
        "age_years": age[:-2] if age.endswith(".0") else age,
        "nik": row.cell("nik") or None,
    }
    for key in VULNERABLE_FLAGS:
        data[key] = bool_cell(row, key) if row.cell(key) else None
    return data


def _household_data(ctx, event, rows):
    """The household's own values from the head's row; another row giving a different value is noted."""
    head = rows[0]
    for row in rows[1:]:
        for column in _HOUSEHOLD_CELLS:
            if row.cell(column) and row.cell(column) != head.cell(column):
                row.error(column, _("Berbeda dengan baris kepala keluarga (baris %(line)d).", line=head.line))
    arrived_on = _date(head, "arrived_on")
    return {
        "region_code": ctx.region(head, "village") or "",
        "site_uuid": _site_uuid(event, head),
        "arrived_on": arrived_on,
        "kk_number": head.cell("kk_number") or None,
        "address": head.cell("address") or None,
    }


def _check_household(ctx, event, key, rows):
    """Checks one household's rows as ``register_household`` does, writing nothing; sets the rows' values."""
    household_uuid = uuid_module.uuid5(_NAMESPACE, f"{ctx.agency.id}|{event.id}|{key}")
    if db.session.scalar(sa.select(AffectedHousehold.id).where(AffectedHousehold.uuid == household_uuid)):
        _refuse_all(
            rows,
            "household",
            _("Keluarga %(key)s sudah terdaftar lewat impor sebelumnya; tambah anggota di halaman keluarga.", key=key),
        )
        return
    if len(rows) > MAX_MEMBERS:
        _refuse_all(rows, "household", _("Paling banyak %(n)d anggota dalam satu keluarga.", n=MAX_MEMBERS))
        return
    problems = Problems()
    try:
        refuse_closed(event)
    except ValidationFailed as error:
        problems.take(error)
    household = _household_data(ctx, event, rows)
    members = [{**_member_data(row), "uuid": str(uuid_module.uuid5(household_uuid, row.key))} for row in rows]
    household_problems = Problems()
    household_values = checked_household(household_problems, event, household, ctx.today)
    for field, messages in household_problems.fields.items():
        # A region the lookup refused is noted on the cell already; the registration's "pick a village" is not.
        if field == "region_code" and any(error.column == "village" for error in rows[0].errors):
            continue
        problems.fields.setdefault(field, []).extend(messages)
    checked = [Member(problems, index, ctx.today).values(data) for index, data in enumerate(members)]
    refuse_repeated_niks(problems, event, checked)
    _report(problems, rows)
    _refuse_repeated_in_file(ctx, event, rows, checked, household_values["kk_number"])
    if not all(row.ok for row in rows):
        for row in rows:
            if row.ok:
                row.error(None, _("Keluarga ini tidak diimpor karena ada baris lain keluarga ini yang salah."))
        return
    for row, data, values in zip(rows, members, checked, strict=True):
        row.action = Action.CREATE
        row.label = _("%(name)s · keluarga %(key)s", name=values["name"], key=key)
        row.values = {
            "event_id": event.id,
            "household_uuid": household_uuid,
            "household": household,
            "member": {**data, "uuid": values["uuid"]},
        }


def _refuse_repeated_in_file(ctx, event, rows, members, kk_number):
    """Notes a NIK or KK number another household of the file gave already (the registration sees only the database)."""
    niks = ctx.state.setdefault(_NIKS, {})
    for row, member in zip(rows, members, strict=True):
        if member["nik"]:
            first = niks.setdefault((event.id, member["nik"]), row.line)
            if first != row.line:
                row.error("nik", _("NIK sama dengan baris %(line)d di bencana ini.", line=first))
    if kk_number:
        kks = ctx.state.setdefault(_KKS, {})
        first = kks.setdefault((event.id, kk_number), rows[0].line)
        if first != rows[0].line:
            rows[0].error("kk_number", _("Nomor KK sama dengan baris %(line)d di bencana ini.", line=first))


def _report(problems, rows):
    """Notes the registration's problems on the rows and columns they concern."""
    for field, messages in problems.fields.items():
        row, column = rows[0], _HOUSEHOLD_FIELDS.get(field)
        if field and field.startswith("members."):
            parts = field.split(".")
            index = int(parts[1]) if parts[1].isdigit() else 0
            row = rows[index] if index < len(rows) else rows[0]
            column = _MEMBER_FIELDS.get(parts[2]) if len(parts) > 2 else None
        for message in messages:
            row.error(column, message)


DISASTER_HOUSEHOLDS = register(DisasterHouseholds())
