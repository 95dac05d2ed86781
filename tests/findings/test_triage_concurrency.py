"""Two supervisors deciding the same report at once, in two committed sessions: one wins, the other gets a 409 and
leaves nothing behind (no client, no case)."""

import threading
import uuid as uuid_module
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from casework.auth.models import Role, ScopeKind, User
from casework.cases.models import Case
from casework.clients.models import Client
from casework.core.errors import Conflict
from casework.extensions import db
from casework.findings import queue, services, triage
from casework.findings.models import Report, ReportEvent, ReportStatus
from casework.org.models import UnitKind
from tests.factories import Factories
from tests.findings.conftest import DISTRICT, finding_data


@pytest.fixture
def waiting(committed_app):
    """A committed finding waiting in a district unit's queue, and two supervisors: (report uuid, [their ids])."""
    with committed_app.app_context():
        make = Factories()
        office = make.unit()
        district = make.unit(agency=office.agency, kind=UnitKind.DISTRICT_UNIT, region_code=DISTRICT, parent=office)
        volunteer = make.user(role=Role.VOLUNTEER, unit=district, scope_kind=ScopeKind.DISTRICTS, regions=[DISTRICT])
        supervisors = [make.user(role=Role.SUPERVISOR, unit=district) for _ in range(2)]
        observed = (date.today() - timedelta(days=1)).isoformat()
        report, _created = services.submit_finding(
            office.agency, volunteer, finding_data(observed_on=observed, person_name="Waluyo Sastrowardoyo")
        )
        db.session.commit()
        return str(report.uuid), [supervisor.id for supervisor in supervisors]


def _decide(app, report_uuid, supervisor_id, action, barrier):
    """Reads the report, waits for the other session to read it too, then decides and commits: the action or "conflict".

    Both read the same version on either database (a SQLite request takes the write lock only at its
    first write), so one of them decides on a version that has moved.
    """
    with app.test_request_context(method="POST"):
        supervisor = db.session.get(User, supervisor_id)
        report = queue.agency_report(supervisor.agency_id, report_uuid)
        version = report.version
        barrier.wait(timeout=10)
        data = {"caseworker_id": supervisor.id} if action == "open-case" else {"reason": "not_found"}
        try:
            triage.OPERATIONS[action](report, supervisor, version, data)
            db.session.commit()
            return action
        except Conflict:
            db.session.rollback()
            return "conflict"


def test_two_supervisors_deciding_at_once_one_wins_and_the_other_writes_nothing(committed_app, waiting):
    report_uuid, (first, second) = waiting
    with committed_app.app_context():
        clients_before = db.session.scalar(sa.select(sa.func.count()).select_from(Client))
    barrier = threading.Barrier(2)
    with ThreadPoolExecutor(2) as pool:
        outcomes = list(
            pool.map(
                lambda args: _decide(committed_app, report_uuid, *args, barrier),
                [(first, "open-case"), (second, "close")],
            )
        )
    assert sorted(outcomes) in (["close", "conflict"], ["conflict", "open-case"])
    opened = "open-case" in outcomes
    with committed_app.app_context():
        report = db.session.scalar(sa.select(Report).where(Report.uuid == uuid_module.UUID(report_uuid)))
        assert report.status == (ReportStatus.CASE_OPENED if opened else ReportStatus.CLOSED)
        clients = db.session.scalar(sa.select(sa.func.count()).select_from(Client))
        cases = db.session.scalar(sa.select(sa.func.count()).select_from(Case))
        assert clients == clients_before + (1 if opened else 0)
        assert cases == (1 if opened else 0)
        kinds = db.session.scalars(sa.select(ReportEvent.kind).where(ReportEvent.report_id == report.id)).all()
        assert sorted(kinds) == sorted(["received", "case_opened" if opened else "closed"])
