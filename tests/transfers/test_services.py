"""Transfer and return operations: guards, hand-over of the case with its history, and the events they write."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.models import CaseEvent, Stage
from casework.cases.queries import agency_case
from casework.clients.models import Client
from casework.clients.services import register_client
from casework.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from casework.extensions import db
from casework.transfers import returns, services
from casework.transfers.models import ReturnStatus, TransferStatus
from tests.clients.conftest import VALID_NIK
from tests.transfers.conftest import ORIGIN_VILLAGE


def events(case, kind):
    """The case's events of ``kind``."""
    return db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == kind)).all()


def test_a_proposal_is_on_the_timeline_and_a_retry_returns_it(new_case, caseworker, receiver):
    case = new_case()
    version = case.version
    data = {"to_agency_id": receiver.id, "reason": "Berasal dari Bandung", "handover_items": "KTP, surat keterangan"}
    transfer, created = services.propose_transfer(case, caseworker, data, uuid="1b1f7cc1-6b42-4c6e-9d4e-000000000001")
    again, created_again = services.propose_transfer(case, caseworker, data, uuid=str(transfer.uuid))
    assert (created, created_again, again.id) == (True, False, transfer.id)
    assert transfer.status == TransferStatus.PROPOSED and transfer.from_case_number == case.number
    assert case.version == version + 1
    [event] = events(case, "transfer_proposed")
    assert event.details == {"transfer": str(transfer.uuid), "to_agency_id": receiver.id}


def test_a_proposal_needs_another_agency_and_a_reason(new_case, caseworker, agency):
    with pytest.raises(ValidationFailed) as refused:
        services.propose_transfer(new_case(), caseworker, {"to_agency_id": agency.id, "reason": " "})
    assert set(refused.value.fields) == {"to_agency_id", "reason"}


def test_one_transfer_at_a_time_and_only_of_an_open_case(new_case, propose, caseworker):
    case = new_case()
    propose(case)
    with pytest.raises(Conflict, match="sudah dalam proses pemindahan"):
        propose(case)
    closed = new_case()
    closed.stage, closed.outcome, closed.terminated_on = Stage.TERMINATED, "died", closed.intake_date
    db.session.flush()
    with pytest.raises(Conflict, match="diterminasi"):
        propose(closed)


def test_the_proposer_never_decides_their_own_proposal(new_case, propose, supervisor, caseworker):
    transfer = propose(new_case(), actor=supervisor)
    with pytest.raises(Forbidden, match="usulannya sendiri"):
        services.decide_transfer(transfer, supervisor, transfer.version, {}, approve=True)
    with pytest.raises(Forbidden):
        services.decide_transfer(transfer, caseworker, transfer.version, {}, approve=True)
    assert transfer.status == TransferStatus.PROPOSED


def test_a_rejection_needs_a_reason_and_ends_the_proposal(new_case, propose, supervisor, caseworker):
    case = new_case()
    transfer = propose(case)
    with pytest.raises(ValidationFailed) as refused:
        services.decide_transfer(transfer, supervisor, transfer.version, {}, approve=False)
    assert "decision_note" in refused.value.fields
    services.decide_transfer(transfer, supervisor, transfer.version, {"decision_note": "Belum lengkap"}, approve=False)
    assert transfer.status == TransferStatus.REJECTED
    [event] = events(case, "transfer_rejected")
    assert event.details["proposed_by"] == caseworker.id
    # A new proposal is possible again.
    assert services.propose_transfer(case, caseworker, {"to_agency_id": transfer.to_agency_id, "reason": "x"})[1]


def test_a_stale_or_repeated_decision_is_a_conflict(new_case, propose, supervisor, staff):
    transfer = propose(new_case())
    version = transfer.version
    services.decide_transfer(transfer, supervisor, version, {}, approve=True)
    with pytest.raises(Conflict):
        services.decide_transfer(transfer, staff(Role.SUPERVISOR), version, {}, approve=False)
    with pytest.raises(Conflict, match="sudah menunggu jawaban"):
        services.decide_transfer(transfer, staff(Role.SUPERVISOR), transfer.version, {}, approve=False)


def test_the_receiver_sees_a_transfer_only_once_approved(new_case, propose, supervisor, receiver, make):
    transfer = propose(new_case())
    receiving = make.user(role=Role.SUPERVISOR, unit=make.unit(agency=receiver))
    with pytest.raises(NotFound):
        services.readable_transfer(receiving, transfer.uuid)
    services.decide_transfer(transfer, supervisor, transfer.version, {}, approve=True)
    assert services.readable_transfer(receiving, transfer.uuid) is transfer
    assert services.readable_transfer(supervisor, transfer.uuid) is transfer


def test_only_the_receiving_agency_answers(new_case, approved, supervisor, make):
    transfer = approved(new_case())
    with pytest.raises(NotFound):
        services.accept_transfer(transfer, supervisor, transfer.version, {})
    stranger = make.user(role=Role.SUPERVISOR)
    with pytest.raises(NotFound):
        services.accept_transfer(transfer, stranger, transfer.version, {})


