"""Notifications derived from timeline events by suffix rules; the nav badge, the list page and the API."""

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.timeline import log_event
from casework.closure.services import approve_closure, propose_closure
from casework.extensions import db
from casework.notifications.models import Notification
from tests.admin.helpers import page_text

PROPOSAL = {"outcome": "reunified", "terminated_on": "2026-11-10"}


def _told(event_kind=None):
    """{user id} told of events (of ``event_kind``)."""
    select = sa.select(Notification.user_id)
    if event_kind:
        select = select.join(Notification.event).where(sa.text("case_event.kind = :kind")).params(kind=event_kind)
    return set(db.session.scalars(select))


@pytest.fixture
def statements(app):
    """The SQL statements run while the block runs: ``with statements() as seen: ...``."""

    class Recorder:
        def __enter__(self):
            self.seen = []
            sa.event.listen(db.engine, "before_cursor_execute", self._record)
            return self.seen

        def __exit__(self, *exc):
            sa.event.remove(db.engine, "before_cursor_execute", self._record)

        def _record(self, _conn, _cursor, statement, *args):
            self.seen.append(statement)

    return Recorder


def test_a_proposal_tells_the_supervisors_of_the_cases_unit_only(
    make, office, staff, caseworker, supervisor, other_supervisor, new_case
):
    inactive = make.user(role=Role.SUPERVISOR, unit=office, active=False)
    elsewhere = make.user(role=Role.SUPERVISOR, unit=make.unit(agency=office.agency))
    staff(Role.ADMIN)
    case = new_case()
    propose_closure(case, supervisor, case.version, PROPOSAL)
    assert _told() == {other_supervisor.id}
    assert inactive.id not in _told() and elsewhere.id not in _told()


def test_without_a_supervisor_in_the_unit_every_supervisor_of_the_agency_is_told(make, office, caseworker, new_case):
    elsewhere = [make.user(role=Role.SUPERVISOR, unit=make.unit(agency=office.agency)) for _ in range(2)]
    make.user(role=Role.SUPERVISOR)  # another agency's
    case = new_case()
    propose_closure(case, caseworker, case.version, PROPOSAL)
    assert _told() == {user.id for user in elsewhere}


def test_a_decision_tells_the_proposer_and_the_caseworker_not_the_decider(
    staff, caseworker, supervisor, other_supervisor, new_case
):
    case = new_case()
    closure, _created = propose_closure(case, other_supervisor, case.version, PROPOSAL)
    approve_closure(closure, supervisor, closure.version)
    assert _told("closure_approved") == {other_supervisor.id, caseworker.id}
    # The caseworker who proposed is told once.
    second = new_case()
    closure, _created = propose_closure(second, caseworker, second.version, PROPOSAL)
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Notification))
    approve_closure(closure, supervisor, closure.version)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Notification)) == before + 1


def test_the_generic_rules_for_other_features(make, office, staff, caseworker, supervisor, new_case):
    case = new_case()
    receiving = make.unit(agency=office.agency)
    receivers = [make.user(role=Role.CASEWORKER, unit=receiving) for _ in range(2)]
    event = log_event(case, "referral_approved", supervisor, proposed_by=caseworker.id, to_unit_id=receiving.id)
    assert set(db.session.scalars(sa.select(Notification.user_id).where(Notification.event_id == event.id))) == {
        caseworker.id,
        *(user.id for user in receivers),
    }
    other_unit = make.unit()
    heads = [make.user(role=role, unit=other_unit) for role in (Role.SUPERVISOR, Role.ADMIN)]
    make.user(role=Role.CASEWORKER, unit=other_unit)
    event = log_event(
        case, "transfer_approved", supervisor, proposed_by=caseworker.id, to_agency_id=other_unit.agency_id
    )
    assert set(db.session.scalars(sa.select(Notification.user_id).where(Notification.event_id == event.id))) == {
        caseworker.id,
        *(user.id for user in heads),
    }


def test_a_kind_without_a_rule_costs_no_query(caseworker, new_case, statements):
    case = new_case()
    with statements() as seen:
        log_event(case, "note_added", caseworker)
    # Only the event's own row may be written; no recipient is looked up, no notification written.
    assert [statement for statement in seen if "case_event" not in statement] == []


def test_the_badge_the_list_and_marking_read(client, login, caseworker, supervisor, new_case, statements):
    case = new_case()
    propose_closure(case, caseworker, case.version, PROPOSAL)
    login(supervisor)
    with statements() as seen:
        home = page_text(client.get("/home"))
    assert 'data-unread aria-label="1 belum dibaca">1</span>' in home
    assert len([statement for statement in seen if "notification" in statement]) == 1
    listing = page_text(client.get("/notifications/"))
    assert "Terminasi diusulkan" in listing and case.number in listing and "Baru" in listing
    [notification] = db.session.scalars(sa.select(Notification)).all()
    opened = client.post(f"/notifications/{notification.id}/open")
    assert opened.headers["Location"] == f"/cases/{case.uuid}#timeline"
    assert notification.read_at is not None
    assert "data-unread" not in page_text(client.get("/home"))


def test_someone_elses_notification_stays_unread(client, login, caseworker, supervisor, new_case):
    case = new_case()
    propose_closure(case, caseworker, case.version, PROPOSAL)
    [notification] = db.session.scalars(sa.select(Notification)).all()
    login(caseworker)
    client.post(f"/notifications/{notification.id}/open")
    client.post("/notifications/read")
    assert client.post("/api/v1/notifications/read", json={"ids": [notification.id]}).json == {"marked": 0, "unread": 0}
    assert notification.read_at is None


def test_the_api_lists_and_marks_read(client, login, caseworker, supervisor, new_case):
    cases = [new_case(), new_case()]
    for case in cases:
        propose_closure(case, caseworker, case.version, PROPOSAL)
    login(supervisor)
    listed = client.get("/api/v1/notifications?unread=true&per_page=1").json
    assert len(listed["items"]) == 1 and listed["next_cursor"]
    newest = listed["items"][0]
    assert (newest["kind"], newest["case_uuid"], newest["read_at"]) == ("closure_proposed", str(cases[1].uuid), None)
    assert newest["label"] == "Terminasi diusulkan" and newest["details"]["outcome"] == "reunified"
    marked = client.post("/api/v1/notifications/read", json={"ids": [newest["id"]]}).json
    assert marked == {"marked": 1, "unread": 1}
    assert [item["id"] for item in client.get("/api/v1/notifications?unread=true").json["items"]] != [newest["id"]]
    assert client.post("/api/v1/notifications/read", json={}).json == {"marked": 1, "unread": 0}
    assert len(client.get("/api/v1/notifications").json["items"]) == 2
