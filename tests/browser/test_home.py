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
            "Temuan lapangan baru",
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


def test_features_still_to_come_say_so_instead_of_showing_figures(page, sign_in, demo_users):
    sign_in(demo_users["caseworker"])
    findings = page.locator("[data-panel=findings]")
    expect(findings.locator(".empty-state strong")).to_have_text("Belum ada temuan")
    expect(findings.get_by_text("Segera hadir")).to_be_visible()
    expect(findings).not_to_contain_text(re.compile(r"\d"))
    # The caseload is built: its panel shows a count that opens the caseload.
    caseload = page.locator("[data-panel=caseload]")
    expect(caseload.locator(".stat-value")).to_have_text(re.compile(r"^\d+$"))
    caseload.get_by_role("link", name="Buka daftar kasus").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kasus")