def test_acceptance_hands_the_case_over_with_its_history(
    new_case, approved, receiving_supervisor, receiver, agency, caseworker, category, new_client
):
    holding = {"category_id": category("gelandangan").id, "since": "2026-10-01"}
    client = new_client(full_name="Siti Aminah", birth_year=1990, origin_region_code="32.73", categories=[holding])
    case = new_case(client=client)
    old_number = case.number
    transfer = approved(case)
    services.accept_transfer(transfer, receiving_supervisor, transfer.version, {"answer_note": "Diterima"})
    db.session.flush()

    assert transfer.status == TransferStatus.ACCEPTED
    assert (case.agency_id, case.caseworker_id, case.unit_id) == (
        receiver.id,
        receiving_supervisor.id,
        receiving_supervisor.unit_id,
    )
    assert case.number == transfer.to_case_number == f"KS-{date.today().year}-000001"
    assert transfer.snapshot["number"] == old_number and transfer.snapshot["client_name"] == "Siti Aminah"
    # The client is copied into the receiving registry; the sender keeps its own record.
    copy = db.session.get(Client, case.client_id)
    assert copy.agency_id == receiver.id and copy.id != client.id and copy.full_name == "Siti Aminah"
    assert [held.category.slug for held in copy.categories] == ["gelandangan"]
    assert client.agency_id == agency.id
    # The sender no longer finds the case; the receiver does, with the whole timeline.
    with pytest.raises(NotFound):
        agency_case(agency.id, case.uuid)
    assert agency_case(receiver.id, case.uuid) is case
    kinds = [event.kind for event in db.session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case.id))]
    assert kinds[0] == "opened" and kinds[-3:] == ["transfer_proposed", "transfer_approved", "transfer_accepted"]
    [accepted] = events(case, "transfer_accepted")
    assert accepted.details["proposed_by"] == caseworker.id and accepted.details["to_agency_id"] == receiver.id


def test_acceptance_uses_the_receiving_registrys_record_of_the_same_nik(
    new_case, approved, receiving_supervisor, receiver, new_client
):
    case = new_case(client=new_client(full_name="Dewi Lestari", nik=VALID_NIK))
    there, _created = register_client(
        receiver, receiving_supervisor, {"full_name": "Dewi L.", "nik": VALID_NIK}, confirm_new=True
    )
    transfer = approved(case)
    services.accept_transfer(transfer, receiving_supervisor, transfer.version, {})
    assert case.client_id == there.id


def test_numbers_never_clash_in_either_agency(new_case, approved, receiving_supervisor, receiver):
    first, case = new_case(), new_case()
    transfer = approved(case)
    # Read afresh, as a request would: the receiver's next number is the sender's first case's number.
    db.session.expire_all()
    services.accept_transfer(transfer, receiving_supervisor, transfer.version, {})
    db.session.flush()
    assert case.number == first.number and (case.agency_id, first.agency_id) == (receiver.id, transfer.from_agency_id)


def test_a_case_closed_meanwhile_cannot_be_accepted(new_case, approved, receiving_supervisor):
    case = new_case()
    transfer = approved(case)
    case.stage, case.outcome, case.terminated_on = Stage.TERMINATED, "died", case.intake_date
    db.session.flush()
    with pytest.raises(Conflict, match="diterminasi"):
        services.accept_transfer(transfer, receiving_supervisor, transfer.version, {})


def test_a_decline_needs_a_reason_and_leaves_the_case_with_the_sender(new_case, approved, receiving_supervisor, agency):
    case = new_case()
    transfer = approved(case)
    with pytest.raises(ValidationFailed):
        services.decline_transfer(transfer, receiving_supervisor, transfer.version, {})
    services.decline_transfer(transfer, receiving_supervisor, transfer.version, {"answer_note": "Bukan warga kami"})
    assert transfer.status == TransferStatus.DECLINED and case.agency_id == agency.id


# ---------------------------------------------------------------- returns


def plan_values(**overrides):
    """A valid return plan's values."""
    return {
        "from_place": "Pelabuhan Tanjung Priok",
        "to_region_code": ORIGIN_VILLAGE,
        "travel_date": "2027-01-05",
        "travel_mode": "bus",
        "escort_name": "Pak Joko (TKSK)",
        "handover": "family",
        "family_name": "Ibu Sumarni",
        "family_relationship": "ibu kandung",
        **overrides,
    }


def test_a_return_is_planned_departs_and_arrives(new_case, caseworker):
    case = new_case()
    plan, created = returns.plan_return(case, caseworker, plan_values())
    assert created and plan.status == ReturnStatus.PLANNED
    returns.record_departure(plan, caseworker, plan.version, {"departed_on": "2026-11-20"}, today=date(2026, 11, 21))
    returns.confirm_arrival(
        plan,
        caseworker,
        plan.version,
        {"arrived_on": "2026-11-21", "received_by": "Ibu Sumarni"},
        today=date(2026, 11, 21),
    )
    assert (plan.status, plan.arrived_on, plan.received_by) == (ReturnStatus.ARRIVED, date(2026, 11, 21), "Ibu Sumarni")
    assert [len(events(case, kind)) for kind in ("return_planned", "return_departed", "return_arrived")] == [1, 1, 1]
    assert case.is_open  # closing is the case's own step


def test_a_plan_checks_its_fields(new_case, caseworker):
    with pytest.raises(ValidationFailed) as refused:
        returns.plan_return(
            new_case(),
            caseworker,
            plan_values(to_region_code="32.73", escort_name="", family_name="", travel_date="2020-01-01"),
        )
    assert set(refused.value.fields) == {"to_region_code", "escort_name", "family_name", "travel_date"}


def test_return_steps_in_order_at_the_current_version(new_case, caseworker):
    case = new_case()
    plan, _created = returns.plan_return(case, caseworker, plan_values())
    with pytest.raises(Conflict):
        returns.confirm_arrival(plan, caseworker, plan.version, {"arrived_on": "2026-11-21", "received_by": "x"})
    with pytest.raises(Conflict):
        returns.record_departure(plan, caseworker, plan.version + 1, {"departed_on": "2026-11-20"})
    with pytest.raises(Conflict, match="belum selesai"):
        returns.plan_return(case, caseworker, plan_values())
