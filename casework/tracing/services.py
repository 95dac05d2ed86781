"""The named operations of family tracing and reunification, shared by the case page and the API.

Each checks every field at once (Indonesian messages by field, 422), refuses a
step the state does not allow (409), and goes through the case timeline
(``changing``): one event and one audit row in the same transaction as the
change. Creates are idempotent by the device's UUID and need no case version
(the case's current one is used, so a concurrent change of the case still
makes one of the two a 409); closing a request and recording a visit carry
the version of that record.

Tracing and reunification happen while the case is open. Follow-up visits go
on after the case is closed (reunification is one of its outcomes), so they
are recorded in any stage.
"""

from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.cases.intake import parse_location
from casework.cases.models import OPEN_STAGES
from casework.cases.timeline import changing
from casework.core.errors import Conflict, NotFound
from casework.core.idempotency import earlier_create, parse_uuid
from casework.core.validation import Problems, choice, required_date, text
from casework.extensions import db
from casework.reference.services import checked_region_code
from casework.tracing.models import (
    FollowupVisit,
    Kinship,
    LeadMethod,
    Reunification,
    TracingLead,
    TracingRequest,
    TracingStatus,
)
from casework.tracing.queries import case_request
from casework.tracing.schedule import parse_visit_days

# Where a family member may be placed: a province or city when that is all that is known, down to the village.
LAST_KNOWN_REGION_LEVELS = (1, 2, 3, 4)
# Where the client goes home to: a city/regency, district or village.
HOME_REGION_LEVELS = (2, 3, 4)
CLOSING_STATUSES = (TracingStatus.FOUND, TracingStatus.NOT_FOUND)
_YES = ("yes", "true", "1", "ya")
_NO = ("no", "false", "0", "tidak")


def _require_open_case(case):
    """Refuses tracing and reunification on a terminated case."""
    if case.stage not in OPEN_STAGES:
        raise Conflict(_("Kasus sudah diterminasi: penelusuran dan reunifikasi tidak bisa dicatat lagi."))


def _yes_no(problems, value, field):
    """True or False from a boolean or a "yes"/"no" answer; "required" noted when blank."""
    if isinstance(value, bool):
        return value
    answer = str(value or "").strip().lower()
    if answer in _YES:
        return True
    if answer in _NO:
        return False
    problems.add(field, _("Pilih ya atau tidak."))
    return None


def _required_text(problems, data, field, message):
    """The trimmed text of ``data[field]``, with ``message`` noted when blank."""
    value = (data.get(field) or "").strip()
    if not value:
        problems.add(field, message)
    return value or None


def _kinship(problems, data):
    """The family member's relation to the client."""
    return choice(problems, data.get("kinship"), "kinship", Kinship, _("Pilih hubungan keluarga."))


def _not_before_intake(case):
    """The message for a date before the case's intake."""
    return _("Tanggal tidak boleh sebelum tanggal penerimaan kasus (%(date)s).", date=case.intake_date.isoformat())


# --- Tracing requests ---------------------------------------------------------------------------------


def open_request(case, actor, data, uuid=None, today=None):
    """Opens a tracing request for a family member; returns (request, created). A repeated ``uuid`` returns it."""
    today = today or date.today()
    problems = Problems()
    request_uuid = parse_uuid(problems, uuid)
    existing = earlier_create(problems, TracingRequest, request_uuid, lambda found: found.case_id == case.id)
    if existing is not None:
        return existing, False
    _require_open_case(case)
    columns = TracingRequest.__table__.c
    values = {
        "sought_name": text(problems, data, columns.sought_name, required=True),
        "kinship": _kinship(problems, data),
        "last_known_place": text(problems, data, columns.last_known_place, required=True),
        "last_known_region_code": checked_region_code(
            problems, data, "last_known_region_code", LAST_KNOWN_REGION_LEVELS
        ),
        "opened_on": required_date(problems, data, "opened_on", today, case.intake_date, _not_before_intake(case)),
    }
    location = parse_location(problems, data)
    problems.raise_any()
    tracing = TracingRequest(uuid=request_uuid, case_id=case.id, opened_by_id=actor.id, **values)
    details = {"tracing": str(request_uuid), "kinship": values["kinship"].value}
    with changing(case, case.version, "tracing_opened", actor, location, **details):
        db.session.add(tracing)
    return tracing, True


