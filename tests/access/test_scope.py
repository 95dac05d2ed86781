"""Work scope: a caseworker works on their unit's cases, a supervisor on their units', agency-wide roles on all."""

import pytest
import sqlalchemy as sa

from casework.access import scope
from casework.access.services import break_glass
from casework.audit.models import AuditEvent
from casework.auth.models import Role, ScopeKind
from casework.cases import queries as scope_queries
from casework.cases.attachments import add_attachment
from casework.cases.intake import open_case
from casework.cases.models import Case, CaseNote
from casework.extensions import db
from casework.reference.models import Service
from casework.referrals import services as referrals
from tests.cases.conftest import INTAKE_DAY
from tests.files.samples import PDF

REASON = "Klien datang malam hari, unitnya tidak dapat dihubungi."


@pytest.fixture
def branch(make, agency, office):
    """A district unit below the office."""
    return make.unit(agency=agency, name="Satpel Bantargebang", parent=office)


@pytest.fixture
def sibling(make, agency):
    """Another division of the agency, beside the office."""
    return make.unit(agency=agency, name="Bidang Linjamsos")


@pytest.fixture
def case_in(agency, make, new_client):
    """Opens a case held by a new caseworker of ``unit`` (taken in at ``region``, when given)."""

    def open_in(unit, region=None):
        holder = make.user(role=Role.CASEWORKER, unit=unit)
        values = {"intake_channel": "outreach", "intake_date": INTAKE_DAY, "intake_region_code": region}
        return open_case(agency, holder, new_client(full_name="Budi Santoso"), values)[0]

    return open_in


def readable(client, case):
    """(page status, API status) of ``case`` for the signed-in user."""
    return client.get(f"/cases/{case.uuid}").status_code, client.get(f"/api/v1/cases/{case.uuid}").status_code


def test_a_caseworker_works_on_their_units_cases_only(client, login, make, office, sibling, case_in):
    colleague_case, other_case = case_in(office), case_in(sibling)
    login(make.user(role=Role.CASEWORKER, unit=office))
    assert readable(client, colleague_case) == (200, 200)
    page = client.get(f"/cases/{other_case.uuid}")
    assert page.status_code == 403 and "di luar cakupan kerja Anda" in page.get_data(as_text=True)
    assert other_case.number in page.get_data(as_text=True)
    refused = client.get(f"/api/v1/cases/{other_case.uuid}")
    assert refused.status_code == 403 and refused.json["error"]["code"] == "out_of_scope"
    # Writes are refused alike, and nothing is written.
    note = client.post(f"/api/v1/cases/{other_case.uuid}/notes", json={"body": "Catatan"})
    notes = db.session.scalar(sa.select(sa.func.count()).select_from(CaseNote).where(CaseNote.case_id == other_case.id))
    assert note.status_code == 403 and notes == 0


def test_a_supervisor_reaches_the_units_below_theirs(client, login, make, office, branch, sibling, case_in):
    below, beside = case_in(branch), case_in(sibling)
    login(make.user(role=Role.SUPERVISOR, unit=office))
    assert readable(client, below) == (200, 200)
    assert readable(client, beside) == (403, 403)
    listed = {item["uuid"] for item in client.get("/api/v1/cases").json["items"]}
    assert str(below.uuid) in listed and str(beside.uuid) not in listed
    page = client.get("/cases/?scope=all").get_data(as_text=True)
    assert below.number in page and beside.number not in page


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DATA_OFFICER])
def test_agency_wide_roles_read_every_unit(client, login, make, sibling, case_in, role):
    other_case = case_in(sibling)
    login(make.user(role=role, unit=sibling if role == Role.ADMIN else make.unit(agency=sibling.agency)))
    assert readable(client, other_case) == (200, 200)


def test_a_region_scope_narrows_the_reach(client, login, make, office, case_in):
    inside, outside = case_in(office, "32.75.07.1004"), case_in(office, "32.75.01.1001")
    worker = make.user(role=Role.CASEWORKER, unit=office, scope_kind=ScopeKind.DISTRICTS, regions=["32.75.07"])
    login(worker)
    assert readable(client, inside) == (200, 200)
    assert readable(client, outside) == (403, 403)
    # Their own case is theirs wherever it was taken in.
    outside.caseworker_id = worker.id
    db.session.flush()
    assert readable(client, outside) == (200, 200)


