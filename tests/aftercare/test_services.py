"""Exit assessment, visit scheduling and recording: the rules, the index arithmetic, the hooks into closure."""

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from casework.aftercare.graduation import graduation_type, self_reliance_index
from casework.aftercare.models import AftercareVisit, ExitDecision, GraduationType, SelfRelianceVariable, VisitResult
from casework.aftercare.services import exit_assessment, record_exit_assessment, record_visit
from casework.aftercare.variables import save_variable, variables
from casework.audit.models import AuditEvent
from casework.cases.models import Outcome, Stage
from casework.cases.stages import begin_aftercare
from casework.closure.services import propose_closure, reopen
from casework.core.errors import Conflict, ValidationFailed
from casework.extensions import db
from tests.aftercare.conftest import AS_OF, full_scores


def _visits(case):
    return db.session.scalars(
        sa.select(AftercareVisit).where(AftercareVisit.case_id == case.id).order_by(AftercareVisit.month_offset)
    ).all()


def test_the_index_is_the_weighted_ratio_rounded_half_up(ended_case, assess):
    case = ended_case(date(2025, 3, 31))
    scores = {"income": 3, "housing": 4, "health": 2, "family_support": 4, "documents": 1, "social_functioning": 3}
    assessment = assess(case, scores=scores)
    # Σ score × weight = 3·3 + 4·2 + 2·2 + 4·2 + 1·1 + 3·2 = 36; Σ max × weight = 4 × 12 = 48 → 75 %.
    assert (assessment.score_total, assessment.score_max) == (36, 48)
    assert self_reliance_index(assessment.score_total, assessment.score_max) == Decimal("75.00")
    assert [score.weight for score in assessment.scores] == [3, 2, 2, 2, 1, 2]
    # 35 of 48 = 72.9166… → 72.92 (and 72.917 at three places).
    assert self_reliance_index(35, 48) == Decimal("72.92")
    assert self_reliance_index(35, 48, 3) == Decimal("72.917")


def test_the_default_variables_are_saved_on_first_use(agency, ended_case, assess):
    assert [row.id for row in variables(agency)] == [None] * 6
    assess(ended_case(date(2025, 3, 31)))
    assert db.session.scalar(sa.select(sa.func.count()).where(SelfRelianceVariable.agency_id == agency.id)) == 6


def test_agency_variables_change_the_index(agency, ended_case, assess):
    save_variable(agency, {"code": "savings", "name": "Tabungan", "weight": "5", "max_score": "2"})
    save_variable(agency, {"name": "Penghasilan", "weight": 3, "max_score": 4, "active": False}, "income", 1)
    scores = {**full_scores(0), "savings": 2}
    assessment = assess(ended_case(date(2025, 3, 31)), scores=scores)
    # Without income: 4·(2+2+2+1+2) + 2·5 = 46; savings scored 2·5 = 10.
    assert (assessment.score_total, assessment.score_max) == (10, 46)


def test_bad_scores_and_decisions_are_refused_by_field(ended_case, caseworker):
    case = ended_case(date(2025, 3, 31), "refused")
    data = {"assessed_on": "2025-03-31", "decision": "self_reliant", "scores": {"income": 5, "housing": "x"}}
    with pytest.raises(ValidationFailed) as refused:
        record_exit_assessment(case, caseworker, None, data, today=AS_OF)
    assert set(refused.value.fields) == {
        "decision",
        "score_income",
        "score_housing",
        "score_health",
        "score_family_support",
        "score_documents",
        "score_social_functioning",
    }


def test_a_self_reliant_outcome_needs_a_self_reliant_decision(ended_case, assess):
    with pytest.raises(ValidationFailed) as refused:
        assess(ended_case(date(2025, 3, 31), "self_reliant"), "not_self_reliant")
    assert "decision" in refused.value.fields


def test_graduation_type_from_outcome_and_decision():
    assert graduation_type(Outcome.DIED, ExitDecision.SELF_RELIANT) == GraduationType.NATURAL
    assert graduation_type(Outcome.REFUSED, None) == GraduationType.REMOVED
    assert graduation_type(Outcome.REUNIFIED, ExitDecision.SELF_RELIANT) == GraduationType.SELF_RELIANT
    assert graduation_type(Outcome.REUNIFIED, ExitDecision.NOT_SELF_RELIANT) == GraduationType.NATURAL
    assert graduation_type(Outcome.SELF_RELIANT, None) == GraduationType.NATURAL


