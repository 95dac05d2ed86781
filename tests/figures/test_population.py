"""The registered PPKS population: the import (regions, categories, local codes), totals, the table, API, CLI."""

import io

import pytest
import sqlalchemy as sa

from casework.core.errors import ValidationFailed
from casework.extensions import db
from casework.figures import csv_import, population
from casework.figures.population import PopulationCount, delete_year, population_table, population_total
from casework.reference.models import Category, CountingUnit, LocalCode
from tests.figures import target_fixtures as fixtures
from tests.figures.target_fixtures import csv_bytes

office, agency, data_officer, viewer = fixtures.office, fixtures.agency, fixtures.data_officer, fixtures.viewer

HEADER = "year,region_code,category_code,count"
# Kota Bekasi: Bekasi Timur (32.75.01, villages Bekasijaya 1001 and Margahayu 1002) and Bekasi Barat (32.75.02).
FILE = csv_bytes(
    HEADER,
    "2026,32.75.01.1001,lanjut-usia-telantar,40",
    "2026,3275011002,lanjut-usia-telantar,2",
    "2026,32.75.01.1001,F11,10",
    "2026,32.75.02,gelandangan,7",
    "2026,32.75.02,F7,5",
    "2026,32.75.02,fakir-miskin,30",
    "2025,32.75.02,gelandangan,99",
)


def category_id(slug):
    """The id of the category with ``slug``."""
    return db.session.scalar(sa.select(Category.id).where(Category.slug == slug))


def stored(agency):
    """The agency's counts as {(year, region, category slug): (count, unit)}."""
    rows = db.session.scalars(sa.select(PopulationCount).where(PopulationCount.agency_id == agency.id))
    return {(c.year, c.region_code, c.category.slug): (c.count, c.counting_unit) for c in rows}


@pytest.fixture
def imported(agency):
    """The agency with ``FILE`` imported."""
    csv_import.apply(population.IMPORT, agency, FILE)
    return agency


def test_import_maps_local_codes_keeps_the_unit_and_is_idempotent(agency):
    plan = csv_import.plan(population.IMPORT, agency, FILE)
    assert plan.ok, plan.errors
    assert plan.summary == {"create": 7, "update": 0, "unchanged": 0}
    assert stored(agency) == {}
    csv_import.apply(population.IMPORT, agency, FILE)
    person, household = CountingUnit.PERSON, CountingUnit.HOUSEHOLD
    expected = {
        (2026, "32.75.01.1001", "lanjut-usia-telantar"): (40, person),
        (2026, "32.75.01.1002", "lanjut-usia-telantar"): (2, person),
        (2026, "32.75.01.1001", "gelandangan"): (10, person),
        (2026, "32.75.02", "gelandangan"): (7, person),
        (2026, "32.75.02", "lanjut-usia-telantar"): (5, person),
        (2026, "32.75.02", "fakir-miskin"): (30, household),
        (2025, "32.75.02", "gelandangan"): (99, person),
    }
    assert stored(agency) == expected
    assert csv_import.apply(population.IMPORT, agency, FILE).summary == {"create": 0, "update": 0, "unchanged": 7}
    assert stored(agency) == expected
    changed = csv_import.apply(population.IMPORT, agency, csv_bytes(HEADER, "2026,32.75.02,F11,8"))
    assert changed.summary == {"create": 0, "update": 1, "unchanged": 0}
    assert stored(agency)[2026, "32.75.02", "gelandangan"] == (8, person)


