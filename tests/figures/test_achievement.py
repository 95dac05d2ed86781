"""The achievement report as a page, a download, JSON from the API and a CLI file; the drill-down lists."""

import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from casework.auth.models import Role
from casework.cases.models import IntakeChannel
from casework.extensions import db
from casework.figures.achievement import indicator_by_code
from casework.figures.targets import Target
from casework.org.models import UnitKind
from tests.figures.builders import Builder

REPORT = "/figures/achievement?indicator=OUTREACH-REACHED&year=2026"
API = "/api/v1/figures/achievement?indicator=OUTREACH-REACHED&year=2026"


@pytest.fixture
def outreach(make):
    """A branch office reaching Ani, Budi and Citra by outreach in 2026 (target 2); Dewi outside the branches."""
    division = make.unit(code="SEKR", name="Sekretariat")
    agency = division.agency
    branch = make.unit(agency=agency, code="B1", name="Cabang Satu", kind=UnitKind.BRANCH_OFFICE)
    officer = make.user(role=Role.DATA_OFFICER, unit=division)
    build = Builder(agency, officer, division)
    for name, day in (("Ani", date(2026, 1, 10)), ("Budi", date(2026, 2, 10)), ("Citra", date(2026, 3, 10))):
        build.case(build.client(name), branch, IntakeChannel.OUTREACH, day)
    build.case(build.client("Dewi"), division, IntakeChannel.JOINT_RAID, date(2026, 4, 1))
    indicator = indicator_by_code(agency, "OUTREACH-REACHED")
    db.session.add(Target(agency_id=agency.id, year=2026, indicator_id=indicator.id, unit_id=branch.id, target=2))
    db.session.flush()
    return agency, branch, officer, division


def test_page_shows_rows_total_and_drills_down_to_the_counted_clients(client, login, outreach, make):
    _agency, branch, officer, _division = outreach
    login(officer)
    page = client.get(REPORT).get_data(as_text=True)
    assert "Cabang Satu" in page and "150,00 %" in page and "Di luar unit pelapor" in page
    listed = client.get(f"/figures/achievement/counted?indicator=OUTREACH-REACHED&year=2026&row={branch.id}")
    text = listed.get_data(as_text=True)
    assert listed.status_code == 200
    # A data officer reads the names masked (no ``clients.identity``).
    assert all(name in text for name in ("A**", "B***", "C****")) and "D***" not in text and "Ani" not in text
    assert "3 data" in text
    assert "150,000 %" in client.get(REPORT + "&places=3").get_data(as_text=True)
    # Targets are not drilled into, and a row must be one of the table's.
    assert (
        client.get(
            "/figures/achievement/counted?indicator=OUTREACH-REACHED&year=2026&row=total&part=denominator"
        ).status_code
        == 404
    )
    assert client.get("/figures/achievement/counted?indicator=OUTREACH-REACHED&year=2026&row=x").status_code == 404


def test_page_refuses_a_bad_period_and_an_unknown_indicator(client, login, outreach):
    login(outreach[2])
    refused = client.get(REPORT + "&quarter=2&month=5")
    assert refused.status_code == 422
    assert "Pilih triwulan atau bulan, tidak keduanya." in refused.get_data(as_text=True)
    assert client.get("/figures/achievement?indicator=NOPE&year=2026").status_code == 404
    # Another level's SPM indicator is unknown to a city agency.
    assert client.get("/figures/achievement?indicator=PROV-2-PENERIMA&year=2026").status_code == 404


def test_who_may_read_figures(client, login, outreach, make):
    _agency, branch, _officer, division = outreach
    login(make.user(role=Role.CASEWORKER, unit=division))
    assert client.get(REPORT).status_code == 403
    client.post("/logout")
    # A viewer reads the figures, but not the names of the clients behind them.
    login(make.user(role=Role.VIEWER, unit=division))
    assert client.get(REPORT).status_code == 200
    listed = client.get(f"/figures/achievement/counted?indicator=OUTREACH-REACHED&year=2026&row={branch.id}")
    assert "Ani" not in listed.get_data(as_text=True)
    items = client.get(f"/api/v1/figures/achievement/counted?indicator=OUTREACH-REACHED&year=2026&row={branch.id}")
    assert "client_name" not in items.get_json()["items"][0]


