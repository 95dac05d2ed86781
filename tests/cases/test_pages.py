"""Case pages: caseload, opening a case, the case page's steps, refusals that save nothing, and who sees what."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.models import Case, CaseEvent, CaseNote, Stage
from casework.closure import services
from casework.extensions import db
from tests.admin.helpers import page_text, table_body

TODAY = date.today()
DAY = TODAY.isoformat()
NEW_UUID = "6f1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e"


def events(case):
    """The kinds of the case's timeline events, oldest first."""
    return db.session.scalars(
        sa.select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()


def post_step(client, case, action, **fields):
    """Posts a step's form as the case page does (prefixed fields, the version shown)."""
    data = {f"{action}-version": str(case.version)}
    data.update({f"{action}-{name}": value for name, value in fields.items()})
    return client.post(f"/cases/{case.uuid}/{action}", data=data)


@pytest.fixture
def switch_to(client, login):
    """Signs out whoever is signed in, then signs ``user`` in."""

    def switch(user):
        client.post("/logout")
        return login(user)

    return switch


@pytest.fixture
def open_case(new_case):
    """A case opened today (so its deadlines are not past)."""
    return lambda **data: new_case(intake_date=TODAY, **data)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SUPERVISOR, Role.CASEWORKER, Role.DATA_OFFICER])
def test_pages_render_for_every_allowed_role(client, login, staff, open_case, role):
    case = open_case()
    login(staff(role))
    listing = client.get("/cases/?scope=all")
    assert listing.status_code == 200
    detail = client.get(f"/cases/{case.uuid}")
    assert detail.status_code == 200 and case.number in page_text(detail)
    client_page = page_text(client.get(f"/clients/{case.client.uuid}"))
    assert case.number in client_page
    manages = role != Role.DATA_OFFICER
    assert ("Mulai asesmen" in page_text(detail)) is manages
    assert client.get(f"/cases/new?client={case.client.uuid}").status_code == (200 if manages else 403)
    assert ('href="/cases/"' in page_text(client.get("/home"))) is True


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.VIEWER])
def test_volunteers_and_viewers_are_refused(client, login, staff, open_case, role):
    case = open_case()
    login(staff(role))
    assert client.get("/cases/").status_code == 403
    assert client.get(f"/cases/{case.uuid}").status_code == 403
    assert post_step(client, case, "note", body="Tidak boleh").status_code == 403
    assert 'href="/cases/"' not in page_text(client.get("/home"))


def test_another_agencys_case_is_missing(client, login, make, open_case):
    case = open_case()
    outsider = make.user(role=Role.SUPERVISOR)
    login(outsider)
    assert client.get(f"/cases/{case.uuid}").status_code == 404
    assert post_step(client, case, "note", body="Dari dinas lain").status_code == 404
    assert client.get("/cases/not-a-uuid").status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseNote)) == 0


def test_open_a_case_twice_submitted_makes_one(client, login, caseworker, new_client):
    person = new_client(full_name="Suparman")
    login(caseworker)
    form = page_text(client.get(f"/cases/new?client={person.uuid}"))
    assert 'name="uuid"' in form and "Pakai lokasi saya" in form
    data = {
        "uuid": NEW_UUID,
        "intake_channel": "outreach",
        "intake_date": DAY,
        "intake_region_code": "32.75.01",
        "intake_place": "Terminal Bekasi",
        "intake_latitude": "-6.2383",
        "intake_longitude": "106.9756",
        "circumstances": "Tidur di halte.",
    }
    first = client.post(f"/cases/new?client={person.uuid}", data=data)
    second = client.post(f"/cases/new?client={person.uuid}", data=data)
    [case] = db.session.scalars(sa.select(Case).where(Case.client_id == person.id)).all()
    assert first.headers["Location"] == second.headers["Location"] == f"/cases/{case.uuid}"
    assert (case.caseworker_id, case.intake_latitude, case.intake_region_code) == (caseworker.id, -6.2383, "32.75.01")


def test_open_a_case_refuses_bad_input_by_field(client, login, caseworker, new_client):
    person = new_client(full_name="Suparman")
    login(caseworker)
    data = {"uuid": NEW_UUID, "intake_channel": "teleport", "intake_date": "2026-02-30", "intake_latitude": "abc"}
    response = client.post(f"/cases/new?client={person.uuid}", data=data)
    assert response.status_code == 422
    text = page_text(response)
    assert "tidak ada di kalender" in text and "Koordinat GPS" in text
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0
    assert client.get("/cases/new?client=nobody").status_code == 404