def test_every_bad_row_is_reported_and_nothing_is_written(agency):
    content = csv_bytes(
        HEADER,
        "2026,32.75.01.1001,gelandangan,3",  # 2: fine
        "2026,31.71.01,gelandangan,3",  # 3: Gambir, Jakarta: outside Kota Bekasi
        "2026,32.75,gelandangan,3",  # 4: the city itself, not a district or village
        "2026,32.75.99,gelandangan,3",  # 5: no such district
        "2026,32.75.01.1001,bukan-kategori,3",  # 6: unknown category
        "2026,32.75.01.1002,F99,3",  # 7: unknown local code
        "2026,32.75.01.1002,pengemis,-3",  # 8: negative
        "2026,32.75.01.1002,pemulung,tiga",  # 9: not a number
        "2026,,pemulung,3",  # 10: no region
    )
    plan = csv_import.plan(population.IMPORT, agency, content)
    assert [(error.line, error.column) for error in plan.errors] == [
        (3, "region_code"),
        (4, "region_code"),
        (5, "region_code"),
        (6, "category_code"),
        (7, "category_code"),
        (8, "count"),
        (9, "count"),
        (10, "region_code"),
    ]
    assert "di luar wilayah dinas" in plan.errors[0].message and "Gambir" in plan.errors[0].message
    assert "kecamatan atau kelurahan/desa" in plan.errors[1].message
    assert "tidak dikenal" in plan.errors[2].message
    with pytest.raises(ValidationFailed):
        csv_import.apply(population.IMPORT, agency, content)
    assert stored(agency) == {}


def test_a_local_code_two_code_sets_share_must_name_its_set(agency):
    db.session.add(LocalCode(code_set="kota-g", code="F11", name="Pengemis", category_id=category_id("pengemis")))
    db.session.flush()
    plan = csv_import.plan(population.IMPORT, agency, csv_bytes(HEADER, "2026,32.75.02,F11,4"))
    assert [(error.line, error.column) for error in plan.errors] == [(2, "category_code")]
    assert "kota-f:F11" in plan.errors[0].message and "kota-g:F11" in plan.errors[0].message
    csv_import.apply(population.IMPORT, agency, csv_bytes(HEADER, "2026,32.75.02,kota-g:F11,4"))
    assert stored(agency) == {(2026, "32.75.02", "pengemis"): (4, CountingUnit.PERSON)}


def test_a_district_count_and_its_villages_counts_of_one_category_are_refused(imported):
    # Bekasi Timur's elderly are counted per village already; Bekasi Barat's homeless per district.
    content = csv_bytes(HEADER, "2026,32.75.01,lanjut-usia-telantar,50", "2026,32.75.02.1001,gelandangan,1")
    plan = csv_import.plan(population.IMPORT, imported, content)
    assert [(error.line, error.column) for error in plan.errors] == [(2, "region_code"), (3, "region_code")]
    assert "dua kali" in plan.errors[0].message
    # Another year, or another category, is fine.
    assert csv_import.plan(population.IMPORT, imported, csv_bytes(HEADER, "2025,32.75.01,lanjut-usia-telantar,5")).ok


def test_totals_count_persons_unless_asked_and_filter_by_region_and_category(imported):
    agency_id = imported.id
    assert population_total(agency_id, 2026) == 40 + 2 + 10 + 7 + 5
    assert population_total(agency_id, 2026, counting_unit=CountingUnit.HOUSEHOLD) == 30
    assert population_total(agency_id, 2026, counting_unit=None) == 94
    assert population_total(agency_id, 2026, region_prefix="32.75.01") == 52
    assert population_total(agency_id, 2026, region_prefix="3275011001") == 50
    assert population_total(agency_id, 2026, region_prefix="32.75.02.1001") == 0
    assert population_total(agency_id, 2026, category_ids=[category_id("gelandangan")]) == 17
    assert population_total(agency_id, 2025) == 99
    assert population_total(agency_id, 2024) == 0
    with pytest.raises(ValidationFailed):
        population_total(agency_id, 2026, region_prefix="Bekasi")


