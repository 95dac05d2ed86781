"""API endpoints for cases, through the same operations as the case pages.

A create carries the device's UUID: a retry returns the first record (200
instead of 201). Every change of a case carries the ``version`` it was read
at; a stale version, or a step the case's stage does not allow, is a 409
whose envelope carries the case as it is now under ``current``. Deliveries
and notes are additions, not changes of the case, so they need no version.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from casework.access import gate
from casework.access.services import break_glass as grant_break_glass
from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_args, load_json
from casework.cases import deliveries, intake, notes, queries, stages, stays
from casework.cases.intake import parse_location
from casework.cases.models import Case, CaseEvent, CaseNeed, CaseNote, ServiceDelivery
from casework.cases.schemas import (
    AdmissionSchema,
    AftercareSchema,
    AssessmentSchema,
    AssessmentStartSchema,
    AssignmentSchema,
    BreakGlassGrantSchema,
    BreakGlassSchema,
    CaseCreateSchema,
    CaseEventSchema,
    CaseFilterSchema,
    CaseNoteCreateSchema,
    CaseNoteSchema,
    CasePatchSchema,
    CaseSchema,
    DischargeSchema,
    InterventionPlanSchema,
    ServiceDeliveryCreateSchema,
    ServiceDeliverySchema,
    SettingChangeSchema,
)
from casework.clients.queries import readable_client
from casework.core.errors import NotFound, ValidationFailed, current_on_conflict
from casework.core.lookup import row_by_id
from casework.core.pagination import COUNT_BOUND, keyset_meta, keyset_paginate, page_meta, paginate
from casework.core.permissions import require
from casework.core.validation import Problems
from casework.extensions import db
from casework.reference.models import Service

# Schemas keep no request state (marshmallow 4 has no context), so one instance serves every request:
# building one costs about a millisecond, a tenth of a delivery's whole request.
_CASE = CaseSchema()
_CASE_FILTER = CaseFilterSchema()
_CASE_CREATE = CaseCreateSchema()
_CASE_PATCH = CasePatchSchema()
_DELIVERY_CREATE = ServiceDeliveryCreateSchema()
_DELIVERY = ServiceDeliverySchema()
_NOTE_CREATE = CaseNoteCreateSchema()
_NOTE = CaseNoteSchema()
_EVENT = CaseEventSchema()
_BREAK_GLASS = BreakGlassSchema()
_GRANT = BreakGlassGrantSchema()


def _cases_json(cases):
    """The cases as the API returns them, each with its overdue kinds (one query per kind for them all)."""
    flags = queries.overdue_flags(current_user.agency, [case.id for case in cases])
    return [{**_CASE.dump(case), "overdue": flags[case.id]} for case in cases]


def case_json(case):
    """One case as the API returns it."""
    return _cases_json([case])[0]


def _case(case_uuid, *options):
    """The caller's agency's case ``case_uuid``, loaded with ``options`` (404 otherwise)."""
    return queries.readable_case(current_user, case_uuid, *options)


# What ``case_json`` reads of a case beyond its row, loaded with it in one query.
SHOWN = (joinedload(Case.client), joinedload(Case.needs), joinedload(Case.stays))


def _naming_service(values):
    """(``values`` with the id of the service named by ``service_id`` or ``service`` slug, that service or None).

    An unknown service keeps the id as given, for the operation to refuse.
    The caller keeps the service while the operation runs, so the operation's
    lookup by id and the answer's slug come from the session, not the database.
    """
    if values.get("service_id") is None and values.get("service"):
        service = db.session.scalar(sa.select(Service).where(Service.slug == values["service"]))
    else:
        service = row_by_id(Service, values.get("service_id"))
    return {**values, "service_id": service.id if service else values.get("service_id")}, service


def _service_named(values):
    """The ``delivery_case`` arguments naming the service: ``service_id`` (an int), or without it the slug."""
    if values.get("service_id") is None:
        return {"service_slug": values.get("service")}
    return {"service_id": values["service_id"]}


def located(values):
    """``values`` with the device's position as the ``location`` the case operations take for the timeline."""
    problems = Problems()
    values["location"] = parse_location(problems, {key: values.pop(key, None) for key in ("latitude", "longitude")})
    problems.raise_any()
    return values


