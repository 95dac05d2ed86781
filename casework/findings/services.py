"""Filing a report: a volunteer's field finding, or a complaint entered by staff for a member of the public.

Both check every field at once (Indonesian messages by field, 422), store
the photos through ``casework.files`` (type read from the content, size
limited, shrunk; a refused photo writes nothing, as the caller rolls back and
the files written go with the transaction), give the report its reference
number from a counter row per agency, kind and year, put it in the queue of
the unit covering its village, and write a "received" ``ReportEvent`` and an
audit row (ids and codes only). They flush; the caller commits. A repeated
UUID returns the report filed the first time, so a phone that retries on a
bad connection never files twice.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.audit.services import record
from casework.auth.models import ScopeKind
from casework.cases.intake import next_serial, parse_location
from casework.clients.models import Sex
from casework.core.errors import ServiceError
from casework.core.idempotency import earlier_create, parse_uuid
from casework.core.lookup import row_by_id
from casework.core.rows import append_row
from casework.core.validation import Problems, choice, flag, required_date, text
from casework.extensions import db
from casework.files.services import PHOTOS, FileTooLarge, store_upload
from casework.findings.models import (
    ComplaintSource,
    Report,
    ReportEvent,
    ReportKind,
    ReportNumberCounter,
    ReportPhoto,
    ReportUrgency,
)
from casework.org.models import RESIDENTIAL_KINDS, Unit, UnitKind
from casework.reference.models import Category, Region
from casework.reference.services import checked_region_code

MAX_PHOTOS = 5
MAX_AGE = 130
VILLAGE_LEVELS = (4,)
NUMBER_PREFIXES = {ReportKind.FINDING: "TM", ReportKind.COMPLAINT: "ADU"}
# Units whose place is where they stand, not an area they cover: they never hold a queue by region.
_NOT_COVERING = (UnitKind.PARTNER, *RESIDENTIAL_KINDS)


def next_report_number(agency_id, kind, year):
    """The agency's next reference number of ``kind`` for ``year``: "TM-2026-000012" or "ADU-2026-000012"."""
    return f"{NUMBER_PREFIXES[kind]}-{year}-{next_serial(ReportNumberCounter, agency_id, year, kind=kind):06d}"


def submit_finding(agency, volunteer, data, photos=(), uuid=None, today=None):
    """Files ``volunteer``'s field finding; returns (report, created). A repeated ``uuid`` returns the first.

    The village must lie in the agency's area and, for a volunteer limited to
    districts or villages, inside that scope.
    """
    return _submit(agency, volunteer, ReportKind.FINDING, data, photos, uuid, today)


def submit_complaint(agency, staff, data, photos=(), uuid=None, today=None):
    """Files a complaint from the public entered by ``staff``; returns (report, created).

    Besides the finding's fields it needs how it came in (``source``) and
    the reporter's name and contact, so the agency can answer them.
    """
    return _submit(agency, staff, ReportKind.COMPLAINT, data, photos, uuid, today)


def _submit(agency, reporter, kind, data, photos, uuid, today):
    """Checks, stores and files one report of ``kind``; see ``submit_finding``."""
    today = today or date.today()
    problems = Problems()
    report_uuid = parse_uuid(problems, uuid)
    existing = earlier_create(
        problems, Report, report_uuid, lambda found: found.reported_by_id == reporter.id and found.kind == kind
    )
    if existing is not None:
        return existing, False
    values = _report_values(problems, agency, reporter, kind, data, today)
    photos = list(photos or ())
    stored, too_large = _store_photos(problems, agency, reporter, photos)
    if too_large:
        # A photo over the size limit answers as the upload limit does (413), with every other problem too.
        raise FileTooLarge(_("Periksa kembali isian yang ditandai."), fields=problems.fields)
    problems.raise_any()
    report = Report(
        uuid=report_uuid,
        agency_id=agency.id,
        kind=kind,
        number=next_report_number(agency.id, kind, today.year),
        reported_by_id=reporter.id,
        unit_id=_queue_unit(agency, reporter, values["region_code"]).id,
        photos=[ReportPhoto(file_id=file.id, position=position) for position, file in enumerate(stored)],
        **values,
    )
    db.session.add(report)
    db.session.flush()
    append_row(ReportEvent(report_id=report.id, kind="received", actor_id=reporter.id, data={"unit": report.unit_id}))
    record(
        "report.received",
        report,
        actor=reporter,
        kind=kind.value,
        unit=report.unit_id,
        region=report.region_code,
        urgency=report.urgency.value,
        photos=len(stored),
        fields=sorted(name for name, value in values.items() if value not in (None, False)),
    )
    db.session.flush()
    return report, True