def test_the_table_rolls_villages_up_to_districts_with_totals_per_unit(imported):
    table = population_table(imported.id, 2026)
    person, household = CountingUnit.PERSON, CountingUnit.HOUSEHOLD
    elderly, homeless, poor = (
        category_id("lanjut-usia-telantar"),
        category_id("gelandangan"),
        category_id("fakir-miskin"),
    )
    assert table.districts == [("32.75.01", "Bekasi Timur"), ("32.75.02", "Bekasi Barat")]
    assert [(category.slug, unit) for category, unit in table.categories] == [
        ("lanjut-usia-telantar", person),
        ("gelandangan", person),
        ("fakir-miskin", household),
    ]
    assert table.cells == {
        ("32.75.01", elderly, person): 42,
        ("32.75.01", homeless, person): 10,
        ("32.75.02", elderly, person): 5,
        ("32.75.02", homeless, person): 7,
        ("32.75.02", poor, household): 30,
    }
    assert table.row_totals == {("32.75.01", person): 52, ("32.75.02", person): 12, ("32.75.02", household): 30}
    assert table.column_totals == {(elderly, person): 47, (homeless, person): 17, (poor, household): 30}
    assert table.totals == {person: 64, household: 30}
    assert table.units == [person, household]
    assert population_table(imported.id, 2026, "32.75.02").districts == [("32.75.02", "Bekasi Barat")]


def test_deleting_a_year_keeps_the_other_years(imported, data_officer):
    assert delete_year(imported, 2026, data_officer) == 6
    assert stored(imported) == {(2025, "32.75.02", "gelandangan"): (99, CountingUnit.PERSON)}


def test_the_page_shows_the_table_with_totals(client, login, imported, viewer):
    login(viewer)
    page = client.get("/figures/population?year=2026").get_data(as_text=True)
    assert "Bekasi Timur" in page and "Lanjut usia telantar" in page and "Keluarga (KK)" in page
    assert "<strong>64</strong>" in page and "<strong>30</strong>" in page
    assert "/figures/population/import" not in page and "/figures/population/2026/delete" not in page
    assert client.post("/figures/population/2026/delete").status_code == 403
    narrowed = client.get("/figures/population?year=2026&within=32.75.02").get_data(as_text=True)
    assert "Bekasi Barat" in narrowed and "Bekasi Timur" not in narrowed
    mistyped = client.get("/figures/population?year=2026&within=Bekasi")
    assert mistyped.status_code == 200 and "Kode wilayah Bekasi tidak valid." in mistyped.get_data(as_text=True)


def test_the_data_officer_imports_through_the_pages_and_deletes_a_year(client, login, agency, data_officer):
    login(data_officer)
    response = client.post(
        "/figures/population/import", data={"file": (io.BytesIO(FILE), "p.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 200 and "7 baru, 0 diubah, 0 tetap" in response.get_data(as_text=True)
    assert stored(agency) == {}
    pending = db.session.scalar(sa.select(csv_import.PendingImport.uuid))
    confirmed = client.post(f"/figures/population/import/{pending}")
    assert confirmed.status_code == 302 and confirmed.location.endswith("/figures/population")
    assert len(stored(agency)) == 7
    assert client.post("/figures/population/2026/delete").status_code == 302
    assert len(stored(agency)) == 1


def test_the_api_serves_the_table_and_totals(client, login, imported, viewer):
    login(viewer)
    table = client.get("/api/v1/figures/population?year=2026").json
    assert table["totals"] == {"person": 64, "household": 30}
    assert table["rows"][0]["district_code"] == "32.75.01"
    assert table["rows"][0]["totals"] == {"person": 52}
    assert {"category": "gelandangan", "counting_unit": "person", "count": 17} in table["column_totals"]
    total = client.get("/api/v1/figures/population/total?year=2026&region_prefix=32.75.01&category=F7,gelandangan")
    assert total.json == {"year": 2026, "region_prefix": "32.75.01", "counting_unit": "person", "total": 52}
    everything = client.get("/api/v1/figures/population/total?year=2026&counting_unit=all").json
    assert everything["total"] == 94
    bad = client.get("/api/v1/figures/population/total?year=2026&category=nope")
    assert bad.status_code == 422 and "category" in bad.json["error"]["fields"]


def test_the_cli_imports_population(app, tmp_path, agency):
    path = tmp_path / "population.csv"
    path.write_bytes(FILE)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["casework", "import", "population", str(path), "--agency", "DINSOS-T"])
    assert result.exit_code == 0, result.output
    assert "7 created, 0 updated, 0 unchanged" in result.output
    assert len(stored(agency)) == 7
    unknown = runner.invoke(args=["casework", "import", "population", str(path), "--agency", "NOPE"])
    assert unknown.exit_code == 2