def _require_open_request(tracing):
    """Refuses a change of a request that has already ended."""
    if not tracing.is_open:
        raise Conflict(_("Penelusuran ini sudah ditutup: tidak bisa ditambah jejak atau ditutup lagi."))


def add_lead(case, tracing, actor, data, uuid=None, today=None):
    """Records a lead followed for ``tracing``; returns (lead, created). A repeated ``uuid`` returns the first."""
    today = today or date.today()
    problems = Problems()
    lead_uuid = parse_uuid(problems, uuid)
    existing = earlier_create(problems, TracingLead, lead_uuid, lambda found: found.request_id == tracing.id)
    if existing is not None:
        return existing, False
    _require_open_case(case)
    _require_open_request(tracing)
    columns = TracingLead.__table__.c
    followed_on = required_date(
        problems,
        data,
        "followed_on",
        today,
        tracing.opened_on,
        _("Jejak tidak bisa sebelum penelusuran dibuka (%(date)s).", date=tracing.opened_on.isoformat()),
    )
    method = choice(problems, data.get("method"), "method", LeadMethod, _("Pilih cara penelusuran."))
    action = text(problems, data, columns.action)
    result = _required_text(problems, data, "result", _("Tuliskan hasil penelusuran ini."))
    location = parse_location(problems, data)
    problems.raise_any()
    lead = TracingLead(
        uuid=lead_uuid,
        request_id=tracing.id,
        followed_on=followed_on,
        method=method,
        action=action,
        result=result,
        recorded_by_id=actor.id,
    )
    details = {"tracing": str(tracing.uuid), "lead": str(lead_uuid), "method": method.value}
    with changing(case, case.version, "tracing_lead", actor, location, **details):
        db.session.add(lead)
    return lead, True


def close_request(case, tracing, actor, version, data, today=None):
    """Ends ``tracing`` (at ``version``) found or not found, on a date not before its last lead."""
    today = today or date.today()
    _require_open_case(case)
    _require_open_request(tracing)
    if version is None or int(version) != tracing.version:
        raise Conflict(_("Penelusuran ini sudah diubah orang lain. Lihat keadaan terbaru, lalu ulangi langkah Anda."))
    problems = Problems()
    status = choice(
        problems, data.get("status"), "status", TracingStatus, _("Pilih hasil: ditemukan atau tidak ditemukan.")
    )
    if status == TracingStatus.OPEN:
        problems.add("status", _("Pilih hasil: ditemukan atau tidak ditemukan."))
    last_lead = max((lead.followed_on for lead in tracing.leads), default=tracing.opened_on)
    closed_on = required_date(
        problems,
        data,
        "closed_on",
        today,
        last_lead,
        _("Penelusuran tidak bisa ditutup sebelum %(date)s (dibuka atau jejak terakhir).", date=last_lead.isoformat()),
    )
    notes = (data.get("result_notes") or "").strip() or None
    location = parse_location(problems, data)
    problems.raise_any()
    details = {"tracing": str(tracing.uuid), "status": status.value}
    with changing(case, case.version, "tracing_closed", actor, location, **details):
        tracing.status, tracing.closed_on, tracing.result_notes = status, closed_on, notes
    return tracing


# --- Reunification ------------------------------------------------------------------------------------


def _found_request(problems, case, value):
    """The case's tracing request named by ``value`` (a UUID), which must have found the family member."""
    if value in (None, ""):
        return None
    try:
        tracing = case_request(case, value)
    except NotFound:
        # Here a missing (or another case's) request is a wrong choice in the form, not a missing page.
        tracing = None
    if tracing is None or tracing.status != TracingStatus.FOUND:
        problems.add("tracing_request", _("Pilih penelusuran kasus ini yang hasilnya ditemukan."))
        return None
    return tracing


def visit_schedule(agency, reunified_on):
    """[(day offset, due date)] of the agency's follow-up visits after a reunification on ``reunified_on``."""
    return [(day, reunified_on + timedelta(days=day)) for day in parse_visit_days(agency.followup_visit_days)]


