"""API endpoints for triage, through the same operations as the triage pages.

``GET /reports`` is the caller's queue (a supervisor's unit, an
administrator's agency), emergencies first, then the longest waiting.
Every step is a POST sub-resource of ``/reports/<uuid>`` carrying the
report's ``version``; a stale version, or a decision on a report decided
already, is a 409 whose envelope carries the report as it is now under
``current``; a new client who looks like a registered one is a 409 carrying
the candidates instead (send ``client_uuid``, or ``confirm_new``).
"""

from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_json
from casework.clients.schemas import CandidateSchema
from casework.clients.services import PossibleDuplicate
from casework.core.errors import Conflict
from casework.core.pagination import COUNT_BOUND, page_meta, paginate
from casework.core.permissions import require
from casework.extensions import db
from casework.findings import queue, triage
from casework.findings.triage_schemas import TriageDecisionSchema, TriageDetailSchema, TriageReportSchema

_REPORT = TriageReportSchema()
_DETAIL = TriageDetailSchema()
_DECISION = TriageDecisionSchema()


@bp.get("/reports")
@require("findings.triage")
@documented(TriageReportSchema, paging="offset")
def triage_queue():
    """The reports waiting for the caller's decision: emergencies first, then the longest waiting."""
    page = paginate(queue.queue_select(current_user), bound=COUNT_BOUND)
    return {"items": _REPORT.dump(page.items, many=True), **page_meta(page)}


@bp.get("/reports/<report_uuid>")
@require("findings.triage")
@documented(TriageDetailSchema)
def triage_report(report_uuid):
    """One report of the agency with its history, response times and the clients it may be about."""
    return _DETAIL.dump(queue.agency_report(current_user.agency_id, report_uuid))


def _current(report, error):
    """What a 409 carries: the candidates when a new client looks registered, else the report as it is now."""
    if isinstance(error, PossibleDuplicate):
        return {"confirmable": error.confirmable, "candidates": CandidateSchema().dump(error.matches, many=True)}
    return _REPORT.dump(report)


def _step_view(action):
    """A view taking ``action`` on the URL's report at the body's ``version``; answers the report."""
    operation = triage.OPERATIONS[action]

    def view(report_uuid):
        report = queue.agency_report(current_user.agency_id, report_uuid)
        data = load_json(_DECISION)
        version = data.pop("version")
        try:
            operation(report, current_user, version, data)
        except Conflict as error:
            db.session.rollback()
            error.current = _current(report, error)
            raise
        body = _REPORT.dump(report)
        db.session.commit()
        return body

    return view


# Each step, a POST sub-resource taking the report's version: its summary.
STEP_SUMMARIES = {
    "review": "Starts the review (received → under_review); the reporter sees it.",
    "open-case": "Opens a case from the report for `client_uuid` or a new client (→ case_opened).",
    "attach": "Attaches the report to the open case `case_number` (→ case_attached).",
    "forward-unit": "Moves the report to the queue of unit `unit_id`; it keeps waiting.",
    "forward-agency": "Hands the report to another agency or service `name` (→ forwarded).",
    "close": "Closes the report with a `reason` (→ closed); `duplicate_of` names the report it repeats.",
    "visit": "Records the first visit to the person on `visited_on` (once).",
}


def _add_steps():
    """Adds one documented endpoint per step (``api.report_review`` ...)."""
    for action, summary in STEP_SUMMARIES.items():
        view = _step_view(action)
        view.__name__ = view.__qualname__ = f"report_{action.replace('-', '_')}"
        view.__doc__ = f"{summary}\n\n``version`` is required; a stale one or a decided report is a 409."
        view = require("findings.triage")(documented(TriageReportSchema, body=TriageDecisionSchema)(view))
        bp.add_url_rule(f"/reports/<report_uuid>/{action}", view_func=view, methods=["POST"])


_add_steps()
