"""The full agency export at tablet size: an administrator downloads the zip and sees it listed."""

import json
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_administrator_downloads_the_full_agency_export(page, sign_in, screenshot, demo_users):
    sign_in(demo_users["admin"])
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Ekspor lengkap").click()
    expect(page.get_by_role("heading", name="Ekspor lengkap dinas")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 800
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Unduh ekspor lengkap (ZIP)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("DINSOS-3275-") and download.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(Path(download.path())) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["agency"]["code"] == "DINSOS-3275"
    assert next(entry for entry in manifest["tables"] if entry["table"] == "client")["rows"] > 0
    page.reload()
    expect(page.get_by_role("table")).to_contain_text(demo_users["admin"]["full_name"])
    screenshot("agency-export")
