"""The rows behind a number as a CSV or XLSX download and a CLI file: every row, as the page lists them."""

import csv
import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook

from casework.auth.models import Role
from casework.cases.models import IntakeChannel
from casework.extensions import db
from casework.figures import counted_export
from casework.figures.close import close_month
from casework.org.models import UnitKind
from tests.figures.builders import Builder

QUERY = "indicator=OUTREACH-REACHED&year=2026"
NAMES = ("Ani", "Budi", "Citra", "Dewi", "Eko")


@pytest.fixture
def reached(make):
    """Five clients reached by outreach in the branch office, 10 Jan to 10 May 2026; Fajar outside the branches."""
    division = make.unit(code="SEKR", name="Sekretariat")
    agency = division.agency
    branch = make.unit(agency=agency, code="B1", name="Cabang Satu", kind=UnitKind.BRANCH_OFFICE)
    officer = make.user(role=Role.DATA_OFFICER, unit=division)
    build = Builder(agency, officer, division)
    for month, name in enumerate(NAMES, start=1):
        build.case(build.client(name), branch, IntakeChannel.OUTREACH, date(2026, month, 10))
    build.case(build.client("Fajar"), division, IntakeChannel.JOINT_RAID, date(2026, 6, 1))
    return agency, branch, officer, division, build


@pytest.fixture
def small_batches(monkeypatch):
    """Rows fetched two at a time, so that a handful of rows spans several batches."""
    monkeypatch.setattr(counted_export, "BATCH_SIZE", 2)


def _listed(client, row):
    """The rows the API lists for the number (all of them, newest first)."""
    return client.get(f"/api/v1/figures/achievement/counted?{QUERY}&row={row}&per_page=100").get_json()["items"]


def test_csv_download_holds_every_row_the_list_shows(client, login, reached, small_batches):
    _agency, branch, officer, *_rest = reached
    login(officer)
    response = client.get(f"/figures/achievement/counted.csv?{QUERY}&row={branch.id}")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="rincian-OUTREACH-REACHED-2026-{branch.id}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["ID", "Tanggal", "Kasus", "Klien", "Dihitung", "Penyebut"]
    # A data officer reads the names masked (no ``clients.identity``).
    assert [row[3] for row in rows[1:]] == ["E**", "D***", "C****", "B***", "A**"]
    assert rows[1][1] == "2026-05-10" and rows[1][4:] == ["1", "1"]
    listed = _listed(client, branch.id)
    assert [[str(item["item_id"]), item["on"], item["case_number"]] for item in listed] == [row[:3] for row in rows[1:]]
    # The total row has Fajar too; the page links to both files.
    total = list(csv.reader(io.StringIO(client.get(f"/figures/achievement/counted.csv?{QUERY}&row=total").text)))
    assert len(total) == 1 + 6 and total[1][3] == "F****"
    page = client.get(f"/figures/achievement/counted?{QUERY}&row={branch.id}").get_data(as_text=True)
    links = re.findall(r'href="(/figures/achievement/counted\.(?:csv|xlsx)\?[^"]*)"', page)
    assert len(links) == 2
    assert all(f"row={branch.id}" in link and "indicator=OUTREACH-REACHED" in link for link in links)


def test_xlsx_download_has_the_same_rows_with_dates_as_dates(client, login, reached, small_batches):
    _agency, branch, officer, *_rest = reached
    login(officer)
    response = client.get(f"/figures/achievement/counted.xlsx?{QUERY}&row={branch.id}&quarter=1")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == counted_export.exports.MEDIA_TYPES["xlsx"]
    data = response.data
    # The server closes a sent response: that deletes the temporary file the workbook was built on.
    response.close()
    sheet = load_workbook(io.BytesIO(data)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0].startswith("OUTREACH-REACHED")
    assert values[1][:3] == ("Periode", "2026-01-01", "2026-03-31")
    assert values[2] == ("ID", "Tanggal", "Kasus", "Klien", "Dihitung", "Penyebut")
    assert [row[3] for row in values[3:]] == ["C****", "B***", "A**"]
    assert values[3][1].date() == date(2026, 3, 10) and values[3][4:] == (1, 1)


def test_names_only_for_users_who_read_the_client_registry(client, login, reached, make):
    *_rest, division, _build = reached
    login(make.user(role=Role.VIEWER, unit=division))
    rows = list(csv.reader(io.StringIO(client.get(f"/figures/achievement/counted.csv?{QUERY}&row=total").text)))
    assert rows[0] == ["ID", "Tanggal", "Kasus", "Dihitung", "Penyebut"]
    assert not any(name in cell for row in rows for cell in row for name in (*NAMES, "Fajar"))
    client.post("/logout")
    login(make.user(role=Role.CASEWORKER, unit=division))
    assert client.get(f"/figures/achievement/counted.csv?{QUERY}&row=total").status_code == 403


def test_download_refuses_what_the_list_refuses(client, login, reached):
    login(reached[2])
    assert client.get(f"/figures/achievement/counted.csv?{QUERY}&row=x").status_code == 404
    assert client.get(f"/figures/achievement/counted.xlsx?{QUERY}&row=total&part=denominator").status_code == 404
    assert client.get("/figures/achievement/counted.csv?indicator=OUTREACH-REACHED&year=20").status_code == 422


def test_a_closed_month_gives_its_frozen_rows(client, login, reached):
    agency, branch, officer, _division, build = reached
    close_month(agency, 2026, 3, officer)
    db.session.commit()
    # Entered late: a case taken in on 20 March, after March was closed.
    build.case(build.client("Gita"), branch, IntakeChannel.OUTREACH, date(2026, 3, 20))
    db.session.commit()
    login(officer)
    rows = list(csv.reader(io.StringIO(client.get(f"/figures/achievement/counted.csv?{QUERY}&month=3&row=total").text)))
    assert [row[3] for row in rows[1:]] == ["C****", "B***", "A**"]


def test_cli_writes_the_rows_as_csv_or_xlsx(app, reached, tmp_path, small_batches):
    agency, branch, *_rest = reached
    runner = app.test_cli_runner()
    base = ["casework", "report", "counted", "--indicator", "OUTREACH-REACHED", "--year", "2026", "--agency"]
    result = runner.invoke(args=[*base, agency.code, "--row", str(branch.id), "--quarter", "1"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "ID,Tanggal,Kasus,Dihitung,Penyebut" and len(lines) == 4
    assert not any(name in result.output for name in NAMES)
    path = tmp_path / "rincian.xlsx"
    result = runner.invoke(args=[*base, agency.code, "--format", "xlsx", "--names", "--output", str(path)])
    assert result.exit_code == 0, result.output
    values = list(load_workbook(path).active.iter_rows(min_row=4, values_only=True))
    assert [row[3] for row in values] == ["Fajar", "Eko", "Dewi", "Citra", "Budi", "Ani"]
    refused = runner.invoke(args=[*base, agency.code, "--format", "xlsx"])
    assert refused.exit_code != 0 and "--output" in refused.output
    refused = runner.invoke(args=[*base, agency.code, "--row", "x"])
    assert refused.exit_code != 0 and "Baris laporan tidak ditemukan." in refused.output
