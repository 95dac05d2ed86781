"""Aftercare pages: the exit assessment beside the closure, the volunteer's visits, figures, variables, settings."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework.aftercare.models import AftercareVisit, ExitAssessment, SelfRelianceVariable
from casework.auth.models import Role
from casework.extensions import db
from tests.admin.helpers import page_text
from tests.aftercare.conftest import full_scores


def _scores(**changed):
    return {f"score_{code}": value for code, value in {**full_scores(3), **changed}.items()}


def _first_visit(case):
    return db.session.scalar(
        sa.select(AftercareVisit).where(AftercareVisit.case_id == case.id).order_by(AftercareVisit.month_offset)
    )


def test_the_exit_assessment_from_the_case_page(client, login, caseworker, ended_case):
    case = ended_case(date(2025, 3, 31), "reunified")
    login(caseworker)
    page = page_text(client.get(f"/cases/{case.uuid}"))
    assert 'id="aftercare"' in page and "Asesmen akhir belum dicatat." in page
    url = f"/aftercare/cases/{case.uuid}/exit"
    form = page_text(client.get(url))
    assert 'name="score_income"' in form and "bobot 3, maks. 4" in form
    refused = client.post(url, data={**_scores(income="9"), "assessed_on": "2025-03-31", "decision": "self_reliant"})
    assert refused.status_code == 422
    assert "Isi nilai 0 sampai 4." in page_text(refused)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ExitAssessment)) == 0
    done = client.post(url, data={**_scores(), "assessed_on": "2025-03-31", "decision": "self_reliant"})
    assert done.status_code == 302 and done.location.endswith(f"/cases/{case.uuid}#aftercare")
    page = page_text(client.get(f"/cases/{case.uuid}"))
    # 3 of 4 everywhere: 36 of 48 = 75 %.
    assert "Indeks kemandirian 75.00 (36 dari 48)" in page and "jenis kelulusan: Mandiri" in page
    assert page.count("data-aftercare-visit=") == 5
    assert "Asesmen akhir (indeks kemandirian) dicatat" in page


def test_a_stale_replacement_is_refused(client, login, caseworker, ended_case, assess):
    case = ended_case(date(2025, 3, 31))
    assessment = assess(case)
    login(caseworker)
    form = page_text(client.get(f"/aftercare/cases/{case.uuid}/exit"))
    assert 'name="score_income" value="4"' in form
    data = {**_scores(), "assessed_on": "2025-03-31", "decision": "not_self_reliant", "version": assessment.version - 1}
    refused = client.post(f"/aftercare/cases/{case.uuid}/exit", data=data)
    assert refused.status_code == 409
    assert "sudah diubah orang lain" in page_text(refused)


def test_a_volunteer_sees_and_records_only_visits_in_scope(client, login, make, office, volunteer, ended_case, assess):
    inside = ended_case(date(2025, 3, 31))
    assess(inside)
    outside = ended_case(date(2025, 3, 31), client=None)
    outside.client.domicile_region_code = "32.75.02.1001"
    assess(outside)
    login(volunteer)
    listing = page_text(client.get("/aftercare/visits"))
    visit = _first_visit(inside)
    assert listing.count("data-visit=") == 5
    assert f'data-visit="{visit.id}"' in listing and "Siti Aminah" in listing
    # Only what the visit needs: no case number, no case page.
    assert inside.number not in listing and f"/cases/{inside.uuid}" not in listing
    assert client.get(f"/aftercare/visits/{_first_visit(outside).id}").status_code == 404
    assert client.get(f"/cases/{inside.uuid}").status_code == 403
    form = page_text(client.get(f"/aftercare/visits/{visit.id}"))
    assert "Bulan ke-6 setelah terminasi" in form
    data = {"version": visit.version, "visited_on": "2025-10-02", "result": "fallen_back"}
    done = client.post(f"/aftercare/visits/{visit.id}", data=data)
    assert done.status_code == 302 and done.location.endswith("/aftercare/visits")
    assert page_text(client.get("/aftercare/visits")).count("data-visit=") == 4
    again = client.post(f"/aftercare/visits/{visit.id}", data=data)
    assert again.status_code == 409


def test_reminders_show_and_are_marked_read(client, login, caseworker, ended_case, assess):
    from casework.aftercare.tasks import remind_visits

    assess(ended_case(date(2025, 3, 31)))
    remind_visits(date(2026, 12, 1))
    login(caseworker)
    assert page_text(client.get("/aftercare/visits")).count("data-reminder=") == 3
    assert client.post("/aftercare/reminders/read").status_code == 302
    assert "data-reminders" not in page_text(client.get("/aftercare/visits"))


def test_the_graduation_figures_page(client, login, staff, ended_case, assess):
    assess(ended_case(date(2025, 3, 31)))
    ended_case(date(2025, 4, 2), "refused")
    login(staff(Role.DATA_OFFICER))
    page = page_text(client.get("/aftercare/graduation?year=2025&places=3"))
    assert '<tr data-type="self_reliant"><td>Mandiri</td><td>1</td><td>2</td><td>50.000</td></tr>' in page
    assert '<tr data-type="removed"><td>Paksa (dikeluarkan)</td><td>1</td><td>2</td><td>50.000</td></tr>' in page
    assert "1 terminasi tanpa asesmen akhir" in page
    first_quarter = page_text(client.get("/aftercare/graduation?year=2025&quarter=1"))
    assert '<tr data-type="self_reliant"><td>Mandiri</td><td>1</td><td>1</td><td>100.00</td></tr>' in first_quarter


@pytest.mark.parametrize(("role", "status"), [(Role.VIEWER, 200), (Role.CASEWORKER, 403), (Role.VOLUNTEER, 403)])
def test_who_sees_the_figures(client, login, staff, role, status):
    login(staff(role))
    assert client.get("/aftercare/graduation").status_code == status


def test_the_early_warning_page(client, login, caseworker, ended_case, assess, new_case):
    case = ended_case(date(2025, 3, 31))
    assess(case)
    new_case(client=case.client, intake_date=date(2025, 6, 1))
    login(caseworker)
    page = page_text(client.get("/aftercare/early-warning"))
    assert f'data-warning="{case.number}"' in page and "kasus baru" in page


def test_the_admin_edits_the_variables(client, login, staff, agency):
    login(staff(Role.ADMIN))
    page = page_text(client.get("/aftercare/variables"))
    assert page.count("data-variable=") == 6
    added = client.post(
        "/aftercare/variables",
        data={"new-code": "savings", "new-name": "Tabungan", "new-weight": "2", "new-max_score": "3"},
    )
    assert added.status_code == 302
    refused = client.post(
        "/aftercare/variables/income",
        data={
            "income-version": "1",
            "income-name": "Penghasilan",
            "income-weight": "0",
            "income-max_score": "4",
            "income-active": "y",
        },
    )
    assert refused.status_code == 422 and "Isi bilangan bulat 1 sampai 100." in page_text(refused)
    saved = client.post(
        "/aftercare/variables/income",
        data={"income-version": "1", "income-name": "Penghasilan", "income-weight": "5", "income-max_score": "4"},
    )
    assert saved.status_code == 302
    rows = {row.code: (row.weight, row.active) for row in db.session.scalars(sa.select(SelfRelianceVariable))}
    assert rows["income"] == (5, False) and rows["savings"] == (2, True) and len(rows) == 7
    client.post("/logout")
    login(staff(Role.SUPERVISOR))
    assert client.get("/aftercare/variables").status_code == 403


@pytest.mark.parametrize(("typed", "status", "stored"), [("3, 12,24", 302, "3,12,24"), ("12,6", 422, "6,12,18,24,36")])
def test_the_agency_sets_the_visit_months(client, login, staff, agency, typed, status, stored):
    login(staff(Role.ADMIN))
    assert 'name="aftercare_visit_months" type="text" value="6,12,18,24,36"' in page_text(client.get("/admin/agency"))
    data = {"name": agency.name, "level": "city", "region_code": "32.75", "aftercare_visit_months": typed}
    assert client.post("/admin/agency", data=data).status_code == status
    db.session.refresh(agency)
    assert agency.aftercare_visit_months == stored
