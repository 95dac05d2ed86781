"""Sensitive records on the pages: who reads them, the restricted page, break glass, its expiry, the view audit."""

from datetime import timedelta

import sqlalchemy as sa

from casework.access.models import BreakGlassGrant
from casework.audit.models import AuditEvent
from casework.auth.models import Role
from casework.clients.services import register_client
from casework.core.types import utcnow
from casework.extensions import db
from casework.notifications.models import Notification
from tests.access.conftest import VICTIM_NAME, category_id

GOOD_REASON = "Klien dibawa ke IGD malam ini, perlu riwayat penanganan."


def audit_rows(action, case=None):
    """The audit rows of ``action`` (on ``case`` when given), oldest first."""
    select = sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    if case is not None:
        select = select.where(AuditEvent.object_id == str(case.id))
    return db.session.scalars(select).all()


def test_the_assigned_caseworker_reads_the_case_and_the_view_is_audited(client, login, caseworker, sensitive_case):
    login(caseworker)
    response = client.get(f"/cases/{sensitive_case.uuid}")
    assert response.status_code == 200
    assert VICTIM_NAME in response.get_data(as_text=True)
    viewed = audit_rows("case.viewed", sensitive_case)
    assert [(row.actor_id, row.details) for row in viewed] == [(caseworker.id, {"via": "assigned"})]
    assert viewed[0].address is not None


def test_the_units_supervisor_reads_the_case_and_the_client(client, login, supervisor, sensitive_case):
    login(supervisor)
    assert client.get(f"/cases/{sensitive_case.uuid}").status_code == 200
    assert client.get(f"/clients/{sensitive_case.client.uuid}").status_code == 200
    assert [row.details["via"] for row in audit_rows("case.viewed")] == ["supervisor"]
    assert [row.details["via"] for row in audit_rows("client.viewed")] == ["supervisor"]


def test_another_caseworker_gets_the_restricted_page(client, login, other_caseworker, caseworker, sensitive_case):
    login(other_caseworker)
    response = client.get(f"/cases/{sensitive_case.uuid}")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Kasus ini bersifat rahasia" in page
    assert sensitive_case.number in page and caseworker.full_name in page
    assert VICTIM_NAME not in page and "Ratna" not in page
    assert f"/cases/{sensitive_case.uuid}/break-glass" in page
    client_page = client.get(f"/clients/{sensitive_case.client.uuid}")
    assert client_page.status_code == 403 and "Ratna" not in client_page.get_data(as_text=True)
    assert audit_rows("case.viewed") == []


def test_writes_on_a_restricted_case_are_refused(client, login, other_caseworker, sensitive_case):
    login(other_caseworker)
    response = client.post(f"/cases/{sensitive_case.uuid}/note", data={"note-body": "coba", "note-version": "1"})
    assert response.status_code == 403
    assert "Kasus ini bersifat rahasia" in response.get_data(as_text=True)


def test_break_glass_needs_a_reason_of_twenty_characters(client, login, other_caseworker, sensitive_case):
    login(other_caseworker)
    response = client.post(f"/cases/{sensitive_case.uuid}/break-glass", data={"reason": "darurat"})
    assert response.status_code == 422
    assert "paling sedikit 20 karakter" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(BreakGlassGrant)) == 0


def test_break_glass_opens_the_case_for_a_while_and_tells_the_supervisor(
    client, login, other_caseworker, supervisor, sensitive_case
):
    login(other_caseworker)
    response = client.post(f"/cases/{sensitive_case.uuid}/break-glass", data={"reason": GOOD_REASON})
    assert response.status_code == 302
    grant = db.session.scalars(sa.select(BreakGlassGrant)).one()
    assert (grant.user_id, grant.client_id, grant.case_id) == (
        other_caseworker.id,
        sensitive_case.client_id,
        sensitive_case.id,
    )
    assert grant.expires_at - grant.granted_at == timedelta(minutes=60)
    [audited] = audit_rows("access.break_glass", sensitive_case)
    assert audited.actor_id == other_caseworker.id and GOOD_REASON not in str(audited.details)
    told = db.session.scalars(sa.select(Notification.user_id).where(Notification.case_id == sensitive_case.id)).all()
    assert supervisor.id in told and other_caseworker.id not in told

    page = client.get(f"/cases/{sensitive_case.uuid}")
    assert page.status_code == 200 and VICTIM_NAME in page.get_data(as_text=True)
    assert [row.details["via"] for row in audit_rows("case.viewed")] == ["break_glass"]


