"""The dashboard pages: per role, the tables hold the hand-built numbers, the charts are well-formed SVG."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.models import IntakeChannel
from casework.extensions import db
from casework.figures.close import close_month
from casework.figures.models import SpmQualityEntry
from casework.figures.population import PopulationCount
from casework.reference.models import Category, CountingUnit
from tests.dashboards.conftest import VILLAGE_A, VILLAGE_B, YEAR
from tests.dashboards.html import chart, table_rows
from tests.figures.builders import Builder

URL = f"/dashboards/?year={YEAR}"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
SVG = "{http://www.w3.org/2000/svg}"


def _column(rows, index):
    """One column of a table's rows."""
    return [row[index] for row in rows]


def _numbers(text):
    """Space-separated numbers as the cells show them."""
    return text.split(" ")


def _page(client, login, user, url=URL):
    login(user)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_data_officer_sees_the_agency_trends_districts_spm_types_and_indicators(client, login, city):
    html = _page(client, login, city.users[Role.DATA_OFFICER])
    flow = table_rows(html, "case-flow")
    assert _column(flow, 0) == MONTHS
    assert _column(flow, 1) == _numbers("2 1 1 0 1 1 1 0 0 0 0 0")
    assert _column(flow, 2) == _numbers("0 1 2 0 0 0 0 0 0 0 0 0")
    spm_trend = table_rows(html, "spm-trend")
    assert _column(spm_trend, 1) == _numbers("0 0 0 1 1 1 2 2 2 2 2 2")
    assert _column(spm_trend, 2) == _numbers("0 1 1 1 1 2 3 3 3 3 3 3")
    assert spm_trend[0][3] == "—" and spm_trend[3][3] == "100,00 %" and spm_trend[11][3] == "66,67 %"
    assert [row[1] for row in table_rows(html, "outreach-trend")] == ["1", "1"] + ["2"] * 10
    districts = table_rows(html, "districts")
    assert [row[1:] for row in districts] == [["3", "1", "1"], ["3", "1", "2"], ["1", "0", "0"]]
    assert districts[-1][0] == "Desa/kelurahan tidak dicatat"
    spm_types = {row[0]: row for row in table_rows(html, "spm-types")}
    children = next(row for name, row in spm_types.items() if "anak telantar" in name)
    assert children[1:] == ["50,00 % 1 / 2", "90,00 %", "58,00", "Belum tercapai"]
    # Overall: 2 of 3 recipients, 9 of 10 items: 80 % × 66,67 + 20 % × 90 = 71,33 (from the exact ratios).
    assert spm_types["Seluruh layanan SPM"][1:] == ["66,67 % 2 / 3", "90,00 %", "71,33", "Belum tercapai"]
    indicators = {row[0].split()[0]: row[1:] for row in table_rows(html, "achievement")}
    assert indicators["KAB-2-PENERIMA"] == ["1", "2", "50,00 %"]
    assert indicators["OUTREACH-REACHED"] == ["2", "—", "—"]


def test_each_chart_is_well_formed_accessible_svg_with_the_tables_numbers(client, login, city):
    html = _page(client, login, city.users[Role.VIEWER])
    for key in ("spm-types", "spm-trend", "outreach-trend", "case-flow", "districts"):
        svg = chart(html, key)
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        assert svg.find(f"{SVG}title").get("id") == title_id and svg.find(f"{SVG}desc").text
        assert svg.find(f"{SVG}desc").get("id") == desc_id
    flow = chart(html, "case-flow")
    dots = [dot.find(f"{SVG}title").text for dot in flow.iter(f"{SVG}circle")]
    assert "Masuk, Jan: 2" in dots and "Ditutup, Mar: 2" in dots and len(dots) == 24
    assert len(list(flow.iter(f"{SVG}polyline"))) == 2
    bars = [title.text for bar in chart(html, "districts").iter(f"{SVG}rect") for title in bar.iter(f"{SVG}title")]
    assert "Kasus masuk, Desa/kelurahan tidak dicatat: 1" in bars
    # A viewer sees no per-indicator table (the data officer's), and no client's name anywhere.
    assert table_rows(html, "achievement") == []
    assert 'style="' not in html


def test_supervisor_sees_the_units_caseload_overdue_and_findings_waiting(client, login, city):
    html = _page(client, login, city.users[Role.SUPERVISOR])
    caseload = table_rows(html, "caseload-trend")
    assert [row[1] for row in caseload] == ["3", "3", "2", "2", "3", "4", "4", "4", "4", "4", "4", "4"]
    assert caseload[6] == ["Jul", "4", "0", "0"]
    overdue = dict(row for row in table_rows(html, "overdue"))
    # c2 and c5 are open at intake, taken in long ago: their assessments are overdue.
    assert overdue["Asesmen lewat tenggat"] == "2"
    assert "data-findings-waiting>0<" in html
    assert table_rows(html, "districts") == []


