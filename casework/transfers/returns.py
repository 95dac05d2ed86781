"""Return to origin (pemulangan): a plan on a case, then departure, then arrival confirmed.

Each is a named operation on the case's timeline (``return_planned``,
``return_departed``, ``return_arrived``). A case has one return under way at
a time; departure and arrival are taken at the plan's version, so two people
recording the same step at once get one success and one 409. After arrival
the case may be closed with the outcome "returned to origin" through the
case's own closing step; the return never closes the case by itself.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from casework.auth.models import User
from casework.cases.intake import parse_location
from casework.cases.timeline import changing
from casework.core.errors import Conflict, NotFound, flush_versioned
from casework.core.idempotency import earlier_create, parse_uuid
from casework.core.lookup import row_by_id
from casework.core.validation import Problems, choice, required_date, text
from casework.extensions import db
from casework.org.models import Agency
from casework.reference.services import checked_region_code
from casework.transfers.models import Handover, ReturnPlan, ReturnStatus, TravelMode

# Where the journey starts may be known only to the city; the destination is the village.
FROM_LEVELS = (2, 3, 4)
VILLAGE_LEVEL = (4,)
# A plan's travel date lies ahead: no upper bound.
NO_LATER_THAN = date.max


def stale_message():
    """What a user is told when someone recorded a step of the return first."""
    return _("Rencana pemulangan ini sudah diubah orang lain. Lihat keadaan terbarunya, lalu ulangi bila perlu.")


def case_return(case, plan_uuid):
    """The return plan ``plan_uuid`` of ``case``; any other is missing."""
    key = parse_uuid(Problems(), plan_uuid) if plan_uuid not in (None, "") else None
    plan = db.session.scalar(sa.select(ReturnPlan).where(ReturnPlan.uuid == key)) if key else None
    if plan is None or plan.case_id != case.id:
        raise NotFound(_("Rencana pemulangan tidak ditemukan."))
    return plan


def returns_of(case):
    """The case's return plans, latest first."""
    return db.session.scalars(
        sa.select(ReturnPlan)
        .where(ReturnPlan.case_id == case.id)
        .options(
            joinedload(ReturnPlan.from_region),
            joinedload(ReturnPlan.to_region),
            joinedload(ReturnPlan.escort_user),
            joinedload(ReturnPlan.origin_agency),
        )
        .order_by(ReturnPlan.created_at.desc())
    ).all()


def _escort(problems, case, data, columns):
    """(escort user, escort name): an active user of the case's agency, or someone named; one is needed."""
    user = None
    if data.get("escort_user_id") not in (None, ""):
        user = row_by_id(User, data.get("escort_user_id"))
        if user is None or user.agency_id != case.agency_id or not user.active:
            problems.add("escort_user_id", _("Pilih petugas pendamping yang aktif."))
            user = None
    name = text(problems, data, columns.escort_name)
    if user is None and name is None and "escort_user_id" not in problems.fields:
        problems.add("escort_name", _("Pilih petugas pendamping atau tuliskan nama pendamping."))
    return user, name


def _handover(problems, data, columns):
    """Who receives the client: the family (named, with the relationship) or the origin agency."""
    handover = choice(problems, data.get("handover"), "handover", Handover, _("Pilih penerima di daerah asal."))
    values = {
        "handover": handover,
        "family_name": text(problems, data, columns.family_name),
        "family_relationship": text(problems, data, columns.family_relationship),
        "origin_agency_id": None,
        "origin_agency_name": text(problems, data, columns.origin_agency_name),
    }
    if data.get("origin_agency_id") not in (None, ""):
        agency = row_by_id(Agency, data.get("origin_agency_id"))
        if agency is None:
            problems.add("origin_agency_id", _("Dinas sosial tidak dikenal."))
        else:
            values["origin_agency_id"] = agency.id
    if handover == Handover.FAMILY and values["family_name"] is None:
        problems.add("family_name", _("Tuliskan nama anggota keluarga yang menerima."))
    if handover == Handover.ORIGIN_AGENCY and values["origin_agency_id"] is None and not values["origin_agency_name"]:
        problems.add("origin_agency_name", _("Pilih atau tuliskan dinas sosial daerah asal."))
    return values


