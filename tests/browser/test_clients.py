"""The client registry at tablet size: a spelling variant of a registered client is offered and linked."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_caseworker_is_offered_the_existing_client_and_links_to_it(page, page_log, sign_in, screenshot, demo_users):
    caseworker = demo_users["caseworker"]
    assert caseworker["username"] == "peksos"
    sign_in(caseworker)
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Klien").click()
    page.get_by_role("link", name="Daftarkan klien").click()

    page.get_by_label("Nama lengkap").fill("Muhamad Rizky")
    page.get_by_label("Jenis kelamin").select_option(label="Laki-laki")
    page.get_by_label("Tahun lahir (bila tanggal tidak diketahui)").fill("2011")
    page.get_by_label("Tahun lahir perkiraan").check()
    page.get_by_role("button", name="Daftarkan", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text("Orang ini mungkin sudah terdaftar")
    first = page.locator("table tbody tr").first
    expect(first).to_contain_text("Muhammad Rizki")
    expect(first).to_contain_text("nama mirip 100, tahun lahir sama")
    expect(page.get_by_role("button", name="Tetap daftarkan baru")).to_be_visible()
    # Nothing overflows the portrait tablet.
    assert page.evaluate("document.documentElement.scrollWidth") <= 800
    screenshot("client-duplicate-offered")
    # Chromium logs the page's own 409 status; that one is expected.
    page_log.errors.remove("Failed to load resource: the server responded with a status of 409 (CONFLICT)")

    first.get_by_role("link", name="Pakai klien ini").click()
    expect(page).to_have_url(re.compile(r"/clients/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Muhammad Rizki")
    expect(page.get_by_role("cell", name="Anak jalanan")).to_be_visible()
    screenshot("client-detail")