def test_an_open_case_needs_a_closure_first_and_the_dead_none(new_case, ended_case, caseworker):
    data = {"assessed_on": "2026-11-20", "decision": "self_reliant", "scores": full_scores()}
    with pytest.raises(Conflict):
        record_exit_assessment(new_case(), caseworker, None, data, today=AS_OF)
    with pytest.raises(Conflict):
        record_exit_assessment(ended_case(date(2025, 3, 31), "died"), caseworker, None, data, today=AS_OF)


def test_recorded_with_the_pending_closure_then_visits_follow_the_approval(new_case, caseworker, supervisor):
    from casework.closure.services import approve_closure

    case = new_case()
    closure, _created = propose_closure(
        case, caseworker, case.version, {"outcome": "self_reliant", "terminated_on": "2026-11-20"}, today=AS_OF
    )
    data = {"assessed_on": "2026-11-20", "decision": "self_reliant", "scores": full_scores()}
    record_exit_assessment(case, caseworker, None, data, today=AS_OF)
    assert _visits(case) == []
    approve_closure(closure, supervisor, closure.version, today=AS_OF)
    assert [(visit.month_offset, visit.due_on) for visit in _visits(case)] == [
        (6, date(2027, 5, 20)),
        (12, date(2027, 11, 20)),
        (18, date(2028, 5, 20)),
        (24, date(2028, 11, 20)),
        (36, date(2029, 11, 20)),
    ]


def test_visits_follow_the_agency_months_and_aftercare_without_graduation(agency, ended_case, caseworker):
    agency.aftercare_visit_months = "1,3"
    case = ended_case(date(2026, 1, 31))
    assert _visits(case) == []
    begin_aftercare(case, caseworker, case.version, {"months": "6"})
    assert [(visit.month_offset, visit.due_on) for visit in _visits(case)] == [
        (1, date(2026, 2, 28)),
        (3, date(2026, 4, 30)),
    ]


def test_replacing_an_assessment_needs_its_version_and_a_retry_returns_it(ended_case, caseworker):
    case = ended_case(date(2025, 3, 31))
    data = {"assessed_on": "2025-03-31", "decision": "self_reliant", "scores": full_scores()}
    first, created = record_exit_assessment(case, caseworker, None, data, uuid=None, today=AS_OF)
    again, created_again = record_exit_assessment(case, caseworker, None, data, uuid=first.uuid, today=AS_OF)
    assert (created, again, created_again) == (True, first, False)
    with pytest.raises(Conflict):
        record_exit_assessment(case, caseworker, None, {**data, "decision": "not_self_reliant"}, today=AS_OF)
    changed, created = record_exit_assessment(
        case, caseworker, first.version, {**data, "decision": "not_self_reliant"}, today=AS_OF
    )
    assert (changed.id, changed.decision, created) == (first.id, ExitDecision.NOT_SELF_RELIANT, False)
    assert len(changed.scores) == 6
    # The visits were scheduled once; recording again adds none.
    assert len(_visits(case)) == 5


def test_recording_a_visit(ended_case, assess, volunteer):
    case = ended_case(date(2025, 3, 31))
    assess(case)
    visit = _visits(case)[0]
    with pytest.raises(ValidationFailed) as refused:
        record_visit(visit, volunteer, visit.version, {"visited_on": "2025-03-30", "result": "?"}, today=AS_OF)
    assert set(refused.value.fields) == {"visited_on", "result"}
    record_visit(visit, volunteer, visit.version, {"visited_on": "2025-10-01", "result": "stable"}, today=AS_OF)
    assert (visit.result, visit.recorded_by_id) == (VisitResult.STABLE, volunteer.id)
    audit = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "case.aftercare_visit")).one()
    assert audit.details == {"visit": visit.id, "month": 6, "result": "stable"}
    with pytest.raises(Conflict):
        record_visit(visit, volunteer, visit.version, {"visited_on": "2025-10-01", "result": "stable"}, today=AS_OF)


def test_reopening_drops_the_visits_not_made(ended_case, assess, caseworker, supervisor):
    case = ended_case(date(2025, 3, 31))
    assess(case)
    made = _visits(case)[0]
    record_visit(made, caseworker, made.version, {"visited_on": "2025-10-01", "result": "not_met"}, today=AS_OF)
    reopen(case, supervisor, case.version, {"reason": "Kembali ke jalan"})
    assert case.stage == Stage.INTAKE
    assert [visit.month_offset for visit in _visits(case)] == [6]
    assert exit_assessment(case) is not None
