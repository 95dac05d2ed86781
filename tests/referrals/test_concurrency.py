"""Two supervisors deciding the same referral at once, in two committed sessions: one wins, the other gets a 409."""

import threading
import uuid as uuid_module
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import sqlalchemy as sa

from casework.auth.models import Role, User
from casework.cases.intake import open_case
from casework.cases.models import CaseEvent
from casework.clients.services import register_client
from casework.core.errors import Conflict
from casework.extensions import db
from casework.org.models import UnitKind
from casework.reference.models import Service
from casework.referrals import queries, services
from casework.referrals.models import Referral, ReferralStatus
from tests.factories import Factories


@pytest.fixture
def waiting(committed_app):
    """A committed referral waiting for approval, and two supervisors of its agency: (referral uuid, [their ids])."""
    with committed_app.app_context():
        make = Factories()
        office = make.unit()
        shelter = make.unit(agency=office.agency, kind=UnitKind.SHELTER, capacity=10)
        caseworker = make.user(role=Role.CASEWORKER, unit=office)
        supervisors = [make.user(role=Role.SUPERVISOR, unit=office) for _ in range(2)]
        client, _created = register_client(office.agency, caseworker, {"full_name": "Yanto"}, confirm_new=True)
        values = {"intake_channel": "walk_in", "intake_date": date(2026, 11, 2)}
        case, _created = open_case(office.agency, caseworker, client, values)
        service = db.session.scalar(sa.select(Service).where(Service.slug == "permakanan"))
        referral, _created = services.propose(
            case,
            caseworker,
            {
                "destination_kind": "unit",
                "to_unit_id": shelter.id,
                "service_ids": [service.id],
                "reason": "Butuh tempat aman.",
                "consent_given": True,
            },
        )
        db.session.commit()
        return str(referral.uuid), [supervisor.id for supervisor in supervisors]


def _decide(app, referral_uuid, supervisor_id, action, barrier):
    """Reads the referral, waits for the other session to read it too, then decides and commits: "won" or "conflict".

    Both read the same version on either database (a SQLite request takes the write lock only at its
    first write), so one of them decides on a version that has moved.
    """
    with app.test_request_context(method="POST"):
        supervisor = db.session.get(User, supervisor_id)
        referral = queries.readable_referral(supervisor, referral_uuid)
        version = referral.version
        barrier.wait(timeout=10)
        try:
            operation = services.approve if action == "approve" else services.reject
            operation(referral, supervisor, version, {"reason": "Bukan wewenang kita."})
            db.session.commit()
            return action
        except Conflict:
            db.session.rollback()
            return "conflict"


def test_two_supervisors_deciding_at_once_one_wins(committed_app, waiting):
    referral_uuid, (first, second) = waiting
    barrier = threading.Barrier(2)
    with ThreadPoolExecutor(2) as pool:
        outcomes = list(
            pool.map(
                lambda args: _decide(committed_app, referral_uuid, *args, barrier),
                [(first, "approve"), (second, "reject")],
            )
        )
    assert sorted(outcomes) in (["approve", "conflict"], ["conflict", "reject"])
    winner = next(outcome for outcome in outcomes if outcome != "conflict")
    with committed_app.app_context():
        referral = db.session.scalar(sa.select(Referral).where(Referral.uuid == uuid_module.UUID(referral_uuid)))
        expected = ReferralStatus.APPROVED if winner == "approve" else ReferralStatus.REJECTED
        assert referral.status == expected and referral.version == 2
        kinds = db.session.scalars(
            sa.select(CaseEvent.kind).where(CaseEvent.case_id == referral.case_id, CaseEvent.kind != "opened")
        ).all()
        assert sorted(kinds) == sorted(["referral_proposed", f"referral_{expected.value}"])
