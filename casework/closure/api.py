"""API endpoints for closing a case with approval, and for reopening it, through the same operations as the pages.

A proposal carries the device's UUID (a retry returns the first closure,
200 instead of 201) and the case ``version``; a decision carries the
closure's ``version``. A stale version, a decided closure or a closed case
is a 409 carrying the record as it is now under ``current``; deciding one's
own proposal is a 403.
"""

from contextlib import contextmanager

from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_json
from casework.cases import queries
from casework.cases.api import case_json, located
from casework.cases.schemas import CaseSchema, TerminationSchema
from casework.closure import services
from casework.closure.schemas import ClosureSchema, DecisionSchema, ReasonedSchema
from casework.core.errors import Conflict, current_on_conflict
from casework.core.permissions import require
from casework.extensions import db

_CLOSURE = ClosureSchema()
_PROPOSAL = TerminationSchema()
_DECISION = DecisionSchema()
_REASONED = ReasonedSchema()


def _case(case_uuid):
    """The caller's agency's case (404 otherwise)."""
    return queries.readable_case(current_user, case_uuid)


@contextmanager
def _closure_on_conflict(closure):
    """Turns a refused decision into a 409 carrying the closure as it is now."""
    try:
        yield
    except Conflict as error:
        db.session.rollback()
        error.current = _CLOSURE.dump(closure)
        raise


@bp.get("/cases/<case_uuid>/closures")
@require("cases.view")
@documented(ClosureSchema, many=True)
def list_closures(case_uuid):
    """The case's closure proposals and their decisions, latest first."""
    return {"items": _CLOSURE.dump(services.closures(_case(case_uuid)), many=True)}


@bp.post("/cases/<case_uuid>/closures")
@require("cases.manage")
@documented(ClosureSchema, body=TerminationSchema, status=(201, 200))
def propose_closure(case_uuid):
    """Proposes to close the case; it stays open until a supervisor approves. 201 when proposed, 200 on a retry.

    ``version`` is the case's; one closure may wait per case (409 otherwise).
    """
    case = _case(case_uuid)
    data = located(load_json(_PROPOSAL))
    version, closure_uuid = data.pop("version"), data.pop("uuid", None)
    with current_on_conflict(lambda: case_json(case)):
        closure, created = services.propose_closure(case, current_user, version, data, uuid=closure_uuid)
    body = _CLOSURE.dump(closure)
    db.session.commit()
    return body, 201 if created else 200


def _decision(case_uuid, closure_uuid, schema, operation):
    """Runs ``operation`` on the case's closure with the body loaded by ``schema``; answers the closure."""
    closure = services.case_closure(_case(case_uuid), closure_uuid)
    data = located(load_json(schema))
    with _closure_on_conflict(closure):
        operation(closure, current_user, data.pop("version"), data)
    body = _CLOSURE.dump(closure)
    db.session.commit()
    return body


@bp.post("/cases/<case_uuid>/closures/<closure_uuid>/approval")
@require("cases.close_decide")
@documented(ClosureSchema, body=DecisionSchema)
def approve_closure(case_uuid, closure_uuid):
    """Approves a waiting closure (not one's own: 403): the case is terminated and its aftercare starts if given.

    ``version`` is the closure's; of two decisions at once one wins, the other is a 409.
    """
    return _decision(case_uuid, closure_uuid, _DECISION, services.approve_closure)


@bp.post("/cases/<case_uuid>/closures/<closure_uuid>/rejection")
@require("cases.close_decide")
@documented(ClosureSchema, body=ReasonedSchema)
def reject_closure(case_uuid, closure_uuid):
    """Rejects a waiting closure with a ``reason`` (not one's own: 403); the case stays open."""
    return _decision(case_uuid, closure_uuid, _REASONED, services.reject_closure)


@bp.post("/cases/<case_uuid>/reopening")
@require("cases.close_decide")
@documented(CaseSchema, body=ReasonedSchema)
def reopen_case(case_uuid):
    """Reopens a terminated or aftercare case with a ``reason``; ``version`` is the case's.

    The case returns to intervention (or the last stage its assessment and
    plan allow); its outcome and aftercare period are cleared, and kept in
    its closures and timeline.
    """
    case = _case(case_uuid)
    data = located(load_json(_REASONED))
    with current_on_conflict(lambda: case_json(case)):
        services.reopen(case, current_user, data.pop("version"), data)
    body = case_json(case)
    db.session.commit()
    return body
