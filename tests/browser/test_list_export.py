"""List exports at tablet size: a data officer reads the registry masked and downloads it as CSV and XLSX."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_data_officer_sees_masked_clients_and_downloads_them(page, sign_in, screenshot, demo_users):
    sign_in(demo_users["data_officer"])
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Klien").click()
    first_name = page.locator("table tbody tr td a").first
    # Each word keeps its first letter only.
    expect(first_name).to_have_text(re.compile(r"^\w\**( \w\**)*$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 800
    screenshot("clients-masked-export-links")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("klien-") and download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert rows[0][:3] == ["Nama", "Nama lain", "Jenis kelamin"] and len(rows) > 1
    assert all("*" in row[0] for row in rows[1:] if row[0])
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh XLSX").click()
    assert download_info.value.suggested_filename.endswith(".xlsx")