def test_an_expired_grant_no_longer_opens_the_case(client, login, other_caseworker, sensitive_case):
    past = utcnow() - timedelta(hours=2)
    db.session.add(
        BreakGlassGrant(
            user_id=other_caseworker.id,
            client_id=sensitive_case.client_id,
            case_id=sensitive_case.id,
            reason=GOOD_REASON,
            granted_at=past,
            expires_at=past + timedelta(minutes=60),
        )
    )
    db.session.flush()
    login(other_caseworker)
    assert client.get(f"/cases/{sensitive_case.uuid}").status_code == 403


def test_a_category_that_ended_makes_the_case_ordinary(client, login, other_caseworker, open_for):
    case = open_for("korban-perdagangan-orang", until="2026-03-01")
    login(other_caseworker)
    assert client.get(f"/cases/{case.uuid}").status_code == 200
    assert audit_rows("case.viewed") == []


def test_a_plain_case_is_unaffected(client, login, other_caseworker, plain_case):
    login(other_caseworker)
    response = client.get(f"/cases/{plain_case.uuid}")
    assert response.status_code == 200 and "Sutrisno Wibowo" in response.get_data(as_text=True)
    assert client.post(f"/cases/{plain_case.uuid}/break-glass", data={"reason": GOOD_REASON}).status_code == 409
    assert audit_rows("case.viewed") == []


def test_an_administrator_is_not_a_named_role_by_default(client, login, staff, sensitive_case):
    login(staff(Role.ADMIN))
    assert client.get(f"/cases/{sensitive_case.uuid}").status_code == 403


def test_the_registrar_reads_a_sensitive_client_until_its_first_case(
    client, login, agency, caseworker, other_caseworker
):
    held = {"category_id": category_id("odgj"), "since": "2026-01-01"}
    person = register_client(agency, caseworker, {"full_name": "Bambang Irawan", "categories": [held]})[0]
    login(caseworker)
    assert client.get(f"/clients/{person.uuid}").status_code == 200
    assert [row.details["via"] for row in audit_rows("client.viewed")] == ["registered"]


def test_others_do_not_read_a_sensitive_client_without_a_case(client, login, agency, caseworker, other_caseworker):
    held = {"category_id": category_id("odgj"), "since": "2026-01-01"}
    person = register_client(agency, caseworker, {"full_name": "Bambang Irawan", "categories": [held]})[0]
    login(other_caseworker)
    restricted = client.get(f"/clients/{person.uuid}")
    assert restricted.status_code == 403 and "Bambang" not in restricted.get_data(as_text=True)
    assert client.get(f"/cases/new?client={person.uuid}").status_code == 403


def test_the_consents_of_a_restricted_client_are_refused(client, login, other_caseworker, sensitive_case):
    login(other_caseworker)
    assert client.get(f"/privacy/clients/{sensitive_case.client.uuid}/consents").status_code == 403
    assert client.get(f"/api/v1/clients/{sensitive_case.client.uuid}/consents").status_code == 403


def test_the_subject_export_of_a_restricted_client_needs_access(
    client, login, make, agency, supervisor, sensitive_case
):
    login(make.user(role=Role.SUPERVISOR, unit=make.unit(agency=agency)))
    page = client.get(f"/privacy/subjects/{sensitive_case.client.uuid}")
    assert page.status_code == 403 and "Ratna" not in page.get_data(as_text=True)


def test_the_units_supervisor_opens_the_subject_export(client, login, supervisor, sensitive_case):
    login(supervisor)
    page = client.get(f"/privacy/subjects/{sensitive_case.client.uuid}")
    assert page.status_code == 200 and f"/privacy/subjects/{sensitive_case.client.uuid}/export" in page.get_data(
        as_text=True
    )