def test_downloads(client, login, outreach):
    login(outreach[2])
    csv_text = client.get(REPORT.replace("achievement?", "achievement.csv?")).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[1:] == [
        ["Cabang Satu", "3", "2", "150.00"],
        ["Di luar unit pelapor", "1", "", ""],
        ["Jumlah", "4", "2", "200.00"],
    ]
    workbook = load_workbook(io.BytesIO(client.get(REPORT.replace("achievement?", "achievement.xlsx?")).data))
    sheet = workbook.active
    values = list(sheet.iter_rows(min_row=3, values_only=True))
    assert values[0] == ("Unit", "Realisasi", "Target", "Persentase (%)")
    assert values[1] == ("Cabang Satu", 3, 2, 150)
    assert values[3] == ("Jumlah", 4, 2, 200)
    data = json.loads(client.get(REPORT.replace("achievement?", "achievement.json?")).data)
    assert data["total"]["percent"] == "200.00"


def test_api_report_and_counted_rows(client, login, outreach):
    _agency, branch, officer, _division = outreach
    login(officer)
    body = client.get(API + "&quarter=1").get_json()
    assert body["indicator"]["code"] == "OUTREACH-REACHED"
    assert body["period"] == {
        "year": 2026,
        "quarter": 1,
        "month": None,
        "counted_from": "2026-01-01",
        "counted_to": "2026-03-31",
    }
    assert body["rows"][0] == {
        "key": str(branch.id),
        "label": "Cabang Satu",
        "realisation": 3,
        "denominator": 2,
        "percent": "150.00",
    }
    # Dewi (1 April) is outside the first quarter.
    assert body["rows"][1:] == []
    assert body["total"]["realisation"] == 3
    counted = client.get(API.replace("achievement?", "achievement/counted?") + "&row=total&per_page=2").get_json()
    assert counted["total"] == 4 and len(counted["items"]) == 2
    # The data officer reads the name masked.
    assert counted["items"][0]["client_name"] == "D***" and counted["items"][0]["on"] == "2026-04-01"
    refused = client.get(API + "&month=13")
    assert refused.status_code == 422 and "month" in refused.get_json()["error"]["fields"]
    assert client.get("/api/v1/figures/achievement?year=2026").status_code == 422


def test_cli_writes_csv_json_and_xlsx(app, outreach, tmp_path):
    agency = outreach[0]
    runner = app.test_cli_runner()
    base = ["casework", "report", "achievement", "--indicator", "OUTREACH-REACHED", "--year", "2026"]
    result = runner.invoke(args=[*base, "--agency", agency.code, "--quarter", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1:] == ["Cabang Satu,3,2,150.00", "Jumlah,3,2,150.00"]
    result = runner.invoke(args=[*base, "--agency", agency.code, "--format", "json", "--places", "3"])
    assert json.loads(result.output)["rows"][0]["percent"] == "150.000"
    path = tmp_path / "capaian.xlsx"
    result = runner.invoke(args=[*base, "--agency", agency.code, "--format", "xlsx", "--output", str(path)])
    assert result.exit_code == 0, result.output
    assert load_workbook(path).active["A1"].value.startswith("OUTREACH-REACHED")
    refused = runner.invoke(args=[*base, "--agency", agency.code, "--quarter", "1", "--month", "2"])
    assert refused.exit_code != 0 and "not both" in refused.output
    unknown = runner.invoke(args=[*base[:4], "NOPE", "--year", "2026", "--agency", agency.code])
    assert unknown.exit_code != 0 and "Indikator tidak ditemukan." in unknown.output
