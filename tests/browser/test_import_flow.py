"""The import flow at tablet size: a data officer uploads an XLSX, reads the dry run, confirms, watches the bar."""

import contextlib

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.imports.helpers import xlsx_bytes

pytestmark = pytest.mark.browser

ROWS = 1500


def _name(n):
    """A made-up two-word name no demo client is like: letters from the number."""
    letters = "".join("bcdfghjklmnpqrstvwxz"[int(digit) * 2 % 20] for digit in f"{n:04d}")
    return f"Q{letters}a Z{letters[::-1]}o"


def _workbook():
    header = ["Kode sumber", "Nama lengkap *", "Jenis kelamin", "Tahun lahir"]
    rows = [[f"UJI-{n}", _name(n), "L" if n % 2 else "P", 1950 + n % 60] for n in range(ROWS)]
    rows.append(["UJI-X", "", "L", 1990])
    return xlsx_bytes(header, rows, sheet="clients")


@pytest.mark.parametrize("viewport", ["tablet-768"], indirect=True)
def test_a_data_officer_imports_clients_from_xlsx(page, sign_in, screenshot, demo_users):
    sign_in(demo_users["data_officer"])
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Impor data").click()
    page.get_by_label("Jenis data").select_option("clients")
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(
        {"name": "klien.xlsx", "mimeType": xlsx, "buffer": _workbook()}
    )
    page.get_by_role("button", name="Periksa berkas").click()
    # The dry run: one row without a name stops the import and says where.
    expect(page.get_by_text("1 baris salah")).to_be_visible(timeout=120_000)
    expect(page.locator("table").get_by_text('Kolom "Nama lengkap": Wajib diisi.')).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    screenshot("import-dry-run-errors")

    # Fixed: the same workbook without the bad row.
    page.get_by_role("link", name="Semua impor").click()
    header = ["Kode sumber", "Nama lengkap *", "Jenis kelamin", "Tahun lahir"]
    rows = [[f"UJI-{n}", _name(n), "L" if n % 2 else "P", 1950 + n % 60] for n in range(ROWS)]
    page.get_by_label("Jenis data").select_option("clients")
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(
        {"name": "klien.xlsx", "mimeType": xlsx, "buffer": xlsx_bytes(header, rows, sheet="clients")}
    )
    page.get_by_role("button", name="Periksa berkas").click()
    confirm = page.get_by_role("button", name="Konfirmasi dan impor")
    expect(confirm).to_be_visible(timeout=120_000)
    expect(page.get_by_text(f"Hasil pemeriksaan: {ROWS} baris")).to_be_visible()
    screenshot("import-dry-run-clean")
    confirm.click()

    bar = page.locator("progress")
    expect(bar).to_be_visible()
    screenshot("import-progress")
    seen = set()
    done = page.locator("[data-import-done]")
    for _attempt in range(600):
        if done.count():
            break
        # The page may be reloading: the import finished between two looks.
        with contextlib.suppress(PlaywrightError):
            seen.add(bar.evaluate("bar => Math.round(100 * bar.value / bar.max)", timeout=1000))
        page.wait_for_timeout(200)
    expect(done).to_be_visible(timeout=60_000)
    assert seen and min(seen) < 100
    expect(page.get_by_text(f"Impor selesai: {ROWS} baris diproses.")).to_be_visible()
    expect(page.locator("[data-import-applied]")).to_have_text(f"Dibuat baru: {ROWS}")
    screenshot("import-done")
