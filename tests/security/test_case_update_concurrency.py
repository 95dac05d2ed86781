"""Many clients correcting the same case at once through the API: every write lands or gets a 409, none is lost.

Real commits (``committed_app``) and one thread per client. Each client reads the case, waits until all have read,
then PATCHes it with the version it read and its own text; afterwards the case's version, its audit rows and the
text it holds account for exactly the writes that got a 200.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from functools import partial

import sqlalchemy as sa

from casework.audit import chain
from casework.audit.models import AuditEvent
from casework.auth.models import Role
from casework.auth.services import issue_token
from casework.cases.intake import open_case
from casework.cases.models import Case
from casework.clients.services import register_client
from casework.extensions import db
from tests.factories import Factories

CLIENTS = 8
ROUNDS = 3


def _case_and_tokens(app):
    """A committed case and one caseworker's bearer token per client thread."""
    with app.app_context():
        make = Factories()
        unit = make.unit()
        workers = [make.user(role=Role.CASEWORKER, unit=unit) for _ in range(CLIENTS)]
        client, _ = register_client(unit.agency, workers[0], {"full_name": "Budi Santoso"}, confirm_new=True)
        intake = {"intake_channel": "outreach", "intake_date": (date.today() - timedelta(days=3)).isoformat()}
        case, _ = open_case(unit.agency, workers[0], client, intake)
        tokens = [issue_token(worker, "Tablet")[1] for worker in workers]
        db.session.commit()
        return case.id, str(case.uuid), tokens


def _writer(app, url, token, text, barrier):
    """Reads the case, waits for the others, PATCHes it at the version read; returns (status, text)."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    with app.app_context():  # the test client expires this context's session after each request
        read = client.get(url, headers=headers)
        assert read.status_code == 200, read.status_code
        barrier.wait(timeout=30)
        response = client.patch(url, headers=headers, json={"version": read.json["version"], "circumstances": text})
    return response.status_code, text, response.json


def _audited(app, case_id):
    """The number of intake corrections the audit trail holds for the case."""
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "case.intake_corrected", AuditEvent.object_id == str(case_id))
        )


def test_parallel_updates_of_one_case_land_or_conflict_and_none_is_lost(committed_app):
    case_id, case_uuid, tokens = _case_and_tokens(committed_app)
    url = f"/api/v1/cases/{case_uuid}"
    with committed_app.app_context():
        start = db.session.get(Case, case_id).version
    landed, statuses = [], []
    for round_ in range(ROUNDS):
        barrier = threading.Barrier(CLIENTS)
        with ThreadPoolExecutor(CLIENTS) as pool:
            texts = [f"Koreksi {round_}-{n}" for n in range(CLIENTS)]
            results = list(pool.map(partial(_writer, committed_app, url, barrier=barrier), tokens, texts))
        statuses += [status for status, _text, _body in results]
        landed += [(text, body) for status, text, body in results if status == 200]
        for status, _text, body in results:
            if status == 409:
                assert body["error"]["code"] == "conflict" and body["error"]["current"]["uuid"] == case_uuid
    assert set(statuses) <= {200, 409}, statuses
    # All read the same version before any wrote: exactly one write of each round lands.
    assert len(landed) == ROUNDS and statuses.count(409) == ROUNDS * (CLIENTS - 1)
    with committed_app.app_context():
        case = db.session.get(Case, case_id)
        assert case.version == start + len(landed)
        # The last write to land is what the case holds; every landed write returned the version it made.
        assert case.circumstances in {text for text, _body in landed}
        assert sorted(body["version"] for _text, body in landed) == list(range(start + 1, case.version + 1))
    assert _audited(committed_app, case_id) == len(landed)
    with committed_app.app_context():
        assert chain.seal() > 0
        verification = chain.verify()
    assert verification.broken is None and verification.unsealed == 0
