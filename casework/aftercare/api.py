"""API endpoints for the exit assessment, aftercare visits and the graduation figures, through the same services.

The exit assessment carries the device's UUID (a retry returns it, 200) and,
when replacing one, its ``version``; a visit carries the slot's ``version``. A
stale version or a step the case does not allow is a 409 carrying the record
as it is now. A volunteer sees and records only the visits of clients living
in their region scope.
"""

from flask_babel import gettext as _
from flask_login import current_user

from casework.aftercare import figures, queries, services
from casework.aftercare.schemas import (
    AftercareVisitRecordSchema,
    AftercareVisitSchema,
    EarlyWarningSchema,
    ExitAssessmentInputSchema,
    ExitAssessmentSchema,
    GraduationFiguresSchema,
    GraduationPeriodSchema,
)
from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_args, load_json
from casework.cases.api import located
from casework.cases.queries import readable_case
from casework.core.errors import NotFound, current_on_conflict
from casework.core.pagination import page_meta, paginate
from casework.core.permissions import require
from casework.extensions import db
from casework.figures.achievement import Period

_ASSESSMENT = ExitAssessmentSchema()
_VISIT = AftercareVisitSchema()
_WARNING = EarlyWarningSchema()


def _assessment(case):
    """The case's exit assessment (404 when none was recorded)."""
    found = services.exit_assessment(case)
    if found is None:
        raise NotFound(_("Asesmen akhir belum dicatat."))
    return found


def _current_assessment(case):
    """The case's exit assessment as it is now, for a 409 (None when there is none)."""
    found = services.exit_assessment(case)
    return _ASSESSMENT.dump(found) if found else None


@bp.get("/cases/<case_uuid>/exit-assessment")
@require("cases.view")
@documented(ExitAssessmentSchema)
def get_exit_assessment(case_uuid):
    """The case's exit assessment: scores, index, decision and graduation type."""
    return _ASSESSMENT.dump(_assessment(readable_case(current_user, case_uuid)))


@bp.put("/cases/<case_uuid>/exit-assessment")
@require("cases.manage")
@documented(ExitAssessmentSchema, body=ExitAssessmentInputSchema, status=(201, 200))
def put_exit_assessment(case_uuid):
    """Records the exit assessment (201), or replaces it at its ``version`` (200); a retried ``uuid`` returns it.

    Allowed while the case's closure waits for approval or after the case ended.
    """
    case = readable_case(current_user, case_uuid)
    data = located(load_json(ExitAssessmentInputSchema()))
    version, assessment_uuid = data.pop("version", None), data.pop("uuid", None)
    with current_on_conflict(lambda: _current_assessment(case)):
        assessment, created = services.record_exit_assessment(case, current_user, version, data, uuid=assessment_uuid)
    body = _ASSESSMENT.dump(assessment)
    db.session.commit()
    return body, 201 if created else 200


@bp.get("/aftercare/visits")
@require("aftercare.visit")
@documented(AftercareVisitSchema, paging="offset")
def list_aftercare_visits():
    """The visits not made yet that the caller may record, soonest due first."""
    page = paginate(queries.visits_select(current_user))
    return {"items": _VISIT.dump(page.items, many=True), **page_meta(page)}


@bp.post("/aftercare/visits/<int:visit_id>")
@require("aftercare.visit")
@documented(AftercareVisitSchema, body=AftercareVisitRecordSchema)
def record_aftercare_visit(visit_id):
    """Records a visit at the slot's ``version``: ``visited_on``, ``result`` (stable, fallen_back, not_met), notes."""
    visit = queries.visible_visit(current_user, visit_id)
    data = located(load_json(AftercareVisitRecordSchema()))
    with current_on_conflict(lambda: _VISIT.dump(visit)):
        services.record_visit(visit, current_user, data.pop("version"), data)
    body = _VISIT.dump(visit)
    db.session.commit()
    return body


def _period():
    """The period and decimal places of the query (checked by ``GraduationPeriodSchema``: 422 otherwise)."""
    args = load_args(GraduationPeriodSchema())
    return Period(args["year"], args.get("quarter"), args.get("month")), args["places"]


@bp.get("/aftercare/graduation")
@require("figures.view")
@documented(GraduationFiguresSchema, query=GraduationPeriodSchema)
def graduation_figures():
    """Graduation rates by type (natural, self-reliant, removed) and sustained graduation at 12 and 24 months."""
    window, places = _period()
    rates = figures.graduation_rates(current_user.agency_id, window, places)
    sustained = figures.sustained_graduation(current_user.agency_id, window, places=places)
    return GraduationFiguresSchema().dump({**rates, "start": window.start, "end": window.end, "sustained": sustained})


@bp.get("/aftercare/early-warning")
@require("cases.view")
@documented(EarlyWarningSchema, paging="offset")
def list_early_warnings():
    """Ended cases under watch with a sign of falling back, latest termination first."""
    page = figures.early_warning_page(current_user.agency_id)
    return {"items": _WARNING.dump(page.rows, many=True), **page_meta(page)}