def test_caseworker_sees_their_own_cases_by_stage(client, login, city):
    caseworker = city.users[Role.CASEWORKER]
    own = Builder(city.agency, caseworker, city.division)
    own.count = city.build.count  # case numbers go on from the agency's others
    own.case(None, city.division, IntakeChannel.WALK_IN, date(2026, 1, 5))
    own.case(None, city.division, IntakeChannel.WALK_IN, date(2026, 1, 5), assessed_on=date(2026, 1, 6))
    html = _page(client, login, caseworker, "/dashboards/")
    stages = dict(row for row in table_rows(html, "stages"))
    assert stages == {
        "Penjangkauan / penerimaan": "1",
        "Asesmen": "0",
        "Rencana intervensi": "1",
        "Intervensi (layanan)": "0",
        "Terminasi": "0",
        "Bimbingan lanjut": "0",
    }
    assert chart(html, "stages").get("role") == "img"
    # Only their own: the agency's other cases are another caseworker's.
    assert dict(row for row in table_rows(html, "overdue"))["Asesmen lewat tenggat"] == "1"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.VIEWER, Role.DATA_OFFICER, Role.SUPERVISOR, Role.CASEWORKER])
def test_every_staff_role_has_a_dashboard(client, login, city, role):
    _page(client, login, city.users[role])


def test_volunteers_have_none_and_a_bad_year_is_refused(client, login, city):
    login(city.users[Role.VOLUNTEER])
    assert client.get("/dashboards/").status_code == 403
    client.post("/logout")
    login(city.users[Role.VIEWER])
    assert client.get("/dashboards/?year=abc").status_code == 422
    assert client.get("/dashboards/?year=1999").status_code == 422
    # A year to come has no months yet: the panels say so instead of drawing empty charts.
    future = client.get("/dashboards/?year=2099").get_data(as_text=True)
    assert "Belum ada data untuk periode ini." in future


def test_home_panels_show_the_spm_index_and_population(client, login, city):
    year = date.today().year
    category = db.session.scalar(sa.select(Category).order_by(Category.id).limit(1))
    for village, count in ((VILLAGE_A, 1200), (VILLAGE_B, 34)):
        db.session.add(
            PopulationCount(
                agency_id=city.agency.id,
                year=year,
                region_code=village,
                category_id=category.id,
                count=count,
                counting_unit=CountingUnit.PERSON,
            )
        )
    db.session.flush()
    html = _page(client, login, city.users[Role.DATA_OFFICER], "/home")
    assert "Segera hadir" not in html and 'href="/dashboards/"' in html
    assert '<span class="stat-value">1.234</span>' in html
    # No SPM case this year: no index, and the panel says why.
    assert "data-spm-index>—<" in html and "belum ada indeks SPM" in html
    # This year: one child assessed and met, 9 of 10 quality items: 80 % × 100 + 20 % × 90 = 98 (achieved).
    kab2 = city.cases["x"].spm_service_type_id
    met_on = date(year, 1, 20)
    city.build.case(None, city.division, IntakeChannel.WALK_IN, date(year, 1, 5), spm_service_type_id=kab2,
                    assessed_on=date(year, 1, 10), needs_met_on=met_on)  # fmt: skip
    db.session.add(
        SpmQualityEntry(
            agency_id=city.agency.id, year=year, quarter=1, spm_service_type_id=kab2, met=9, total=10,
            entered_by_id=city.users[Role.DATA_OFFICER].id,
        )
    )  # fmt: skip
    db.session.flush()
    viewer = _page(client, login, city.users[Role.VIEWER], "/home")
    assert "Segera hadir" not in viewer and 'href="/dashboards/"' in viewer
    assert "data-spm-index>98,00<" in viewer and "Tercapai" in viewer and "capaian penerima 100,00 %" in viewer


def test_a_closed_month_shows_its_snapshot_as_its_achievement_page_does(client, login, city):
    officer = city.users[Role.DATA_OFFICER]
    close_month(city.agency, YEAR, 4, officer)
    # Entered late: a kab-2 child assessed and met in April, after April was closed.
    kab2 = city.cases["x"].spm_service_type_id
    city.build.case(
        None, city.division, IntakeChannel.WALK_IN, date(2025, 4, 1),
        spm_service_type_id=kab2, assessed_on=date(2025, 4, 15), needs_met_on=date(2025, 4, 20),
    )  # fmt: skip
    html = _page(client, login, officer)
    trend = table_rows(html, "spm-trend")
    # April comes from its close (1 of 1); March and May are live (the late child counts from April on).
    assert [row[1:3] for row in trend[2:5]] == [["0", "1"], ["1", "1"], ["2", "2"]]
    assert trend[11][1:3] == ["3", "4"]
    for month, (met, needed) in ((4, (1, 1)), (5, (2, 2))):
        query = f"indicator=KAB-2-PENERIMA&year={YEAR}&month={month}"
        total = client.get(f"/api/v1/figures/achievement?{query}").get_json()["total"]
        assert (total["realisation"], total["denominator"]) == (met, needed)
    closes = {row[0]: row[1] for row in table_rows(html, "closes")}
    assert closes["Apr"].startswith("Ditutup, revisi 1") and closes["Mei"] == "Belum ditutup"