def test_a_referral_opens_the_case_to_the_receiving_unit_once_approved(login, client, make, agency, sibling, case_in):
    case = case_in(sibling)
    shelter_worker = make.user(role=Role.CASEWORKER, unit=make.unit(agency=agency, name="Rumah Singgah"))
    meals = db.session.scalar(sa.select(Service.id).where(Service.slug == "permakanan"))
    values = {
        "destination_kind": "unit",
        "to_unit_id": shelter_worker.unit_id,
        "service_ids": [meals],
        "reason": "Klien perlu tempat tinggal sementara yang aman.",
        "urgency": "urgent",
        "consent_given": True,
    }
    referral, _ = referrals.propose(case, case.caseworker, values)
    assert not scope.in_scope(shelter_worker, case)
    referrals.approve(referral, make.user(role=Role.SUPERVISOR, unit=sibling), referral.version, {})
    assert scope.in_scope(shelter_worker, case)
    login(shelter_worker)
    assert readable(client, case) == (200, 200)
    assert client.get(f"/referrals/{referral.uuid}").status_code == 200


def test_break_glass_opens_another_units_case_for_a_while(client, login, make, office, sibling, case_in):
    case = case_in(sibling)
    worker = make.user(role=Role.CASEWORKER, unit=office)
    assert not scope.in_scope(worker, case)
    grant = break_glass(worker, case, REASON)
    assert scope.in_scope(worker, case)
    assert not scope.in_scope(worker, case, now=grant.expires_at)
    audited = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "access.break_glass"))
    assert audited.actor_id == worker.id and audited.object_id == str(case.id)
    login(worker)
    assert readable(client, case) == (200, 200)


def test_lists_and_files_keep_to_the_scope(client, login, make, office, sibling, case_in):
    theirs = case_in(sibling)
    attachment, _ = add_attachment(theirs, theirs.caseworker, PDF, {}, filename="surat.pdf")
    login(make.user(role=Role.CASEWORKER, unit=office))
    assert client.get(f"/files/{attachment.file.uuid}").status_code == 403
    assert theirs.number not in client.get("/services/").get_data(as_text=True)
    listed = client.get("/api/v1/cases", query_string={"q": theirs.number}).json["items"]
    assert listed == []


def test_the_scope_condition_is_one_sql_rule(make, agency, office, branch, sibling, case_in):
    cases = {unit.id: case_in(unit) for unit in (office, branch, sibling)}
    supervisor = make.user(role=Role.SUPERVISOR, unit=office)
    within = db.session.scalars(
        sa.select(Case.id).where(Case.agency_id == agency.id, scope.case_condition(supervisor))
    ).all()
    assert sorted(within) == sorted([cases[office.id].id, cases[branch.id].id])
    assert scope.case_condition(make.user(role=Role.ADMIN, unit=office)) is None


def test_a_scope_is_counted_case_by_case_however_the_case_is_reached(
    login, client, make, agency, office, sibling, case_in
):
    """The "all" tab is counted arm by arm (its unit, referred in, one's own); a case reached two ways counts once."""
    supervisor = make.user(role=Role.SUPERVISOR, unit=office)
    in_unit, referred_in, held, held_and_referred, beyond = (
        case_in(office),
        case_in(sibling),
        case_in(sibling),
        case_in(sibling),
        case_in(sibling),
    )
    meals = db.session.scalar(sa.select(Service.id).where(Service.slug == "permakanan"))
    for case in (referred_in, held_and_referred):
        values = {
            "destination_kind": "unit",
            "to_unit_id": office.id,
            "service_ids": [meals],
            "reason": "Klien perlu tempat tinggal sementara yang aman.",
            "urgency": "urgent",
            "consent_given": True,
        }
        referral, _ = referrals.propose(case, case.caseworker, values)
        referrals.approve(referral, make.user(role=Role.SUPERVISOR, unit=sibling), referral.version, {})
    for case in (held, held_and_referred):
        case.caseworker_id = supervisor.id
    db.session.flush()
    reached = {in_unit.id, referred_in.id, held.id, held_and_referred.id}
    assert len(scope_queries.caseload_parts(agency, user=supervisor)) == 3
    listed = set(db.session.scalars(scope_queries.caseload(agency, user=supervisor).with_only_columns(Case.id)))
    assert listed == reached and beyond.id not in listed
    stages, _overdue = scope_queries.caseload_counts(agency, user=supervisor)
    assert sum(stages.values()) == len(reached)
    login(supervisor)
    page = client.get("/cases/?scope=all").get_data(as_text=True)
    assert all(case.number in page for case in (in_unit, referred_in, held, held_and_referred))
    assert beyond.number not in page and "4 data · halaman 1 dari 1" in page


def test_the_supervisor_of_the_top_unit_lists_the_agency_without_a_condition(make):
    top = make.unit(agency=make.agency(), name="Sekretariat")
    below = make.unit(agency=top.agency, name="Bidang Rehabilitasi Sosial", parent=top)
    make.unit(agency=top.agency, name="Satpel Timur", parent=below)
    assert scope.case_condition(make.user(role=Role.SUPERVISOR, unit=top)) is None
    assert scope.case_condition(make.user(role=Role.SUPERVISOR, unit=below)) is not None
