"""The referral operations: each step, its guards, its timeline event, and what the database refuses by itself."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth.models import Role
from casework.cases.models import CaseEvent, Outcome, Stage
from casework.core.errors import Conflict, Forbidden, ValidationFailed
from casework.core.types import utcnow
from casework.extensions import db
from casework.referrals import desk, queries, services
from casework.referrals.models import Referral, ReferralStatus


def events(case, prefix="referral_"):
    """The case's timeline events of the referral kinds, oldest first."""
    return db.session.scalars(
        sa.select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.kind.startswith(prefix))
        .order_by(CaseEvent.id)
    ).all()


def test_a_referral_goes_from_proposal_to_result(proposed, caseworker, supervisor, receiver, shelter):
    referral = proposed()
    case = referral.case
    assert referral.status == ReferralStatus.PROPOSED and referral.number == f"RJ-{date.today().year}-000001"
    assert sorted(service.slug for service in referral.services) == ["dukungan-psikososial", "permakanan"]
    services.approve(referral, supervisor, referral.version, {"note": "Setuju, segera."})
    services.accept(referral, receiver, referral.version, {})
    services.complete(referral, receiver, referral.version, {"result": "Klien tinggal 5 hari, lalu pulang."})
    assert referral.status == ReferralStatus.COMPLETED
    assert (referral.decided_by_id, referral.answered_by_id, referral.completed_by_id) == (
        supervisor.id,
        receiver.id,
        receiver.id,
    )
    timeline = events(case)
    assert [event.kind for event in timeline] == [
        "referral_proposed",
        "referral_approved",
        "referral_accepted",
        "referral_completed",
    ]
    # The event contract: every event names the referral, its proposer and the receiving unit.
    for event in timeline:
        assert event.details["referral"] == str(referral.uuid)
        assert event.details["proposed_by"] == caseworker.id
        assert event.details["to_unit_id"] == shelter.id
    audited = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.startswith("case.referral_")))
    assert sorted(audited) == sorted(f"case.{event.kind}" for event in timeline)


def test_numbers_count_up_per_agency(proposed):
    first, second = proposed(), proposed()
    assert int(second.number.rsplit("-", 1)[1]) == int(first.number.rsplit("-", 1)[1]) + 1


def test_a_retried_proposal_returns_the_first(new_case, caseworker, referral_values):
    case = new_case()
    first, created = services.propose(case, caseworker, referral_values(), uuid="5b0c7d4e-3f2a-4b1c-9d8e-7f6a5b4c3d2e")
    again, created_again = services.propose(
        case, caseworker, referral_values(), uuid="5b0c7d4e-3f2a-4b1c-9d8e-7f6a5b4c3d2e"
    )
    assert (created, created_again) == (True, False) and again.id == first.id
    assert len(events(case)) == 1


def test_a_proposal_checks_every_field(new_case, caseworker, referral_values, hospital):
    case = new_case()
    bad = referral_values(
        to_unit_id=hospital.id, service_ids=[], reason=" ", consent_given=False, no_consent_reason=None, urgency="x"
    )
    with pytest.raises(ValidationFailed) as refused:
        services.propose(case, caseworker, bad)
    assert set(refused.value.fields) == {"to_unit_id", "service_ids", "reason", "consent_given", "urgency"}
    other = referral_values(destination_kind="agency", to_unit_id=None, to_region_code=case.agency.region_code)
    with pytest.raises(ValidationFailed) as refused:
        services.propose(case, caseworker, other)
    assert set(refused.value.fields) == {"to_agency_name", "to_region_code"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Referral)) == 0


def test_destinations_partner_and_another_agency(proposed, hospital):
    to_hospital = proposed(destination_kind="partner", to_unit_id=hospital.id)
    assert to_hospital.destination_name == "RSUD Kota Uji"
    elsewhere = proposed(
        destination_kind="agency", to_unit_id=None, to_agency_name="Dinas Sosial Kota Bandung", to_region_code="32.73"
    )
    assert (elsewhere.destination_name, elsewhere.to_region_code) == ("Dinas Sosial Kota Bandung", "32.73")
    assert "to_unit_id" not in events(elsewhere.case)[0].details


def test_consent_or_the_documented_reason(proposed):
    child = proposed(consent_given=False, no_consent_reason="child")
    assert (child.consent_given, child.no_consent_reason.value) == (False, "child")
    with pytest.raises(ValidationFailed) as refused:
        proposed(consent_given=False, no_consent_reason="other", consent_notes="")
    assert set(refused.value.fields) == {"consent_notes"}


def test_the_proposer_never_decides_their_own(proposed, supervisor):
    referral = proposed(by=supervisor)
    for operation, data in ((services.approve, {}), (services.reject, {"reason": "Tidak perlu."})):
        with pytest.raises(Forbidden):
            operation(referral, supervisor, referral.version, data)
    assert referral.status == ReferralStatus.PROPOSED and len(events(referral.case)) == 1