def _report_values(problems, agency, reporter, kind, data, today):
    """Checks the report's own fields; returns the column values to store."""
    columns = Report.__table__.c
    location = parse_location(problems, data)
    values = {
        "category_id": _category(problems, data.get("category_id")),
        "description": _description(problems, data),
        "region_code": _village(problems, agency, reporter, kind, data),
        "place": text(problems, data, columns.place),
        "latitude": location[0] if location else None,
        "longitude": location[1] if location else None,
        "observed_on": required_date(problems, data, "observed_on", today),
        "urgency": choice(
            problems, data.get("urgency"), "urgency", ReportUrgency, _("Pilih tingkat kedaruratan."), required=False
        )
        or ReportUrgency.ROUTINE,
        "consent_given": flag(data.get("consent_given")),
        "person_name": text(problems, data, columns.person_name),
        "person_sex": choice(
            problems, data.get("person_sex"), "person_sex", Sex, _("Pilih laki-laki atau perempuan."), required=False
        ),
        "person_age": _age(problems, data.get("person_age")),
        "person_details": (data.get("person_details") or "").strip() or None,
    }
    if kind == ReportKind.COMPLAINT:
        values["source"] = choice(
            problems, data.get("source"), "source", ComplaintSource, _("Pilih dari mana pengaduan ini diterima.")
        )
        values["reporter_name"] = _required(
            problems, data, columns.reporter_name, _("Isi nama pelapor (atau tulis \u201canonim\u201d).")
        )
        values["reporter_contact"] = _required(
            problems,
            data,
            columns.reporter_contact,
            _("Isi kontak pelapor (telepon, WhatsApp, surel atau alamat) agar hasilnya bisa dikabarkan."),
        )
    return values


def _required(problems, data, column, message):
    """The trimmed text for ``column``, with ``message`` noted when it is blank."""
    value = text(problems, data, column)
    if value is None and column.key not in problems.fields:
        problems.add(column.key, message)
    return value


def _description(problems, data):
    """What was found, in the reporter's own words: required."""
    value = (data.get("description") or "").strip()
    if not value:
        problems.add("description", _("Ceritakan apa yang ditemukan: keadaan orangnya dan apa yang dibutuhkan."))
    return value or None


def _category(problems, value):
    """The active PPKS category chosen as a guess; None when none was chosen."""
    if value in (None, ""):
        return None
    category = row_by_id(Category, value)
    if category is None or not category.active:
        problems.add("category_id", _("Kategori PPKS tidak dikenal atau tidak aktif."))
        return None
    return category.id


def _village(problems, agency, reporter, kind, data):
    """The village's code: a known active village, in the agency's area and, for a finding, in the reporter's scope."""
    code = checked_region_code(problems, data, "region_code", VILLAGE_LEVELS)
    if code is None:
        if "region_code" not in problems.fields:
            problems.add("region_code", _("Pilih kelurahan/desa tempat orang itu ditemukan."))
        return None
    name = db.session.get(Region, code).name
    if not code.startswith(f"{agency.region_code}."):
        problems.add(
            "region_code",
            _("Kelurahan/desa %(code)s (%(name)s) berada di luar wilayah dinas ini.", code=code, name=name),
        )
        return None
    scope = reporter.region_codes
    outside = not any(code == held or code.startswith(f"{held}.") for held in scope)
    if kind == ReportKind.FINDING and reporter.scope_kind != ScopeKind.AGENCY and scope and outside:
        problems.add(
            "region_code",
            _(
                "Kelurahan/desa %(code)s (%(name)s) berada di luar wilayah tugas Anda (%(scope)s). "
                "Laporkan temuan di luar wilayah Anda lewat TKSK setempat atau dinas.",
                code=code,
                name=name,
                scope=", ".join(scope),
            ),
        )
        return None
    return code


def _age(problems, value):
    """The person's age in whole years (0 for a baby), None when unknown."""
    if value in (None, ""):
        return None
    text_value = str(value).strip()
    if isinstance(value, bool) or not (text_value.isascii() and text_value.isdigit()) or int(text_value) > MAX_AGE:
        problems.add("person_age", _("Umur ditulis dalam tahun, angka 0 sampai %(max)d.", max=MAX_AGE))
        return None
    return int(text_value)


def _store_photos(problems, agency, reporter, photos):
    """Stores up to ``MAX_PHOTOS`` photos; returns (stored files, whether one was too large). Refusals are noted."""
    if len(photos) > MAX_PHOTOS:
        problems.add("photos", _("Paling banyak %(n)d foto untuk satu laporan.", n=MAX_PHOTOS))
        return [], False
    stored, too_large = [], False
    for number, photo in enumerate(photos, start=1):
        try:
            stored.append(store_upload(agency, reporter, photo, kinds=PHOTOS, field="photos"))
        except ServiceError as error:
            too_large = too_large or isinstance(error, FileTooLarge)
            for message in error.fields.get("photos", [error.message]):
                problems.add("photos", _("Foto ke-%(n)d: %(problem)s", n=number, problem=message))
    return stored, too_large


def _queue_unit(agency, reporter, village):
    """The unit whose queue the report joins.

    The agency's most specific active unit whose region holds the village
    (a district unit before a branch office of the city); else the
    reporter's own unit when it is the agency's; else its first top unit.
    """
    parts = village.split(".")
    covering = [".".join(parts[:end]) for end in range(1, len(parts) + 1)]
    eligible = (Unit.agency_id == agency.id, Unit.active.is_(True), Unit.kind.not_in(_NOT_COVERING))
    unit = db.session.scalar(
        sa.select(Unit)
        .where(*eligible, Unit.region_code.in_(covering))
        .order_by(sa.func.length(Unit.region_code).desc(), Unit.id)
        .limit(1)
    )
    if unit is None and reporter.unit.active and reporter.unit.kind not in _NOT_COVERING:
        unit = reporter.unit
    if unit is None:
        unit = db.session.scalar(sa.select(Unit).where(*eligible, Unit.parent_id.is_(None)).order_by(Unit.id).limit(1))
    return unit or reporter.unit
