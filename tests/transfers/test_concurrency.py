"""Two supervisors deciding the same transfer at once, committed for real: one decision wins, the other is a 409."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from casework.auth.models import Role
from casework.cases.intake import open_case
from casework.cases.models import CaseEvent
from casework.clients.services import register_client
from casework.extensions import db
from casework.reference.models import GovLevel
from casework.transfers import services
from casework.transfers.models import CaseTransfer, TransferStatus
from tests.conftest import build_app
from tests.factories import TEST_PASSWORD, Factories

ROUNDS = 4


@pytest.fixture(scope="module")
def committed_app():
    """An app on its own database with two agencies, a caseworker, two supervisors and proposed transfers."""
    application = build_app("transfers")
    # Each request in its own app context, from any thread (the suite's client assumes the test's context).
    application.test_client_class = FlaskClient
    with application.app_context():
        make = Factories()
        office = make.unit(code="REHSOS", name="Bidang Rehsos")
        other = make.agency(name="Dinas Sosial Kota Bandung", level=GovLevel.CITY, region_code="32.73")
        caseworker = make.user(role=Role.CASEWORKER, unit=office)
        deciders = [make.user(role=Role.SUPERVISOR, unit=office) for _ in range(2)]
        transfers = []
        for serial in range(ROUNDS):
            client, _created = register_client(
                office.agency, caseworker, {"full_name": f"Klien {serial}"}, confirm_new=True
            )
            data = {"intake_channel": "outreach", "intake_date": "2026-11-02"}
            case, _created = open_case(office.agency, caseworker, client, data)
            reason = {"to_agency_id": other.id, "reason": "Warga Bandung"}
            transfers.append(str(services.propose_transfer(case, caseworker, reason)[0].uuid))
        db.session.commit()
        application.config["TEST_DECIDERS"] = [user.username for user in deciders]
        application.config["TEST_TRANSFERS"] = transfers
    yield application
    with application.app_context():
        db.engine.dispose()


def _signed_in(app, username):
    """A test client signed in as ``username``."""
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def _decide(call):
    """Posts one decision on the transfer once both supervisors are ready; returns the status code."""
    client, action, transfer_uuid, start = call
    start.wait(timeout=10)
    body = {"version": 1, "decision_note": "Keputusan"}
    return client.post(f"/api/v1/transfers/{transfer_uuid}/{action}", json=body).status_code


def test_two_supervisors_deciding_at_once_decide_once(committed_app):
    clients = [_signed_in(committed_app, username) for username in committed_app.config["TEST_DECIDERS"]]
    for transfer_uuid in committed_app.config["TEST_TRANSFERS"]:
        start = threading.Barrier(2)
        calls = [
            (client, action, transfer_uuid, start)
            for client, action in zip(clients, ("approve", "reject"), strict=True)
        ]
        with ThreadPoolExecutor(2) as pool:
            statuses = sorted(pool.map(_decide, calls))
        assert statuses == [200, 409]
        with committed_app.app_context():
            transfer = db.session.scalar(sa.select(CaseTransfer).where(CaseTransfer.uuid == uuid.UUID(transfer_uuid)))
            assert transfer.status in (TransferStatus.APPROVED, TransferStatus.REJECTED) and transfer.version == 2
            decisions = db.session.scalar(
                sa.select(sa.func.count())
                .select_from(CaseEvent)
                .where(
                    CaseEvent.case_id == transfer.case_id,
                    CaseEvent.kind.in_(("transfer_approved", "transfer_rejected")),
                )
            )
            assert decisions == 1