def test_the_database_refuses_a_self_approval_too(proposed, caseworker):
    referral = proposed()
    referral.status, referral.decided_by_id, referral.decided_at = ReferralStatus.APPROVED, caseworker.id, utcnow()
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.flush()


def test_nothing_is_answered_or_completed_before_approval(proposed, receiver):
    referral = proposed()
    with pytest.raises(Conflict) as refused:
        services.accept(referral, receiver, referral.version, {})
    assert "belum disetujui" in refused.value.message
    with pytest.raises(Conflict):
        services.complete(referral, receiver, referral.version, {"result": "Selesai."})
    assert referral.status == ReferralStatus.PROPOSED


def test_only_the_receiving_side_answers(proposed, supervisor, caseworker, receiver, hospital, staff):
    referral = proposed()
    services.approve(referral, supervisor, referral.version, {})
    # The proposer is not in the receiving unit; nor is another caseworker.
    for outsider in (caseworker, staff(Role.CASEWORKER)):
        with pytest.raises(Forbidden):
            services.accept(referral, outsider, referral.version, {})
    to_hospital = proposed(destination_kind="partner", to_unit_id=hospital.id)
    services.approve(to_hospital, supervisor, to_hospital.version, {})
    with pytest.raises(Forbidden):
        services.accept(to_hospital, receiver, to_hospital.version, {})
    # For a partner, the case's caseworker records its answer.
    services.decline(to_hospital, caseworker, to_hospital.version, {"reason": "Ruang rawat penuh."})
    assert to_hospital.status == ReferralStatus.DECLINED and to_hospital.answer_note == "Ruang rawat penuh."


def test_refusals_need_a_reason_and_completion_a_result(proposed, supervisor, receiver):
    referral = proposed()
    with pytest.raises(ValidationFailed) as refused:
        services.reject(referral, supervisor, referral.version, {"reason": ""})
    assert set(refused.value.fields) == {"reason"}
    services.approve(referral, supervisor, referral.version, {})
    with pytest.raises(ValidationFailed):
        services.decline(referral, receiver, referral.version, {})
    services.accept(referral, receiver, referral.version, {})
    with pytest.raises(ValidationFailed):
        services.complete(referral, receiver, referral.version, {"result": "  "})


def test_a_decision_on_an_older_copy_or_twice_is_refused(proposed, supervisor, staff):
    referral = proposed()
    read_at = referral.version
    services.reject(referral, supervisor, read_at, {"reason": "Belum perlu dirujuk."})
    with pytest.raises(Conflict):
        services.approve(referral, staff(Role.SUPERVISOR), read_at, {})
    with pytest.raises(Conflict):
        services.approve(referral, staff(Role.SUPERVISOR), referral.version, {})
    assert referral.status == ReferralStatus.REJECTED
    assert [event.kind for event in events(referral.case)] == ["referral_proposed", "referral_rejected"]


def test_a_terminated_case_is_not_referred(new_case, caseworker, referral_values):
    case = new_case()
    case.stage, case.outcome, case.terminated_on = Stage.TERMINATED, Outcome.LOST_CONTACT, date(2026, 11, 5)
    db.session.flush()
    with pytest.raises(Conflict):
        services.propose(case, caseworker, referral_values())


def test_overdue_waiting_for_approval_or_for_the_answer(proposed, supervisor, receiver, agency):
    agency.referral_due_days = 3
    waiting, answered, fresh = proposed(), proposed(), proposed()
    services.approve(answered, supervisor, answered.version, {})
    now = utcnow()
    waiting.proposed_at = now - timedelta(days=4)
    answered.decided_at = now - timedelta(days=4)
    fresh.proposed_at = now - timedelta(days=2)
    db.session.flush()
    assert {referral.id for referral in queries.overdue(agency, now)} == {waiting.id, answered.id}
    assert queries.overdue_ids(agency, [waiting.id, fresh.id], now) == {waiting.id}
    services.accept(answered, receiver, answered.version, {})
    assert {referral.id for referral in queries.overdue(agency, now)} == {waiting.id}
    agency.referral_due_days = 5
    assert queries.overdue(agency, now) == []


def test_the_desk_section(proposed, supervisor, receiver, caseworker, staff):
    referral = proposed()
    template, context = desk.section(supervisor)
    assert template == "referrals/_desk_section.html"
    assert [r.id for r in context["to_decide"]] == [referral.id] and context["to_answer"] == []
    assert desk.section(receiver) is None
    services.approve(referral, supervisor, referral.version, {})
    _template, context = desk.section(receiver)
    assert [r.id for r in context["to_answer"]] == [referral.id] and context["to_decide"] == []
    assert desk.section(staff(Role.DATA_OFFICER)) is None
