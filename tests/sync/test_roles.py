"""The caseload per role, and the sensitive-record rules applied to it."""

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.clients.services import register_client
from casework.extensions import db
from casework.findings.services import submit_finding
from casework.reference.models import Category
from tests.sync.conftest import FINDING, settle

FEED = "/api/v1/sync/caseload"


def case_uuids(body):
    return {case["uuid"] for case in body["records"]["cases"]}


def test_a_supervisor_gets_the_cases_they_hold_not_their_units(field, new_case, signed_in):
    held = new_case(holder=field.users.supervisor)
    new_case()  # the unit's caseworker's
    body = signed_in(field.users.supervisor).get(FEED).json
    assert case_uuids(body) == {str(held.uuid)}


def test_an_admin_gets_the_cases_they_hold_which_the_rules_make_none(field, new_case, signed_in):
    new_case()  # only caseworkers and supervisors hold cases (casework.cases.intake.case_holder)
    response = signed_in(field.users.admin).get(FEED)
    assert response.status_code == 200 and case_uuids(response.json) == set()
    assert response.json["reference"]["services"]


def test_a_volunteer_gets_their_own_findings_and_no_case_data(field, new_case, signed_in):
    new_case()
    report, _created = submit_finding(field.agency, field.users.volunteer, dict(FINDING))
    db.session.commit()
    device = signed_in(field.users.volunteer)
    first = device.get(FEED)
    assert first.status_code == 200, first.json
    body = first.json
    assert [finding["uuid"] for finding in body["records"]["findings"]] == [str(report.uuid)]
    assert body["records"]["findings"][0]["status"] == report.status.value
    assert all(body["records"][kind] == [] for kind in ("cases", "clients", "deliveries", "notes"))
    settle()
    second, _created = submit_finding(field.agency, field.users.volunteer, dict(FINDING, place="Terminal"))
    db.session.commit()
    delta = device.get(FEED, query_string={"cursor": body["cursor"]}).json
    assert [finding["uuid"] for finding in delta["records"]["findings"]] == [str(second.uuid)]


def test_roles_without_field_work_are_refused(field, signed_in):
    response = signed_in(field.users.viewer).get(FEED)
    assert response.status_code == 403


def test_a_sensitive_client_of_someone_else_never_appears_and_ones_own_is_audited(field, new_case, signed_in):
    violence = db.session.scalar(sa.select(Category.id).where(Category.slug == "korban-tindak-kekerasan"))
    held = {"category_id": violence, "since": "2026-01-01"}

    def victim(holder, name):
        client, _created = register_client(
            field.agency, holder, {"full_name": name, "categories": [held]}, confirm_new=True
        )
        return new_case(holder=holder, client=client)

    theirs, mine = victim(field.users.other, "Ratna Sulistyowati"), victim(field.users.caseworker, "Dewi Lestari")
    device = signed_in(field.users.caseworker)
    body = device.get(FEED).json
    assert "Ratna" not in str(body) and str(theirs.client.uuid) not in str(body)
    assert [client["full_name"] for client in body["records"]["clients"]] == ["Dewi Lestari"]
    settle()
    views = db.session.scalars(
        sa.select(AuditEvent.action).where(
            AuditEvent.actor_id == field.users.caseworker.id, AuditEvent.action.in_(("client.viewed", "case.viewed"))
        )
    ).all()
    assert sorted(views) == ["case.viewed", "client.viewed"]
    theirs.circumstances = "Diubah."
    db.session.commit()
    delta = device.get(FEED, query_string={"cursor": body["cursor"]}).json
    assert str(theirs.uuid) not in str(delta) and mine.uuid


def test_a_cursor_older_than_the_offline_limit_is_refused(ctx, field, signed_in):
    device = signed_in(field.users.caseworker)
    cursor = device.get(FEED).json["cursor"]
    limit = ctx.config["OFFLINE_MAX_DAYS"]
    ctx.config["OFFLINE_MAX_DAYS"] = -2  # every cursor is then older than allowed
    try:
        response = device.get(FEED, query_string={"cursor": cursor})
    finally:
        ctx.config["OFFLINE_MAX_DAYS"] = limit
    assert response.status_code == 400 and response.json["error"]["code"] == "bad_cursor"