def test_the_whole_flow_through_the_pages(client, login, caseworker, open_case, service, supervisor, switch_to):
    case = open_case()
    meals, clothes = service("permakanan"), service("sandang")
    login(caseworker)
    assert post_step(client, case, "begin-assessment", started_on=DAY).status_code == 302
    page = page_text(client.get(f"/cases/{case.uuid}"))
    assert "Selesaikan asesmen" in page and f'value="{meals.id}"' in page
    response = client.post(
        f"/cases/{case.uuid}/assess",
        data={
            "assess-version": case.version,
            "assess-assessed_on": DAY,
            "assess-condition": "Sehat, tidak punya pakaian ganti.",
            "assess-needs": [str(meals.id), str(clothes.id)],
            f"assess-quantity-{meals.id}": "2",
        },
    )
    assert response.status_code == 302
    due = (TODAY + timedelta(days=3)).isoformat()
    response = client.post(
        f"/cases/{case.uuid}/plan",
        data={
            "plan-version": case.version,
            "plan-planned_on": DAY,
            "plan-plan_goals": "Kembali ke keluarga",
            f"plan-due-{meals.id}": due,
        },
    )
    assert response.status_code == 302 and case.stage == Stage.INTERVENTION
    assert {need.service_id: need.due_on for need in case.needs}[meals.id].isoformat() == due
    for service_id in (meals.id, meals.id, clothes.id):
        response = post_step(client, case, "deliver", service_id=service_id, delivered_on=DAY, quantity="1")
        assert response.status_code == 302
    page = page_text(client.get(f"/cases/{case.uuid}"))
    assert case.needs_met_on == TODAY and "kebutuhan terpenuhi" in page
    proposal = {"terminate-version": case.version, "terminate-outcome": "reunified", "terminate-terminated_on": DAY}
    assert client.post(f"/cases/{case.uuid}/closure", data=proposal).status_code == 302
    assert case.stage == Stage.INTERVENTION
    switch_to(supervisor)
    [closure] = services.closures(case)
    approval = client.post(f"/cases/{case.uuid}/closure/{closure.uuid}/approve", data={"version": closure.version})
    assert approval.status_code == 302 and case.stage == Stage.AFTERCARE
    assert case.stage == Stage.AFTERCARE
    assert events(case) == [
        "opened",
        "assessment_started",
        "assessed",
        "planned",
        *["service_delivered"] * 3,
        "needs_met",
        "closure_proposed",
        "closure_approved",
    ]
    timeline = page_text(client.get(f"/cases/{case.uuid}"))
    assert timeline.index("Terminasi disetujui, kasus ditutup") < timeline.index("Kasus dibuka")
    assert "</strong>: Kembali ke keluarga: 12 bulan" in timeline


@pytest.mark.parametrize(
    ("action", "fields", "field_message"),
    [
        ("begin-assessment", {"started_on": "2026-02-30"}, "tidak ada di kalender"),
        ("note", {"body": "x" * 10_001}, "Paling banyak 10000 karakter."),
        ("admit", {"unit_id": "999999", "admitted_on": DAY}, "Pilih rumah singgah"),
    ],
)
def test_bad_input_is_refused_by_field_and_saves_nothing(
    client, login, caseworker, open_case, action, fields, field_message
):
    case = open_case()
    login(caseworker)
    response = post_step(client, case, action, **fields)
    assert response.status_code == 422
    assert field_message in page_text(response)
    assert events(case) == ["opened"] and case.stage == Stage.INTAKE


def test_discharge_before_admission_is_refused(client, login, caseworker, open_case, shelter):
    case = open_case()
    login(caseworker)
    assert post_step(client, case, "admit", unit_id=str(shelter.id), admitted_on=DAY).status_code == 302
    page = page_text(client.get(f"/cases/{case.uuid}"))
    assert "Rumah Singgah Uji" in page and "Batas tinggal" in page
    before = (TODAY - timedelta(days=1)).isoformat()
    response = post_step(client, case, "discharge", discharged_on=before, setting="family")
    assert response.status_code == 422
    assert "Tanggal keluar tidak boleh sebelum tanggal masuk." in page_text(response)
    assert case.current_stay is not None


def test_a_tampered_service_is_refused(client, login, caseworker, open_case):
    case = open_case()
    login(caseworker)
    post_step(client, case, "begin-assessment", started_on=DAY)
    response = client.post(
        f"/cases/{case.uuid}/assess",
        data={
            "assess-version": case.version,
            "assess-assessed_on": DAY,
            "assess-condition": "Baik",
            "assess-needs": "999999",
        },
    )
    assert response.status_code == 422
    assert "tidak ada di katalog layanan" in page_text(response)
    assert case.stage == Stage.ASSESSMENT
    response = post_step(client, case, "deliver", service_id="abc", delivered_on=DAY)
    assert response.status_code == 422 and "tidak ada di katalog layanan" in page_text(response)


