"""Every demo role signs in on a portrait tablet and lands on its own home page, in Indonesian."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# role: (label in the top bar and page head, the panels its home page shows)
HOMES = {
    "admin": ("Administrator", ["Pengguna", "Unit & mitra", "Data referensi", "Akun & token API"]),
    "supervisor": (
        "Supervisor",
        ["Menunggu persetujuan", "Kasus unit saya", "Lewat tenggat", "Temuan lapangan", "Direktori unit & mitra"],
    ),
    "caseworker": (
        "Pekerja sosial / pendamping",
        [
            "Kasus saya",
            "Tenggat & tindak lanjut",
            "Pengaduan masyarakat",
            "Direktori unit & mitra",
            "Tablet & token API",
        ],
    ),
    "volunteer": ("Relawan (TKSK / PSM)", ["Laporkan temuan", "Temuan saya"]),
    "data_officer": ("Petugas data", ["Capaian SPM", "Laporan triwulan", "Populasi PPKS", "Data referensi"]),
    "viewer": ("Pimpinan (lihat saja)", ["Dasbor kinerja", "Capaian SPM", "Laporan triwulan"]),
}


@pytest.mark.parametrize("role", HOMES)
def test_each_role_sees_its_home_page_in_indonesian(page, sign_in, screenshot, demo_users, role):
    user = sign_in(demo_users[role])
    label, panels = HOMES[role]

    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page).to_have_title("Beranda · Casework")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Selamat datang, {user['full_name']}")
    expect(page.locator(".page-head")).to_contain_text(f"{label} · ")
    expect(page.locator(".who")).to_contain_text(user["full_name"])
    nav = page.get_by_role("navigation", name="Menu utama")
    expect(nav.get_by_role("link", name="Beranda")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Administrasi")).to_have_count(1 if role == "admin" else 0)
    expect(page.get_by_role("heading", level=2)).to_have_text(panels)
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    screenshot(f"home-{role}")

    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/login")
    expect(page.locator(".flash-info")).to_have_text("Anda telah keluar.")


def test_home_panels_open_the_caseload_and_the_complaint_form(page, sign_in, demo_users):
    sign_in(demo_users["caseworker"])
    findings = page.locator("[data-panel=findings]")
    findings.get_by_role("link", name="Catat pengaduan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("pengaduan")
    page.go_back()
    # The caseload is built: its panel shows a count that opens the caseload.
    caseload = page.locator("[data-panel=caseload]")
    expect(caseload.locator(".stat-value")).to_have_text(re.compile(r"^\d+$"))
    caseload.get_by_role("link", name="Buka daftar kasus").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kasus")