@bp.get("/cases")
@require("cases.view")
@documented(CaseSchema, query=CaseFilterSchema, paging=("cursor", "offset"))
def list_cases():
    """The agency's cases, filtered as on the caseload; newest first by ``cursor``, or a search ``q`` by ``page``.

    Without ``q`` the list is walked with ``cursor``/``next_cursor`` from the
    case opened last, neither skipping nor repeating a case opened meanwhile.
    A search is paged by ``page`` with totals, latest intake first.
    """
    filters = load_args(_CASE_FILTER)
    holder = current_user.id if filters.pop("mine", False) else None
    found = queries.caseload(current_user.agency, caseworker_id=holder, **filters, user=current_user).options(
        selectinload(Case.needs).joinedload(CaseNeed.service)
    )
    if filters.get("q", "").strip():
        parts = queries.caseload_parts(current_user.agency, caseworker_id=holder, **filters, user=current_user)
        page = paginate(found, bound=COUNT_BOUND, parts=parts)
        gate.hide_unreadable(current_user, [case.client_id for case in page.items])
        return {"items": _cases_json(page.items), **page_meta(page)}
    page = keyset_paginate(found, (Case.created_at, Case.id), descending=True)
    gate.hide_unreadable(current_user, [case.client_id for case in page.items])
    return {"items": _cases_json(page.items), **keyset_meta(page)}


@bp.post("/cases")
@require("cases.manage")
@documented(CaseSchema, body=CaseCreateSchema, status=(201, 200))
def create_case():
    """Opens a case at intake for a registered client; 201 when opened, 200 when the UUID was already used."""
    data = load_json(_CASE_CREATE)
    case_uuid = data.pop("uuid", None)
    try:
        client = readable_client(current_user, data.pop("client_uuid"))
    except NotFound as error:
        raise ValidationFailed(error.message, fields={"client_uuid": [_("Klien tidak ditemukan.")]}) from error
    case, created = intake.open_case(current_user.agency, current_user, client, data, uuid=case_uuid)
    body = case_json(case)
    db.session.commit()
    return body, 201 if created else 200


@bp.get("/cases/<case_uuid>")
@require("cases.view")
@documented(CaseSchema)
def get_case(case_uuid):
    """One case of the agency: intake, stage, needs, current stay, overdue kinds and version."""
    return case_json(_case(case_uuid, *SHOWN))


@bp.post("/cases/<case_uuid>/break-glass")
@require("cases.manage")
@documented(BreakGlassGrantSchema, body=BreakGlassSchema, status=201)
def break_glass(case_uuid):
    """Emergency access to a restricted case's client: a ``reason`` (20+ characters), for ``BREAK_GLASS_MINUTES``.

    Audited as ``access.break_glass`` and reported to the supervisors of the
    case's unit; a case the caller may read already is a 409.
    """
    case = queries.agency_case(current_user.agency_id, case_uuid)
    grant = grant_break_glass(current_user, case, load_json(_BREAK_GLASS)["reason"])
    body = _GRANT.dump({"case_uuid": case.uuid, "granted_at": grant.granted_at, "expires_at": grant.expires_at})
    db.session.commit()
    return body, 201


@bp.patch("/cases/<case_uuid>")
@require("cases.manage")
@documented(CaseSchema, body=CasePatchSchema)
def update_case(case_uuid):
    """Corrects the intake fields given; ``version`` is required and a stale one gets the current case in a 409."""
    case = _case(case_uuid, *SHOWN)
    changes = load_json(_CASE_PATCH)
    version = changes.pop("version")
    with current_on_conflict(lambda: case_json(case)):
        intake.update_intake(case, current_user, version, changes)
    body = case_json(case)
    db.session.commit()
    return body


def _assign(case, actor, version, data):
    """Hands the case to the unit and caseworker in ``data``."""
    return intake.assign_case(case, actor, version, data.get("unit_id"), data.get("caseworker_id"))


# The steps of a case, each a POST sub-resource taking the case version: path, operation, input, permission, summary.
STEPS = (
    ("assessment/start", stages.begin_assessment, AssessmentStartSchema, "cases.manage", "Intake → assessment."),
    (
        "assessment",
        stages.complete_assessment,
        AssessmentSchema,
        "cases.manage",
        "Assessment → planning: condition and needs (services by id or slug); derives the SPM service type.",
    ),
    (
        "plan",
        stages.record_plan,
        InterventionPlanSchema,
        "cases.manage",
        "Planning → intervention: goals and target dates.",
    ),
    ("aftercare", stages.begin_aftercare, AftercareSchema, "cases.manage", "Terminated → aftercare monitoring."),
    (
        "admissions",
        stays.admit,
        AdmissionSchema,
        "cases.manage",
        "Admits the client to a rumah singgah, shelter or panti (a move ends the open stay).",
    ),
    ("discharge", stays.discharge, DischargeSchema, "cases.manage", "Ends the open stay: to family or community."),
    ("setting", stays.set_setting, SettingChangeSchema, "cases.manage", "Moves the case between family and community."),
    ("assignment", _assign, AssignmentSchema, "cases.assign", "Hands the case to another unit and caseworker."),
)