def test_a_stale_version_shows_the_current_case_and_keeps_what_was_typed(client, login, caseworker, open_case):
    case = open_case()
    login(caseworker)
    stale = case.version
    post_step(client, case, "setting", setting="family")
    response = client.post(
        f"/cases/{case.uuid}/closure",
        data={
            "terminate-version": stale,
            "terminate-outcome": "refused",
            "terminate-terminated_on": DAY,
            "terminate-termination_notes": "Menolak dibawa ke shelter",
        },
    )
    assert response.status_code == 409
    text = page_text(response)
    assert "sudah diubah orang lain" in text and "Menolak dibawa ke shelter" in text
    assert f'name="terminate-version" type="hidden" value="{case.version}"' in text
    assert "Tempat layanan: Keluarga" in text and case.stage == Stage.INTAKE


def test_a_step_out_of_order_is_a_conflict(client, login, caseworker, open_case):
    case = open_case()
    login(caseworker)
    response = post_step(client, case, "plan", planned_on=DAY, plan_goals="Pulang")
    assert response.status_code == 409 and "tidak bisa dilakukan" in page_text(response)
    assert client.post(f"/cases/{case.uuid}/explode", data={}).status_code == 404


def test_assign_is_for_supervisors(client, login, switch_to, staff, office, open_case):
    case = open_case()
    other = staff(Role.CASEWORKER)
    login(staff(Role.CASEWORKER))
    assert "Alihkan kasus" not in page_text(client.get(f"/cases/{case.uuid}"))
    assert post_step(client, case, "assign", unit_id=str(office.id), caseworker_id=str(other.id)).status_code == 403
    switch_to(staff(Role.SUPERVISOR))
    assert "Alihkan kasus" in page_text(client.get(f"/cases/{case.uuid}"))
    response = post_step(client, case, "assign", unit_id=str(office.id), caseworker_id=str(other.id))
    assert response.status_code == 302 and case.caseworker_id == other.id


def test_caseload_tabs_filters_and_counts(client, login, switch_to, staff, caseworker, new_case, new_client):
    late = new_case(intake_date=TODAY - timedelta(days=30))
    fresh = new_case(client=new_client(full_name="Rina Kartika"), intake_date=TODAY)
    login(caseworker)
    mine = page_text(client.get("/cases/"))
    assert late.number in table_body(client.get("/cases/")) and fresh.number in mine
    assert "Unit saya" not in mine
    overdue = table_body(client.get("/cases/?overdue=assessment"))
    assert late.number in overdue and fresh.number not in overdue
    assert "Asesmen lewat tenggat" in overdue
    by_name = table_body(client.get("/cases/?q=Rina"))
    assert fresh.number in by_name and late.number not in by_name
    by_number = table_body(client.get(f"/cases/?q={late.number}"))
    assert late.number in by_number and fresh.number not in by_number
    assert client.get("/cases/?stage=nonsense").status_code == 422
    assert fresh.number not in table_body(client.get("/cases/?stage=terminated"))
    switch_to(staff(Role.CASEWORKER))
    assert fresh.number not in table_body(client.get("/cases/"))
    switch_to(staff(Role.SUPERVISOR))
    assert fresh.number in table_body(client.get("/cases/?scope=unit"))


def test_home_shows_my_open_and_overdue_cases(client, login, caseworker, new_case):
    new_case(intake_date=TODAY - timedelta(days=30))
    login(caseworker)
    home = page_text(client.get("/home"))
    assert 'href="/cases/?scope=mine&amp;overdue=assessment"><strong>1</strong>' in home
    assert "kasus belum diterminasi" in home


def test_agency_case_deadlines(client, login, staff, agency):
    login(staff(Role.ADMIN))
    data = {"name": agency.name, "level": "city", "region_code": "32.75", "address": "", "phone": ""}
    deadlines = {"stay_limit_days": "10", "assessment_due_days": "5", "service_due_days": "21"}
    assert client.post("/admin/agency", data={**data, **deadlines}).status_code == 302
    assert (agency.stay_limit_days, agency.assessment_due_days, agency.service_due_days) == (10, 5, 21)
    response = client.post(
        "/admin/agency", data={**data, **deadlines, "stay_limit_days": "0", "service_due_days": "400"}
    )
    assert response.status_code == 422
    assert page_text(response).count("Isi jumlah hari dari 1 sampai 365.") == 2
    assert client.post("/admin/agency", data={**data, **deadlines, "assessment_due_days": "abc"}).status_code == 422
    assert agency.stay_limit_days == 10


def test_caseload_reads_a_fixed_number_of_queries_however_many_rows(client, login, caseworker, open_case, new_client):
    statements = []

    def count(*_args):
        statements.append(1)

    def queries_for_page():
        statements.clear()
        sa.event.listen(db.engine, "before_cursor_execute", count)
        try:
            assert client.get("/cases/").status_code == 200
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", count)
        return len(statements)

    login(caseworker)
    open_case()
    few = queries_for_page()
    for n in range(5):
        open_case(client=new_client(full_name=f"Klien Uji {n}"))
    assert queries_for_page() == few <= 15
