"""Closing a case with a supervisor's approval: the gate, four eyes, one pending closure, rejection, reopening."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework.cases import stages, stays
from casework.cases.models import CaseEvent, Outcome, Stage
from casework.closure.models import CaseClosure, ClosureStatus
from casework.closure.services import approve_closure, closures, propose_closure, reject_closure, reopen
from casework.core.errors import Conflict, Forbidden, ValidationFailed
from casework.extensions import db
from tests.cases.conftest import INTAKE_DAY

TODAY = date(2026, 11, 20)
PROPOSAL = {"outcome": "reunified", "terminated_on": "2026-11-10", "aftercare_months": 12}


def _events(case):
    return db.session.execute(
        sa.select(CaseEvent.kind, CaseEvent.details).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()


def uuid_of(n):
    """A fixed UUID for a proposal."""
    return f"00000000-0000-4000-8000-{n:012d}"


def _propose(case, actor, **data):
    closure, _created = propose_closure(case, actor, case.version, {**PROPOSAL, **data}, today=TODAY)
    return closure


def test_a_proposal_leaves_the_case_open_until_a_supervisor_approves(new_case, caseworker, supervisor):
    case = new_case()
    closure = _propose(case, caseworker)
    assert case.stage == Stage.INTAKE and case.is_open and case.outcome is None
    assert closure.status == ClosureStatus.PENDING and closure.proposed_by_id == caseworker.id
    approve_closure(closure, supervisor, closure.version, today=TODAY)
    assert (case.stage, case.outcome, case.terminated_on) == (Stage.AFTERCARE, Outcome.REUNIFIED, date(2026, 11, 10))
    assert case.aftercare_until == date(2027, 11, 10)
    assert (closure.status, closure.decided_by_id) == (ClosureStatus.APPROVED, supervisor.id)
    kinds = [(kind, details.get("proposed_by")) for kind, details in _events(case)]
    assert kinds == [("opened", None), ("closure_proposed", None), ("closure_approved", caseworker.id)]


def test_without_an_aftercare_period_the_case_is_terminated_and_aftercare_may_start_later(
    new_case, caseworker, supervisor
):
    case = new_case()
    closure = _propose(case, caseworker, outcome="lost_contact", aftercare_months=None)
    approve_closure(closure, supervisor, closure.version, today=TODAY)
    assert case.stage == Stage.TERMINATED and case.aftercare_until is None
    stages.begin_aftercare(case, caseworker, case.version, {"months": 6})
    assert case.stage == Stage.AFTERCARE and case.aftercare_until == date(2027, 5, 10)


def test_the_proposer_never_decides_their_own_closure_even_as_supervisor(
    new_case, supervisor, other_supervisor, caseworker
):
    case = new_case()
    closure = _propose(case, supervisor)
    for decide in (
        lambda: approve_closure(closure, supervisor, closure.version, today=TODAY),
        lambda: reject_closure(closure, supervisor, closure.version, {"reason": "Belum waktunya"}),
    ):
        with pytest.raises(Forbidden) as refused:
            decide()
        assert "usulan terminasi Anda sendiri" in refused.value.message
    assert closure.status == ClosureStatus.PENDING and case.is_open
    approve_closure(closure, other_supervisor, closure.version, today=TODAY)
    assert case.stage == Stage.AFTERCARE


def test_the_database_refuses_a_self_approved_closure(new_case, caseworker):
    closure = _propose(new_case(), caseworker)
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.execute(
            sa.update(CaseClosure)
            .where(CaseClosure.id == closure.id)
            .values(status="approved", decided_by_id=caseworker.id, decided_at=sa.func.now())
        )


def test_one_closure_waits_per_case_and_a_retry_returns_it(new_case, caseworker):
    case = new_case()
    closure, created = propose_closure(case, caseworker, case.version, PROPOSAL, uuid=str(uuid_of(1)), today=TODAY)
    again, created_again = propose_closure(case, caseworker, 1, PROPOSAL, uuid=str(uuid_of(1)), today=TODAY)
    assert created and not created_again and again.id == closure.id
    with pytest.raises(Conflict) as refused:
        _propose(case, caseworker)
    assert "menunggu persetujuan" in refused.value.message
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.add(CaseClosure(case_id=case.id, outcome=Outcome.DIED, terminated_on=TODAY, proposed_by_id=1))
        db.session.flush()


def test_a_rejection_needs_a_reason_and_keeps_the_case_open(new_case, caseworker, supervisor):
    case = new_case()
    closure = _propose(case, caseworker)
    with pytest.raises(ValidationFailed) as refused:
        reject_closure(closure, supervisor, closure.version, {"reason": "  "})
    assert "reason" in refused.value.fields
    reject_closure(closure, supervisor, closure.version, {"reason": "Keluarga belum dikunjungi."})
    assert closure.status == ClosureStatus.REJECTED and case.is_open
    assert _events(case)[-1] == (
        "closure_rejected",
        {"closure": str(closure.uuid), "proposed_by": caseworker.id, "reason": "Keluarga belum dikunjungi."},
    )
    second = _propose(case, caseworker)
    assert [row.id for row in closures(case)] == [second.id, closure.id]


def test_a_decided_or_stale_closure_is_a_conflict(new_case, caseworker, supervisor, other_supervisor):
    case = new_case()
    closure = _propose(case, caseworker)
    with pytest.raises(Conflict):
        approve_closure(closure, supervisor, closure.version + 1, today=TODAY)
    shown = closure.version
    approve_closure(closure, supervisor, shown, today=TODAY)
    for version in (shown, closure.version):
        with pytest.raises(Conflict):
            reject_closure(closure, other_supervisor, version, {"reason": "Terlambat"})
    assert closure.status == ClosureStatus.APPROVED


def test_died_takes_no_aftercare_and_dates_are_checked_again_at_approval(new_case, caseworker, supervisor, shelter):
    case = new_case()
    with pytest.raises(ValidationFailed) as refused:
        _propose(case, caseworker, outcome="died")
    assert "aftercare_months" in refused.value.fields
    closure = _propose(case, caseworker, terminated_on=INTAKE_DAY.isoformat(), aftercare_months=None)
    # The client was admitted after the proposed date: the approval is refused, nothing changes.
    stays.admit(case, caseworker, case.version, {"unit_id": shelter.id, "admitted_on": "2026-11-05"}, today=TODAY)
    with pytest.raises(ValidationFailed) as refused:
        approve_closure(closure, supervisor, closure.version, today=TODAY)
    assert "terminated_on" in refused.value.fields


def test_approval_ends_an_open_stay(new_case, caseworker, supervisor, shelter):
    case = new_case()
    stay = stays.admit(
        case, caseworker, case.version, {"unit_id": shelter.id, "admitted_on": "2026-11-03"}, today=TODAY
    )
    closure = _propose(case, caseworker)
    assert stay.discharged_on is None
    approve_closure(closure, supervisor, closure.version, today=TODAY)
    assert stay.discharged_on == date(2026, 11, 10)


def test_reopening_needs_a_reason_and_returns_the_case_to_its_last_open_stage(
    new_case, caseworker, supervisor, close_case
):
    case = new_case()
    stages.begin_assessment(case, caseworker, case.version, {"started_on": INTAKE_DAY}, today=TODAY)
    with pytest.raises(Conflict):
        reopen(case, supervisor, case.version, {"reason": "Masih terbuka"})
    close_case(case, today=TODAY, **PROPOSAL)
    assert case.stage == Stage.AFTERCARE
    with pytest.raises(ValidationFailed):
        reopen(case, supervisor, case.version, {})
    reopen(case, supervisor, case.version, {"reason": "Klien kembali ke jalan."})
    assert case.stage == Stage.ASSESSMENT
    assert (case.outcome, case.terminated_on, case.aftercare_until, case.termination_notes) == (None,) * 4
    kind, details = _events(case)[-1]
    assert kind == "case_reopened"
    assert details == {
        "reason": "Klien kembali ke jalan.",
        "previous_outcome": "reunified",
        "terminated_on": "2026-11-10",
        "aftercare_until": "2027-11-10",
    }
    # It can be closed again, by approval again.
    close_case(case, today=TODAY, **PROPOSAL)
    assert case.stage == Stage.AFTERCARE and len(closures(case)) == 2
