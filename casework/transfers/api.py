"""API endpoints for transfers and returns, through the same operations as the pages.

Creates carry the device's ``uuid`` (a retry answers 200 with the first
record). Decisions and steps carry the ``version`` of the transfer or return
plan; a stale one, or a step in the wrong state, is a 409 whose envelope
carries the record as it is now under ``current``. The proposer deciding
their own proposal is a 403; another agency's case or transfer is a 404.
"""

from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_args, load_json
from casework.cases.queries import readable_case
from casework.core.errors import current_on_conflict
from casework.core.pagination import page_meta, paginate
from casework.core.permissions import require
from casework.extensions import db
from casework.transfers import queries, returns, services
from casework.transfers.schemas import (
    ArrivalSchema,
    DepartureSchema,
    ReturnPlanCreateSchema,
    ReturnPlanSchema,
    TransferAcceptSchema,
    TransferCreateSchema,
    TransferDecisionSchema,
    TransferDeclineSchema,
    TransferFilterSchema,
    TransferSchema,
)

_TRANSFER = TransferSchema()
_PLAN = ReturnPlanSchema()
_FILTER = TransferFilterSchema()


@bp.get("/transfers")
@require("cases.view")
@documented(TransferSchema, query=TransferFilterSchema, paging="offset")
def list_transfers():
    """The agency's outgoing transfers (``direction=out``) or the approved ones coming in (``direction=in``)."""
    filters = load_args(_FILTER)
    lister = queries.incoming if filters["direction"] == "in" else queries.outgoing
    page = paginate(lister(current_user.agency_id, filters.get("status")))
    return {"items": _TRANSFER.dump(page.items, many=True), **page_meta(page)}


@bp.get("/transfers/<transfer_uuid>")
@require("cases.view")
@documented(TransferSchema)
def get_transfer(transfer_uuid):
    """One transfer, for the sending agency, or for the receiving one once approved."""
    return _TRANSFER.dump(services.readable_transfer(current_user, transfer_uuid))


@bp.post("/cases/<case_uuid>/transfers")
@require("transfers.propose")
@documented(TransferSchema, body=TransferCreateSchema, status=(201, 200))
def create_transfer(case_uuid):
    """Proposes transferring the open case to another agency; 201 when proposed, 200 when the UUID was used."""
    case = readable_case(current_user, case_uuid)
    data = load_json(TransferCreateSchema())
    transfer, created = services.propose_transfer(case, current_user, data, uuid=data.pop("uuid", None))
    body = _TRANSFER.dump(transfer)
    db.session.commit()
    return body, 201 if created else 200


def _transfer_step(transfer_uuid, schema, operation):
    """Runs a decision on the caller's visible transfer with the body loaded by ``schema``; answers the transfer."""
    transfer = services.readable_transfer(current_user, transfer_uuid)
    data = load_json(schema)
    version = data.pop("version")
    with current_on_conflict(lambda: _TRANSFER.dump(transfer)):
        operation(transfer, current_user, version, data)
    body = _TRANSFER.dump(transfer)
    db.session.commit()
    return body


@bp.post("/transfers/<transfer_uuid>/approve")
@require("transfers.decide")
@documented(TransferSchema, body=TransferDecisionSchema)
def approve_transfer(transfer_uuid):
    """The sending agency's supervisor (never the proposer) approves; the receiving agency then sees it."""

    def approve(transfer, actor, version, data):
        return services.decide_transfer(transfer, actor, version, data, approve=True)

    return _transfer_step(transfer_uuid, TransferDecisionSchema(), approve)


@bp.post("/transfers/<transfer_uuid>/reject")
@require("transfers.decide")
@documented(TransferSchema, body=TransferDecisionSchema)
def reject_transfer(transfer_uuid):
    """The sending agency's supervisor (never the proposer) rejects, with ``decision_note``."""

    def reject(transfer, actor, version, data):
        return services.decide_transfer(transfer, actor, version, data, approve=False)

    return _transfer_step(transfer_uuid, TransferDecisionSchema(), reject)


@bp.post("/transfers/<transfer_uuid>/accept")
@require("transfers.decide")
@documented(TransferSchema, body=TransferAcceptSchema)
def accept_transfer(transfer_uuid):
    """The receiving agency accepts: the case, with its history, moves to it under a new case number."""
    return _transfer_step(transfer_uuid, TransferAcceptSchema(), services.accept_transfer)


@bp.post("/transfers/<transfer_uuid>/decline")
@require("transfers.decide")
@documented(TransferSchema, body=TransferDeclineSchema)
def decline_transfer(transfer_uuid):
    """The receiving agency declines, with ``answer_note``; the case stays with the sender."""
    return _transfer_step(transfer_uuid, TransferDeclineSchema(), services.decline_transfer)


@bp.get("/cases/<case_uuid>/returns")
@require("cases.view")
@documented(ReturnPlanSchema, many=True)
def list_returns(case_uuid):
    """The case's return-to-origin plans, latest first."""
    case = readable_case(current_user, case_uuid)
    return {"items": _PLAN.dump(returns.returns_of(case), many=True)}


@bp.post("/cases/<case_uuid>/returns")
@require("cases.manage")
@documented(ReturnPlanSchema, body=ReturnPlanCreateSchema, status=(201, 200))
def create_return(case_uuid):
    """Plans the client's return to their village of origin; 201 when planned, 200 when the UUID was used."""
    case = readable_case(current_user, case_uuid)
    data = load_json(ReturnPlanCreateSchema())
    plan, created = returns.plan_return(case, current_user, data, uuid=data.pop("uuid", None))
    body = _PLAN.dump(plan)
    db.session.commit()
    return body, 201 if created else 200


def _return_step(case_uuid, plan_uuid, schema, operation):
    """Runs a step of the case's return plan with the body loaded by ``schema``; answers the plan."""
    plan = returns.case_return(readable_case(current_user, case_uuid), plan_uuid)
    data = load_json(schema)
    version = data.pop("version")
    with current_on_conflict(lambda: _PLAN.dump(plan)):
        operation(plan, current_user, version, data)
    body = _PLAN.dump(plan)
    db.session.commit()
    return body


@bp.post("/cases/<case_uuid>/returns/<plan_uuid>/departure")
@require("cases.manage")
@documented(ReturnPlanSchema, body=DepartureSchema)
def return_departure(case_uuid, plan_uuid):
    """Planned → departed, on ``departed_on``."""
    return _return_step(case_uuid, plan_uuid, DepartureSchema(), returns.record_departure)


@bp.post("/cases/<case_uuid>/returns/<plan_uuid>/arrival")
@require("cases.manage")
@documented(ReturnPlanSchema, body=ArrivalSchema)
def return_arrival(case_uuid, plan_uuid):
    """Departed → arrived, on ``arrived_on``, received by ``received_by``; the case may then be closed."""
    return _return_step(case_uuid, plan_uuid, ArrivalSchema(), returns.confirm_arrival)
