"""Two people closing the same tracing request at the same moment: one wins, the other gets a clear 409."""

import threading
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.auth.services import issue_token
from casework.cases.intake import open_case
from casework.cases.models import CaseEvent
from casework.clients.services import register_client
from casework.extensions import db
from casework.tracing.services import open_request
from tests.admin.helpers import bearer
from tests.conftest import build_app
from tests.factories import Factories
from tests.tracing.conftest import REQUEST


@pytest.fixture(autouse=True)
def _transaction():
    """Replaces the suite's rolled-back test transaction: these writes must really commit, from two threads."""
    yield


@pytest.fixture(scope="module")
def race():
    """An app on its own committed database with an open tracing request and two supervisors' tokens."""
    app = build_app("tracing_race")
    with app.app_context():
        make = Factories()
        unit = make.unit(code="REHSOS")
        first, second = make.user(role=Role.SUPERVISOR, unit=unit), make.user(role=Role.SUPERVISOR, unit=unit)
        client, _created = register_client(unit.agency, first, {"full_name": "Budi Santoso"}, confirm_new=True)
        intake = date.today() - timedelta(days=5)
        case, _created = open_case(unit.agency, first, client, {"intake_channel": "outreach", "intake_date": intake})
        tracing, _created = open_request(case, first, {**REQUEST, "opened_on": intake.isoformat()})
        tokens = [issue_token(user, "Tablet")[1] for user in (first, second)]
        db.session.commit()
        url = f"/api/v1/cases/{case.uuid}/tracing/{tracing.uuid}/close"
        case_id, version = case.id, tracing.version
    yield app, url, tokens, case_id, version
    with app.app_context():
        db.engine.dispose()


def test_two_closings_at_once_one_wins(race):
    app, url, tokens, case_id, version = race
    start = threading.Barrier(2)
    answers = []

    def close(token, status):
        # The test client lets its session see each request's writes, which needs an app context around it.
        with app.app_context():
            client = app.test_client()
            start.wait()
            response = client.post(
                url,
                json={"version": version, "status": status, "closed_on": date.today().isoformat()},
                headers=bearer(token),
            )
            answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=close, args=pair) for pair in zip(tokens, ("found", "not_found"), strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    codes = sorted(code for code, _body in answers)
    assert codes == [200, 409], answers
    winner = next(body for code, body in answers if code == 200)
    loser = next(body for code, body in answers if code == 409)
    assert loser["error"]["current"]["status"] == winner["status"]
    with app.app_context():
        closed = db.session.scalar(
            sa.select(sa.func.count()).where(CaseEvent.case_id == case_id, CaseEvent.kind == "tracing_closed")
        )
    assert closed == 1