def plan_return(case, actor, data, uuid=None):
    """Plans the return of the case's client to their village of origin; returns (plan, created).

    A repeated call with the same ``uuid`` returns the plan made the first time.
    """
    problems = Problems()
    plan_uuid = parse_uuid(problems, uuid)
    existing = earlier_create(problems, ReturnPlan, plan_uuid, lambda row: row.case_id == case.id)
    if existing is not None:
        return existing, False
    if not case.is_open:
        raise Conflict(_("Kasus yang sudah diterminasi tidak bisa direncanakan pemulangannya."))
    under_way = db.session.scalar(
        sa.select(ReturnPlan.id).where(ReturnPlan.case_id == case.id, ReturnPlan.status != ReturnStatus.ARRIVED)
    )
    if under_way is not None:
        raise Conflict(_("Kasus ini sudah punya rencana pemulangan yang belum selesai."))
    columns = ReturnPlan.__table__.c
    escort_user, escort_name = _escort(problems, case, data, columns)
    values = {
        "from_place": text(problems, data, columns.from_place, required=True),
        "from_region_code": checked_region_code(problems, data, "from_region_code", FROM_LEVELS),
        "to_region_code": checked_region_code(problems, data, "to_region_code", VILLAGE_LEVEL),
        "to_address": text(problems, data, columns.to_address),
        "travel_date": required_date(
            problems,
            data,
            "travel_date",
            NO_LATER_THAN,
            case.intake_date,
            _("Tanggal berangkat tidak boleh sebelum tanggal penerimaan."),
        ),
        "travel_mode": choice(
            problems, data.get("travel_mode"), "travel_mode", TravelMode, _("Pilih moda perjalanan.")
        ),
        "escort_user_id": escort_user.id if escort_user else None,
        "escort_name": escort_name,
        **_handover(problems, data, columns),
        "notes": (data.get("notes") or "").strip() or None,
    }
    if values["to_region_code"] is None and "to_region_code" not in problems.fields:
        problems.add("to_region_code", _("Pilih desa/kelurahan asal."))
    location = parse_location(problems, data)
    problems.raise_any()
    plan = ReturnPlan(uuid=plan_uuid, case_id=case.id, planned_by_id=actor.id, **values)
    facts = {"return": str(plan_uuid), "to_region_code": values["to_region_code"]}
    with changing(case, case.version, "return_planned", actor, location, **facts):
        db.session.add(plan)
    return plan, True


def _check(plan, version, status):
    """Refuses a step at a stale ``version`` of the plan, or when the plan is not ``status``."""
    if version is None or str(version).strip() != str(plan.version):
        raise Conflict(stale_message())
    if plan.status != status:
        raise Conflict(_("Langkah ini tidak bisa dilakukan pada tahap pemulangan sekarang."))


def record_departure(plan, actor, version, data, today=None):
    """Planned → departed, on ``departed_on`` (not in the future)."""
    today = today or date.today()
    _check(plan, version, ReturnStatus.PLANNED)
    case = plan.case
    problems = Problems()
    departed = required_date(
        problems, data, "departed_on", today, case.intake_date, _("Tanggal berangkat tidak boleh sebelum penerimaan.")
    )
    location = parse_location(problems, data)
    problems.raise_any()
    with changing(case, case.version, "return_departed", actor, location, **{"return": str(plan.uuid)}):
        plan.status, plan.departed_on = ReturnStatus.DEPARTED, departed
        flush_versioned(stale_message)
    return plan


def confirm_arrival(plan, actor, version, data, today=None):
    """Departed → arrived, on ``arrived_on``, received by the person named in ``received_by``."""
    today = today or date.today()
    _check(plan, version, ReturnStatus.DEPARTED)
    case = plan.case
    problems = Problems()
    arrived = required_date(
        problems, data, "arrived_on", today, plan.departed_on, _("Tanggal tiba tidak boleh sebelum tanggal berangkat.")
    )
    columns = ReturnPlan.__table__.c
    received_by = text(problems, data, columns.received_by, required=True)
    notes = (data.get("arrival_notes") or "").strip() or None
    location = parse_location(problems, data)
    problems.raise_any()
    with changing(case, case.version, "return_arrived", actor, location, **{"return": str(plan.uuid)}):
        plan.status, plan.arrived_on, plan.received_by, plan.arrival_notes = (
            ReturnStatus.ARRIVED,
            arrived,
            received_by,
            notes,
        )
        flush_versioned(stale_message)
    return plan
