"""The quarterly SPM report's page, entry form, print sheet, XLSX download and API."""

import io
import re
from datetime import date
from html import unescape

import pytest
from openpyxl import load_workbook

from casework.auth.models import Role
from casework.core.masking import mask_name
from casework.extensions import db
from casework.figures import quarterly
from casework.figures.close import close_month
from tests.figures import test_quarterly as base

spm_agency = base.spm_agency
PAGE = "/figures/quarterly/?year=2026&quarter=2"
API = "/api/v1/figures/quarterly"


def _row(page, code, table="data-quarterly"):
    """The HTML of the row of SPM type ``code`` (or "total") in the page's table marked ``table``."""
    shown = re.search(rf"<table [^>]*{table}>(.*?)</table>", page, re.S).group(1)
    return re.search(rf'<tr [^>]*data-type="{code}">(.*?)</tr>', shown, re.S).group(1)


def _link(row, cell):
    """The drill-down address of a cell of a row."""
    return unescape(re.search(rf'<a href="([^"]+)" data-cell="{cell}">', row).group(1))


def test_page_shows_each_type_and_drills_down_to_the_counted_clients(client, login, spm_agency):
    s = spm_agency
    base.enter_budgets(s)
    login(s.officer)
    page = client.get(PAGE).get_data(as_text=True)
    assert 'data-source="live"' in page and "belum ditutup" in page
    row = _row(page, "kab-2")
    assert s.kab[2].name in row and "66,67 %" in row and "85,00 %" in row and "70,33" in row
    assert "Belum tercapai" in row
    assert "10.000.000" in _row(page, "kab-2", "data-budget") and "62,50 %" in _row(page, "kab-2", "data-budget")
    total = _row(page, "total")
    assert "75,00 %" in total and "77,60" in total and "<a " not in total
    assert "66,07 %" in _row(page, "total", "data-budget")
    # The recipients' percentage lists the two clients whose needs were met; "needed" lists the three.
    percent = _link(row, "recipients-percent")
    assert "indicator=KAB-2-PENERIMA" in percent and "quarter=2" in percent and "row=total" in percent
    listed = client.get(percent).get_data(as_text=True)
    # A data officer reads names masked (no ``clients.identity``).
    assert mask_name("Ani") in listed and mask_name("Budi") in listed and mask_name("Citra") not in listed
    assert re.search(r"data-counted-number>2<", listed)
    needed = client.get(_link(row, "needed")).get_data(as_text=True)
    assert all(mask_name(name) in needed for name in ("Ani", "Budi", "Citra")) and mask_name("Dewi") not in needed
    quality = client.get(_link(row, "quality-percent"))
    assert quality.status_code == 200 and "KAB-2-MUTU" in quality.get_data(as_text=True)


def test_closed_quarter_page_names_the_revision_and_drills_into_the_close(client, login, spm_agency):
    s = spm_agency
    close_month(s.agency, 2026, 6)
    s.build.case(s.build.client("Fajar"), spm_service_type_id=s.kab[2].id, assessed_on=date(2026, 5, 20))
    login(s.officer)
    page = client.get(PAGE).get_data(as_text=True)
    assert 'data-source="closed"' in page and "revisi 1" in page
    row = _row(page, "kab-2")
    assert "66,67 %" in row
    needed = client.get(_link(row, "needed")).get_data(as_text=True)
    assert "Fajar" not in needed and re.search(r"data-counted-number>3<", needed)


