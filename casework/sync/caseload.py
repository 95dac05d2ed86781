"""What a user's caseload is, and its records exactly as the existing API's GETs return them.

The caseload, per role:

- caseworker (and admin, though only caseworkers and supervisors may hold a
  case): the cases they are the caseworker of that are
  open (intake to intervention) or in aftercare with a visit not made yet;
  those cases' clients, service deliveries, notes, tracing requests (with
  their leads) and aftercare visits;
- supervisor: the same for the cases where *they* are the caseworker, not
  their whole unit: a tablet holds what its user works on;
- volunteer: the findings they filed (the aftercare model assigns visits to
  nobody, so none); no case or client data (they hold no ``cases.view``).

Every record carries ``uuid`` (aftercare visits: ``id``, their only key in
the API) and ``version`` where the record has one (deliveries and notes are
additions, never changed, and have none); records of a case carry
``case_uuid`` so the device can file them.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from casework.aftercare.models import AftercareVisit
from casework.aftercare.schemas import AftercareVisitSchema
from casework.cases import queries
from casework.cases.models import OPEN_STAGES, Case, CaseNeed, CaseNote, CaseStay, ServiceDelivery, Stage
from casework.cases.schemas import CaseNoteSchema, CaseSchema, ServiceDeliverySchema
from casework.clients.models import Client, ClientCategory
from casework.clients.schemas import ClientSchema
from casework.core.permissions import can
from casework.extensions import db
from casework.findings.models import Report, ReportKind
from casework.findings.schemas import ReportStatusSchema
from casework.reference.models import Region
from casework.tracing.models import TracingRequest
from casework.tracing.schemas import TracingRequestSchema

KINDS = ("cases", "clients", "deliveries", "notes", "tracing_requests", "aftercare_visits", "findings")
# The records that belong to a case: feed kind → (model, schema, key the device files them by, eager loads).
CASE_RECORDS = {
    "deliveries": (ServiceDelivery, ServiceDeliverySchema(), "uuid", (joinedload(ServiceDelivery.service),)),
    "notes": (CaseNote, CaseNoteSchema(), "uuid", ()),
    "tracing_requests": (TracingRequest, TracingRequestSchema(), "uuid", (selectinload(TracingRequest.leads),)),
    "aftercare_visits": (
        AftercareVisit,
        AftercareVisitSchema(),
        "id",
        (joinedload(AftercareVisit.case).joinedload(Case.client).joinedload(Client.domicile_region),),
    ),
}
_CASE = CaseSchema()
_CLIENT = ClientSchema()
_REPORT = ReportStatusSchema()
_CASE_OPTIONS = (
    joinedload(Case.client),
    joinedload(Case.spm_service_type),
    selectinload(Case.needs).joinedload(CaseNeed.service),
    selectinload(Case.stays).joinedload(CaseStay.unit),
)
_CLIENT_OPTIONS = (
    selectinload(Client.categories).joinedload(ClientCategory.category),
    joinedload(Client.photo),
    joinedload(Client.merged_into),
)
_REPORT_OPTIONS = (joinedload(Report.region), joinedload(Report.case), selectinload(Report.photos))


@dataclass(frozen=True)
class Members:
    """The ids of the cases, clients and findings in a caseload."""

    case_ids: frozenset
    client_ids: frozenset
    report_ids: frozenset


def _case_ids(user):
    """The ids of the user's caseload cases (none for a role that reads no cases)."""
    if not can(user, "cases.view"):
        return frozenset()
    visit_ahead = sa.exists().where(AftercareVisit.case_id == Case.id, AftercareVisit.visited_on.is_(None))
    select = sa.select(Case.id).where(
        Case.agency_id == user.agency_id,
        Case.caseworker_id == user.id,
        sa.or_(Case.stage.in_(OPEN_STAGES), sa.and_(Case.stage == Stage.AFTERCARE, visit_ahead)),
    )
    return frozenset(db.session.scalars(select))


def members(user):
    """The user's caseload now (three small id queries)."""
    case_ids = _case_ids(user)
    client_ids = frozenset(db.session.scalars(sa.select(Case.client_id).where(Case.id.in_(case_ids)).distinct()))
    report_ids = frozenset()
    if can(user, "findings.submit"):
        own = sa.select(Report.id).where(Report.reported_by_id == user.id, Report.kind == ReportKind.FINDING)
        report_ids = frozenset(db.session.scalars(own))
    return Members(case_ids, client_ids, report_ids)


def _by_ids(model, ids, options):
    """The rows of ``model`` with the given ids, loaded with ``options``, in id order."""
    if not ids:
        return []
    return list(db.session.scalars(sa.select(model).where(model.id.in_(ids)).options(*options).order_by(model.id)))


def cases(user, ids):
    """The cases ``ids`` as ``GET /api/v1/cases/<uuid>`` returns each (with the overdue kinds)."""
    found = _by_ids(Case, ids, _CASE_OPTIONS)
    flags = queries.overdue_flags(user.agency, [case.id for case in found])
    return found, [{**_CASE.dump(case), "overdue": flags[case.id]} for case in found]


def _identity_regions(clients):
    """The regions the clients' NIK and KK numbers name (digits 1–6), in one query.

    Their identity warnings look each code up by primary key; with the rows
    held here those lookups are answered from the session, not one query each.
    """
    codes = set()
    for client in clients:
        for number in (client.nik, client.kk_number):
            if number and number[:6].isdigit() and len(number) >= 6:
                codes |= {number[:2], f"{number[:2]}.{number[2:4]}", f"{number[:2]}.{number[2:4]}.{number[4:6]}"}
    return db.session.scalars(sa.select(Region).where(Region.code.in_(codes))).all() if codes else []


def clients(ids):
    """The clients ``ids`` as ``GET /api/v1/clients/<uuid>`` returns each."""
    found = _by_ids(Client, ids, _CLIENT_OPTIONS)
    held = _identity_regions(found)  # kept referenced while dumping: the session holds rows only weakly
    dumped = _CLIENT.dump(found, many=True)
    del held
    return found, dumped


def findings(ids):
    """The findings ``ids`` as ``GET /api/v1/findings/<uuid>`` returns each (status only)."""
    return _REPORT.dump(_by_ids(Report, ids, _REPORT_OPTIONS), many=True)


def case_records(kind, condition, case_uuids):
    """The ``kind`` records matching ``condition``, each as its API returns it plus its ``case_uuid``."""
    model, schema, _key, options = CASE_RECORDS[kind]
    found = db.session.scalars(sa.select(model).where(condition).options(*options).order_by(model.id))
    return [{**schema.dump(row), "case_uuid": case_uuids[row.case_id]} for row in found]


def case_uuids(case_ids):
    """{case id: its uuid as text} for ``case_ids``."""
    if not case_ids:
        return {}
    rows = db.session.execute(sa.select(Case.id, Case.uuid).where(Case.id.in_(case_ids)))
    return {case_id: str(uuid) for case_id, uuid in rows}
