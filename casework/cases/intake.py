"""Opening a case (idempotent by the device's UUID), correcting its intake, and assigning it.

Like every case operation, each checks all fields at once (Indonesian
messages by field), changes state, writes a timeline event and an audit row,
and flushes; the caller commits.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.audit.services import record
from casework.auth.models import Role, User
from casework.cases.models import Case, CaseNumberCounter, IntakeChannel, Stage
from casework.cases.timeline import changing, log_event
from casework.core.idempotency import earlier_create, parse_uuid
from casework.core.lookup import row_by_id
from casework.core.validation import Problems, choice, required_date, text
from casework.extensions import db
from casework.org.models import Unit, UnitKind
from casework.reference.services import checked_region_code

INTAKE_REGION_LEVELS = (3, 4)
CASE_HOLDERS = (Role.CASEWORKER, Role.SUPERVISOR)


def parse_location(problems, values, prefix=""):
    """(latitude, longitude) from the device, both or neither, in range; None when not given."""
    raw = [values.get(f"{prefix}latitude"), values.get(f"{prefix}longitude")]
    if all(value in (None, "") for value in raw):
        return None
    try:
        latitude, longitude = (float(value) for value in raw)
    except (TypeError, ValueError):
        problems.add(f"{prefix}latitude", _("Koordinat GPS harus berupa angka lintang dan bujur."))
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        problems.add(f"{prefix}latitude", _("Koordinat GPS di luar jangkauan."))
        return None
    return latitude, longitude


def _agency_row(problems, model, agency_id, value, field, message):
    """The agency's row of ``model`` with the id in ``value``, or None with ``message`` noted."""
    row = row_by_id(model, value)
    if row is None or row.agency_id != agency_id or not row.active:
        problems.add(field, message)
        return None
    return row


def responsible_unit(problems, agency_id, value):
    """The agency's own active unit responsible for the case (not a partner organisation)."""
    unit = _agency_row(problems, Unit, agency_id, value, "unit_id", _("Pilih unit penanggung jawab yang aktif."))
    if unit is not None and unit.kind == UnitKind.PARTNER:
        problems.add("unit_id", _("Kasus ditangani unit dinas sendiri, bukan mitra."))
        return None
    return unit


def case_holder(problems, agency_id, value):
    """An active caseworker or supervisor of the agency, to hold the case."""
    message = _("Pilih pekerja sosial yang aktif.")
    user = _agency_row(problems, User, agency_id, value, "caseworker_id", message)
    if user is not None and user.role not in CASE_HOLDERS:
        problems.add("caseworker_id", message)
        return None
    return user


def _intake_values(problems, agency, values, today):
    """Checks the intake fields; returns the values to store."""
    columns = Case.__table__.c
    location = parse_location(problems, values, prefix="intake_")
    return {
        "intake_channel": choice(problems, values.get("intake_channel"), "intake_channel", IntakeChannel),
        "intake_date": required_date(problems, values, "intake_date", today),
        "intake_region_code": checked_region_code(problems, values, "intake_region_code", INTAKE_REGION_LEVELS),
        "intake_place": text(problems, values, columns.intake_place),
        "intake_latitude": location[0] if location else None,
        "intake_longitude": location[1] if location else None,
        "circumstances": (values.get("circumstances") or "").strip() or None,
    }


def next_case_number(agency_id, year):
    """The agency's next case number for ``year``; concurrent openings wait on the counter row, never share it."""
    return f"KS-{year}-{next_serial(CaseNumberCounter, agency_id, year):06d}"


def next_serial(counter_model, agency_id, year, **keys):
    """The next serial of an (agency, year, last) counter table, taken under the counter row's lock.

    ``keys`` are the counter's further key columns and their values (e.g. ``kind="finding"``).
    """
    counter = counter_model.__table__
    row = {"agency_id": agency_id, "year": year, **keys}
    bump = (
        sa.update(counter)
        .where(*(counter.c[name] == value for name, value in row.items()))
        .values(last=counter.c.last + 1)
        .returning(counter.c.last)
    )
    last = db.session.execute(bump).scalar()
    if last is None:
        try:
            with db.session.begin_nested():
                db.session.execute(sa.insert(counter).values(**row, last=1))
            last = 1
        except sa.exc.IntegrityError:
            # Another opening created the year's counter first: take the next number from it.
            last = db.session.execute(bump).scalar()
    return last


def open_case(agency, actor, client, data, uuid=None, today=None):
    """Opens a case for ``client`` at intake; returns (case, created).

    A repeated call with the same ``uuid`` returns the case it opened the
    first time (created is False). The unit defaults to the actor's unit and
    the caseworker to the actor when they hold cases.
    """
    today = today or date.today()
    problems = Problems()
    case_uuid = parse_uuid(problems, uuid)
    existing = earlier_create(problems, Case, case_uuid, lambda case: case.client_id == client.id)
    if existing is not None:
        return existing, False
    clean = _intake_values(problems, agency, data, today)
    unit = responsible_unit(problems, agency.id, data.get("unit_id") or actor.unit_id)
    default_holder = actor.id if actor.role in CASE_HOLDERS else None
    caseworker = case_holder(problems, agency.id, data.get("caseworker_id") or default_holder)
    if client.agency_id != agency.id:
        problems.add("client", _("Klien tidak ditemukan."))
    problems.raise_any()
    case = Case(
        uuid=case_uuid,
        agency_id=agency.id,
        number=next_case_number(agency.id, clean["intake_date"].year),
        client_id=client.id,
        unit_id=unit.id,
        caseworker_id=caseworker.id,
        stage=Stage.INTAKE,
        opened_by_id=actor.id,
        needs=[],  # a new case has none yet: nothing to load when it is shown
        stays=[],
        **clean,
    )
    db.session.add(case)
    db.session.flush()
    location = (clean["intake_latitude"], clean["intake_longitude"]) if clean["intake_latitude"] is not None else None
    log_event(case, "opened", actor, location, channel=clean["intake_channel"].value)
    record("case.opened", case, actor=actor, fields=sorted(name for name, value in clean.items() if value is not None))
    db.session.flush()
    return case, True


def update_intake(case, actor, version, data, today=None):
    """Corrects the intake facts given in ``data`` at ``version``."""
    today = today or date.today()
    problems = Problems()
    current = {column: getattr(case, column) for column in INTAKE_FIELDS}
    clean = _intake_values(problems, case.agency, {**current, **data}, today)
    if case.assessment_started_on and clean["intake_date"] and clean["intake_date"] > case.assessment_started_on:
        problems.add("intake_date", _("Tanggal penerimaan tidak boleh sesudah asesmen dimulai."))
    problems.raise_any()
    changed = sorted(name for name, value in clean.items() if getattr(case, name) != value)
    if not changed:
        return case
    with changing(case, version, "intake_corrected", actor, fields=changed):
        for name in changed:
            setattr(case, name, clean[name])
    return case


def assign_case(case, actor, version, unit_id, caseworker_id):
    """Hands the case to another unit and caseworker of the agency."""
    problems = Problems()
    unit = responsible_unit(problems, case.agency_id, unit_id)
    caseworker = case_holder(problems, case.agency_id, caseworker_id)
    problems.raise_any()
    with changing(case, version, "assigned", actor, unit_id=unit.id, caseworker_id=caseworker.id):
        case.unit_id, case.caseworker_id = unit.id, caseworker.id
    return case


INTAKE_FIELDS = (
    "intake_channel",
    "intake_date",
    "intake_region_code",
    "intake_place",
    "intake_latitude",
    "intake_longitude",
    "circumstances",
)