def test_officer_saves_entries_and_a_stale_or_bad_form_saves_nothing(client, login, spm_agency):
    s = spm_agency
    login(s.officer)
    two = s.kab[2].id
    form = {
        f"version-{two}": "",
        f"budget_allocation-{two}": "10.000.000",
        f"budget_realisation-{two}": "2.500.000",
        f"problems-{two}": "Pendamping kurang",
        f"action_plan-{two}": "Rekrut pendamping",
    }
    saved = client.post(PAGE, data=form)
    assert saved.status_code == 302
    entry = quarterly.entries(s.agency, 2026, 2)[two]
    assert (entry.budget_allocation, entry.budget_realisation, entry.version) == (10_000_000, 2_500_000, 1)
    page = client.get(PAGE).get_data(as_text=True)
    assert "disimpan" in page and "Rekrut pendamping" in page and "25,00 %" in _row(page, "kab-2", "data-budget")
    # Read before that save (no version): 409, the entry as it is now, nothing changed.
    stale = client.post(PAGE, data={**form, f"budget_realisation-{two}": "3000000"})
    assert stale.status_code == 409 and "baru saja diubah" in stale.get_data(as_text=True)
    # A bad amount: 422 keeps what was typed and says why.
    bad = client.post(PAGE, data={**form, f"version-{two}": "1", f"budget_realisation-{two}": "11.000.000"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "tidak boleh melebihi" in text and 'value="11.000.000"' in text
    db.session.expire_all()
    assert quarterly.entries(s.agency, 2026, 2)[two].budget_realisation == 2_500_000


def test_who_may_read_and_change_the_report(client, login, make, spm_agency):
    s = spm_agency
    base.enter_budgets(s)
    login(make.user(role=Role.CASEWORKER, unit=s.division))
    assert client.get(PAGE).status_code == 403
    client.post("/logout")
    login(make.user(role=Role.VIEWER, unit=s.division))
    page = client.get(PAGE).get_data(as_text=True)
    assert "Petugas kurang." in page and "<textarea" not in page and "Simpan isian laporan" not in page
    assert client.post(PAGE, data={}).status_code == 403
    assert client.get("/figures/quarterly/?year=2026&quarter=5").status_code == 422


def test_print_sheet_and_xlsx_download(client, login, spm_agency):
    s = spm_agency
    base.enter_budgets(s)
    login(s.officer)
    sheet = client.get("/figures/quarterly/print?year=2026&quarter=2").get_data(as_text=True)
    assert "css/print.css" in sheet and "css/app.css" not in sheet and "Menu utama" not in sheet
    assert "Petugas kurang." in sheet and "Tambah pendamping." in sheet and s.agency.name.upper() in sheet
    assert "data-print" in sheet and "<script>" not in sheet
    with client.get("/static/css/print.css") as css:
        assert "size: A4 landscape" in css.get_data(as_text=True)
    download = client.get("/figures/quarterly/report.xlsx?year=2026&quarter=2")
    assert download.headers["Content-Disposition"] == 'attachment; filename="laporan-spm-2026-T2.xlsx"'
    rows = list(load_workbook(io.BytesIO(download.data)).active.iter_rows(min_row=11, values_only=True))
    assert rows[1][1] == s.kab[2].name and rows[1][4] == 66.67


def test_api_report_and_entries(client, login, make, spm_agency):
    s = spm_agency
    login(s.officer)
    body = client.get(f"{API}?year=2026&quarter=2").get_json()
    assert (body["counted_from"], body["counted_to"]) == ("2026-01-01", "2026-06-30")
    assert body["source"] == {"closed": False, "month": 6, "revision": None, "closed_at": None}
    children = next(line for line in body["types"] if line["spm_service_type"] == "kab-2")
    assert children["recipients"] == {"realisation": 2, "denominator": 3, "percent": "66.67"}
    assert (children["index"], children["band"], children["version"]) == ("70.33", "not_achieved", None)
    assert body["total"]["quality"]["percent"] == "88.00" and body["total"]["spm_service_type"] is None

    put = {"year": 2026, "quarter": 2, "spm_service_type": "KAB-2", "budget_allocation": 5000, "version": None}
    created = client.put(f"{API}/entries", json={**put, "budget_realisation": 1000, "problems": "Ada"})
    assert created.status_code == 200, created.get_json()
    assert created.get_json() == {
        "year": 2026,
        "quarter": 2,
        "spm_service_type": "kab-2",
        "budget_allocation": 5000,
        "budget_realisation": 1000,
        "problems": "Ada",
        "action_plan": None,
        "version": 1,
    }
    stale = client.put(f"{API}/entries", json={**put, "budget_realisation": 2000})
    assert stale.status_code == 409 and stale.get_json()["error"]["current"]["budget_realisation"] == 1000
    bad = client.put(f"{API}/entries", json={**put, "version": 1, "budget_realisation": 6000})
    assert bad.status_code == 422 and "budget_realisation" in bad.get_json()["error"]["fields"]
    assert client.put(f"{API}/entries", json={**put, "budget_allocation": "5000"}).status_code == 422
    assert client.put(f"{API}/entries", json={**put, "spm_service_type": "prov-2"}).status_code == 422
    assert client.put(f"{API}/entries", json={**put, "spm_service_type": "nope"}).status_code == 404
    empty = client.put(f"{API}/entries", json={**put, "spm_service_type": "kab-3", "budget_allocation": None})
    assert empty.get_json()["version"] is None
    body = client.get(f"{API}?year=2026&quarter=2&places=3").get_json()
    children = next(line for line in body["types"] if line["spm_service_type"] == "kab-2")
    assert children["budget"] == {"allocation": 5000, "realisation": 1000, "percent": "20.000"}
    client.post("/logout")
    login(make.user(role=Role.VIEWER, unit=s.division))
    assert client.put(f"{API}/entries", json=put).status_code == 403
    assert client.get(f"{API}?year=2026").status_code == 422


@pytest.mark.parametrize("quarter", ["0", "x"])
def test_api_refuses_a_bad_quarter(client, login, spm_agency, quarter):
    login(spm_agency.officer)
    refused = client.get(f"{API}?year=2026&quarter={quarter}")
    assert refused.status_code == 422 and "quarter" in refused.get_json()["error"]["fields"]
