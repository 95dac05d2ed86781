"""Two supervisors approving (or one approving, one rejecting) the same closure at once: one wins, the other 409."""

import threading
import uuid
from datetime import date

import pytest

from casework.auth.models import Role, User
from casework.cases.intake import open_case
from casework.clients.services import register_client
from casework.closure.models import CaseClosure, ClosureStatus
from casework.closure.services import propose_closure
from casework.extensions import db
from casework.notifications.models import Notification
from tests.conftest import build_app
from tests.factories import TEST_PASSWORD, Factories


@pytest.fixture(scope="module")
def committed_app():
    """An app on its own database, with an agency, a caseworker and two supervisors; writes commit for real."""
    application = build_app("closure")
    with application.app_context():
        make = Factories()
        unit = make.unit()
        caseworker = make.user(Role.CASEWORKER, unit=unit)
        supervisors = [make.user(Role.SUPERVISOR, unit=unit) for _ in range(2)]
        db.session.commit()
        application.config["TEST_PEOPLE"] = (unit.agency_id, caseworker.id, [user.username for user in supervisors])
    yield application
    with application.app_context():
        db.engine.dispose()


def _pending_closure(app):
    """A new case with a closure waiting, committed; returns (case uuid, closure uuid, closure version)."""
    _agency_id, caseworker_id, _names = app.config["TEST_PEOPLE"]
    with app.app_context():
        caseworker = db.session.get(User, caseworker_id)
        agency = caseworker.agency
        person, _created = register_client(agency, caseworker, {"full_name": "Suminah"}, confirm_new=True)
        values = {"intake_channel": "walk_in", "intake_date": date(2026, 11, 2)}
        case, _created = open_case(agency, caseworker, person, values)
        closure, _created = propose_closure(
            case, caseworker, case.version, {"outcome": "refused", "terminated_on": "2026-11-03"}
        )
        db.session.commit()
        return str(case.uuid), str(closure.uuid), closure.version


def _decide_at_once(app, paths_and_bodies):
    """Each supervisor posts their decision at the same moment; returns the status codes in supervisor order."""
    _agency, _caseworker, names = app.config["TEST_PEOPLE"]
    clients = []
    for name in names:
        client = app.test_client()
        with app.app_context():
            assert client.post("/login", data={"username": name, "password": TEST_PASSWORD}).status_code == 302
        clients.append(client)
    start = threading.Barrier(len(clients))
    statuses = [None] * len(clients)

    def decide(index):
        path, body = paths_and_bodies[index]
        with app.app_context():
            start.wait()
            statuses[index] = clients[index].post(path, json=body).status_code

    threads = [threading.Thread(target=decide, args=(index,)) for index in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


@pytest.mark.parametrize("second", ["approval", "rejection"])
def test_two_supervisors_deciding_at_once_one_wins(committed_app, second):
    case_uuid, closure_uuid, version = _pending_closure(committed_app)
    base = f"/api/v1/cases/{case_uuid}/closures/{closure_uuid}"
    reason = {"reason": "Belum ada kunjungan rumah"} if second == "rejection" else {}
    statuses = _decide_at_once(
        committed_app,
        [(f"{base}/approval", {"version": version}), (f"{base}/{second}", {"version": version, **reason})],
    )
    assert sorted(statuses) == [200, 409]
    with committed_app.app_context():
        closure = db.session.scalar(db.select(CaseClosure).where(CaseClosure.uuid == uuid.UUID(closure_uuid)))
        assert closure.status in (ClosureStatus.APPROVED, ClosureStatus.REJECTED) and closure.version == version + 1
        decided = db.session.scalars(
            db.select(Notification.event_id).where(Notification.case_id == closure.case_id)
        ).all()
        # One proposal notified both supervisors; one decision notified the caseworker once.
        assert len(decided) == 3