def _step_view(operation, schema):
    """A view running ``operation`` on the URL's case with the body loaded by ``schema``; answers the case."""

    def view(case_uuid):
        case = _case(case_uuid)
        data = located(load_json(schema))
        version = data.pop("version")
        # The named services stay referenced (so in the session) until the operation has run.
        named = [_naming_service(need) for need in data.get("needs", ())]
        if named:
            data["needs"] = [need for need, _service in named]
        with current_on_conflict(lambda: case_json(case)):
            operation(case, current_user, version, data)
        body = case_json(case)
        db.session.commit()
        return body

    return view


def _add_steps():
    """Adds one documented endpoint per step, named after its path (``api.case_assessment_start``)."""
    for path, operation, schema, permission, summary in STEPS:
        view = _step_view(operation, schema())
        view.__name__ = view.__qualname__ = "case_" + path.replace("/", "_")
        view.__doc__ = f"{summary}\n\n``version`` is required; a stale one or a step out of order is a 409."
        view = require(permission)(documented(CaseSchema, body=schema)(view))
        bp.add_url_rule(f"/cases/<case_uuid>/{path}", view_func=view, methods=["POST"])


_add_steps()


@bp.post("/cases/<case_uuid>/deliveries")
@require("cases.manage")
@documented(ServiceDeliverySchema, body=ServiceDeliveryCreateSchema, status=(201, 200))
def create_delivery(case_uuid):
    """Records a service delivered (by id or slug); 201 when recorded, 200 when the UUID was already recorded.

    No case version is needed. The delivery that completes every need the
    assessment found sets the case's ``needs_met_on``.
    """
    # The body is read first, for the case, the service and the case's need of it (the delivery may meet
    # it) to come in one query; a missing case is still a 404 before a bad body's 422.
    try:
        data, invalid = load_json(_DELIVERY_CREATE), None
    except ValidationFailed as error:
        data, invalid = {}, error
    case, service, need = deliveries.delivery_case(current_user.agency_id, case_uuid, **_service_named(data))
    gate.admit_case(current_user, case)
    if invalid is not None:
        raise invalid
    if service is not None:
        data = {**data, "service_id": service.id}
    with current_on_conflict(lambda: case_json(case)):
        delivery, created = deliveries.record_delivery(
            case, current_user, data, uuid=data.pop("uuid", None), needs=[need] if need else []
        )
    # Read before the commit, which would expire the rows and cost two more queries to read them back.
    body = _DELIVERY.dump(delivery)
    db.session.commit()
    return body, 201 if created else 200


@bp.get("/cases/<case_uuid>/deliveries")
@require("cases.view")
@documented(ServiceDeliverySchema, paging="cursor")
def list_deliveries(case_uuid):
    """The case's deliveries, latest recorded first, walked with ``cursor``/``next_cursor``."""
    found = queries.deliveries_select(_case(case_uuid))
    page = keyset_paginate(found, (ServiceDelivery.created_at, ServiceDelivery.id), descending=True)
    return {"items": _DELIVERY.dump(page.items, many=True), **keyset_meta(page)}


@bp.post("/cases/<case_uuid>/notes")
@require("cases.manage")
@documented(CaseNoteSchema, body=CaseNoteCreateSchema, status=(201, 200))
def create_note(case_uuid):
    """Adds a note to the case; 201 when added, 200 when the UUID was already added."""
    case = _case(case_uuid)
    data = load_json(_NOTE_CREATE)
    note, created = notes.add_note(case, current_user, data, uuid=data.pop("uuid", None))
    body = _NOTE.dump(note)
    db.session.commit()
    return body, 201 if created else 200


@bp.get("/cases/<case_uuid>/notes")
@require("cases.view")
@documented(CaseNoteSchema, paging="cursor")
def list_notes(case_uuid):
    """The case's notes, latest first, walked with ``cursor``/``next_cursor``."""
    found = sa.select(CaseNote).where(CaseNote.case_id == _case(case_uuid).id)
    page = keyset_paginate(found, (CaseNote.created_at, CaseNote.id), descending=True)
    return {"items": _NOTE.dump(page.items, many=True), **keyset_meta(page)}


@bp.get("/cases/<case_uuid>/timeline")
@require("cases.view")
@documented(CaseEventSchema, paging="cursor")
def case_timeline(case_uuid):
    """The case's timeline, latest first, walked with ``cursor``/``next_cursor``."""
    found = queries.timeline_select(_case(case_uuid))
    page = keyset_paginate(found, (CaseEvent.at, CaseEvent.id), descending=True)
    return {"items": _EVENT.dump(page.items, many=True), **keyset_meta(page)}