def reunify(case, actor, data, uuid=None, today=None):
    """Records the client's reunification with a family member, on a safe home only; schedules follow-up visits.

    Returns (reunification, created); a repeated ``uuid`` returns the first. The
    case stays open: closing it (outcome "reunified") is a step of its own.
    """
    today = today or date.today()
    problems = Problems()
    reunion_uuid = parse_uuid(problems, uuid)
    existing = earlier_create(problems, Reunification, reunion_uuid, lambda found: found.case_id == case.id)
    if existing is not None:
        return existing, False
    _require_open_case(case)
    if db.session.scalar(sa.select(Reunification.id).where(Reunification.case_id == case.id)) is not None:
        raise Conflict(_("Reunifikasi kasus ini sudah dicatat."))
    columns = Reunification.__table__.c
    tracing = _found_request(problems, case, data.get("tracing_request"))
    earliest, earliest_message = case.intake_date, _not_before_intake(case)
    if tracing is not None:
        earliest = tracing.closed_on
        earliest_message = _("Reunifikasi tidak bisa sebelum keluarga ditemukan (%(date)s).", date=earliest.isoformat())
    values = {
        "member_name": text(problems, data, columns.member_name, required=True),
        "kinship": _kinship(problems, data),
        "address": text(problems, data, columns.address, required=True),
        "region_code": checked_region_code(problems, data, "region_code", HOME_REGION_LEVELS),
        "reunified_on": required_date(problems, data, "reunified_on", today, earliest, earliest_message),
        "home_safe": _yes_no(problems, data.get("home_safe"), "home_safe"),
        "safety_note": _required_text(
            problems, data, "safety_note", _("Tuliskan dasar penilaian bahwa rumah aman bagi klien.")
        ),
    }
    if values["region_code"] is None and "region_code" not in problems.fields:
        problems.add("region_code", _("Kode wilayah wajib diisi."))
    if values["home_safe"] is False:
        problems.add(
            "home_safe",
            _(
                "Reunifikasi tidak bisa dicatat bila rumah dinilai tidak aman. "
                "Lanjutkan layanan atau cari keluarga lain."
            ),
        )
    location = parse_location(problems, data)
    problems.raise_any()
    reunion = Reunification(
        uuid=reunion_uuid,
        case_id=case.id,
        tracing_request_id=tracing.id if tracing else None,
        recorded_by_id=actor.id,
        **values,
    )
    reunion.visits = [
        FollowupVisit(day_offset=day, due_on=due) for day, due in visit_schedule(case.agency, values["reunified_on"])
    ]
    details = {
        "reunification": str(reunion_uuid),
        "kinship": values["kinship"].value,
        "visit_days": [visit.day_offset for visit in reunion.visits],
    }
    if tracing is not None:
        details["tracing"] = str(tracing.uuid)
    with changing(case, case.version, "reunified", actor, location, **details):
        db.session.add(reunion)
    return reunion, True


def record_visit(case, visit, actor, version, data, today=None):
    """Records follow-up ``visit`` (at its ``version``): when, what was found, whether the client is well."""
    today = today or date.today()
    if visit.visited_on is not None:
        raise Conflict(_("Kunjungan ini sudah dicatat."))
    if version is None or int(version) != visit.version:
        raise Conflict(_("Kunjungan ini sudah diubah orang lain. Lihat keadaan terbaru, lalu ulangi langkah Anda."))
    reunion = visit.reunification
    problems = Problems()
    visited_on = required_date(
        problems,
        data,
        "visited_on",
        today,
        reunion.reunified_on,
        _("Kunjungan tidak bisa sebelum reunifikasi (%(date)s).", date=reunion.reunified_on.isoformat()),
    )
    finding = _required_text(problems, data, "finding", _("Tuliskan temuan kunjungan."))
    well = _yes_no(problems, data.get("client_well"), "client_well")
    notes = (data.get("notes") or "").strip() or None
    location = parse_location(problems, data)
    problems.raise_any()
    details = {"reunification": str(reunion.uuid), "visit": visit.id, "day": visit.day_offset, "well": well}
    with changing(case, case.version, "followup_visit", actor, location, **details):
        visit.visited_on, visit.finding, visit.client_well, visit.notes = visited_on, finding, well, notes
        visit.recorded_by_id = actor.id
    return visit
