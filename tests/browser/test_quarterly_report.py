"""A data officer completes the quarterly SPM report on a tablet, drills down from a percentage, and exports XLSX."""

from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _number(text):
    """A number as the page shows it ("1.250.000", "66,67 %") as the workbook holds it."""
    cleaned = text.replace("%", "").replace(".", "").replace(",", ".").strip()
    return float(cleaned) if "." in cleaned else int(cleaned)


@pytest.mark.parametrize("viewport", ["tablet-768"], indirect=True)
def test_data_officer_drills_down_and_exports_the_quarterly_report(page, sign_in, screenshot, demo_users, tmp_path):
    today = date.today()
    quarter = (today.month - 1) // 3 + 1
    sign_in(demo_users["data_officer"])
    page.goto(f"/figures/quarterly/?year={today.year}&quarter={quarter}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Laporan SPM triwulan {quarter} tahun {today.year}")

    # The service type with the most persons served (other browser tests add people, e.g. disaster victims
    # with no needs met yet, so the type with the most persons in need may have nobody to drill into).
    rows = page.locator("table[data-quarterly] tbody tr:not(.total)")
    met = [_number(row.locator("[data-cell=met]").inner_text()) for row in rows.all()]
    assert max(met) > 0, "the demo agency has persons whose SPM needs were met this year"
    row = rows.nth(met.index(max(met)))
    code = row.get_attribute("data-type")
    name = row.locator("th").inner_text()

    # The budget and the problems of that type, typed into its part of the form.
    entry = page.locator(f"fieldset[data-entry='{code}']")
    entry.get_by_label("Alokasi anggaran setahun (Rp)").fill("12.500.000")
    entry.get_by_label("Realisasi anggaran s.d. triwulan ini (Rp)").fill("5.000.000")
    entry.get_by_label("Permasalahan").fill("Pendamping belum cukup")
    page.get_by_role("button", name="Simpan isian laporan").click()
    expect(page.locator(".flash-success")).to_contain_text("disimpan")
    row = page.locator(f"table[data-quarterly] tr[data-type='{code}']")
    budget = page.locator(f"table[data-budget] tr[data-type='{code}']")
    expect(budget.locator("[data-cell=budget-percent]")).to_have_text("40,00 %")
    shown = {cell: row.locator(f"[data-cell={cell}]").inner_text() for cell in ("needed", "met", "recipients-percent")}
    shown |= {
        cell: budget.locator(f"[data-cell={cell}]").inner_text()
        for cell in ("allocation", "realisation", "budget-percent")
    }
    screenshot("quarterly-report")
    assert page.evaluate("document.documentElement.scrollWidth") <= 768

    # The workbook holds the page's numbers as numbers.
    with page.expect_download() as download_info:
        page.locator("[data-download-xlsx]").click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    assert path.name == f"laporan-spm-{today.year}-T{quarter}.xlsx"
    sheet = load_workbook(path).active
    assert (sheet["B4"].value, sheet["B5"].value) == (today.year, quarter)
    line = next(values for values in sheet.iter_rows(min_row=11, values_only=True) if values[1] == name)
    assert line[2:5] == tuple(_number(shown[cell]) for cell in ("needed", "met", "recipients-percent"))
    assert line[10:13] == tuple(_number(shown[cell]) for cell in ("allocation", "realisation", "budget-percent"))
    assert line[13] == "Pendamping belum cukup"

    # The print sheet: the agency's heading and the same numbers, without the app's menus; printed in landscape.
    page.get_by_role("link", name="Versi cetak").click()
    sheet_row = page.locator(f"table[data-quarterly] tr[data-type='{code}']")
    expect(sheet_row).to_contain_text("Pendamping belum cukup")
    expect(sheet_row).to_contain_text(shown["recipients-percent"])
    expect(page.get_by_role("navigation", name="Menu utama")).to_have_count(0)
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Cetak laporan")).to_be_hidden()
    screenshot("quarterly-print")
    page.emulate_media(media="screen")
    page.go_back()

    # The recipients' percentage opens the list of the clients it counted: as many as the number met.
    row.locator("[data-cell=recipients-percent]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rincian angka")
    met = _number(shown["met"])
    expect(page.locator("[data-counted-number]")).to_have_text(str(met))
    expect(page.locator("table[data-counted] tbody tr")).to_have_count(min(met, 25))
    expect(page.locator(".pager")).to_contain_text(f"{met} data")
    screenshot("quarterly-counted")
