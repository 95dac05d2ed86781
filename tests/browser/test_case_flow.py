"""A caseworker's case at 768 px: from a near-duplicate client to a case opened, assessed, served and closed."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WIDTH = 768


def fits(page):
    """Nothing overflows the portrait tablet sideways."""
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def on_timeline(page, *lines):
    """Each of ``lines`` is an entry of the case's timeline."""
    timeline = page.locator("#timeline")
    for line in lines:
        expect(timeline).to_contain_text(line)


def deliver(page, service, quantity="1"):
    """Records one delivery of ``service`` from the open delivery form."""
    form = page.locator("#form-deliver")
    form.get_by_label("Layanan", exact=True).select_option(label=service)
    form.get_by_label("Jumlah", exact=True).fill(quantity)
    form.get_by_role("button", name="Catat layanan").click()
    expect(page.get_by_text("Layanan dicatat.")).to_be_visible()


@pytest.mark.parametrize("viewport", ["tablet-768"], indirect=True)
def test_a_caseworker_takes_a_case_from_outreach_to_termination(page, page_log, sign_in, screenshot, demo_users):
    sign_in(demo_users["caseworker"])
    nav = page.get_by_role("navigation", name="Menu utama")
    nav.get_by_role("link", name="Klien").click()
    page.get_by_role("link", name="Daftarkan klien").click()
    page.get_by_label("Nama lengkap").fill("Muhamad Rizky")
    page.get_by_label("Jenis kelamin").select_option(label="Laki-laki")
    page.get_by_label("Tahun lahir (bila tanggal tidak diketahui)").fill("2011")
    page.get_by_role("button", name="Daftarkan", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Orang ini mungkin sudah terdaftar")
    page_log.errors.remove("Failed to load resource: the server responded with a status of 409 (CONFLICT)")
    page.locator("table tbody tr").first.get_by_role("link", name="Pakai klien ini").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Muhammad Rizki")

    page.locator("#cases").get_by_role("link", name="Buka kasus").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Buka kasus: Muhammad Rizki")
    page.get_by_label("Cara kasus diterima").select_option(label="Penjangkauan")
    page.get_by_label("Tempat ditemukan (jalan, patokan)").fill("Perempatan Stasiun Bekasi")
    page.get_by_label("Keadaan saat ditemukan").fill("Mengamen di lampu merah sampai malam.")
    fits(page)
    screenshot("case-new")
    page.get_by_role("button", name="Buka kasus", exact=True).click()
    expect(page).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kasus KS-")
    on_timeline(page, "Kasus dibuka: Penjangkauan")

    page.get_by_role("button", name="Mulai asesmen").click()
    on_timeline(page, "Asesmen dimulai")
    step = page.locator("#form-assess")
    step.get_by_label("Kondisi klien").fill("Sehat; putus sekolah; pakaian hanya satu.")
    step.get_by_label("Permakanan", exact=True).check()
    step.get_by_label("Jumlah Permakanan", exact=True).fill("2")
    step.get_by_label("Sandang", exact=True).check()
    fits(page)
    screenshot("case-assessment")
    step.get_by_role("button", name="Selesaikan asesmen").click()
    on_timeline(page, "Asesmen selesai")

    page.get_by_label("Tujuan rencana intervensi").fill("Kembali bersekolah dan tinggal bersama keluarga.")
    page.get_by_role("button", name="Simpan rencana").click()
    on_timeline(page, "Rencana intervensi dibuat")

    deliver(page, "Permakanan")
    deliver(page, "Sandang")
    expect(page.locator("[data-needs-met]")).to_have_count(0)
    deliver(page, "Permakanan")
    expect(page.locator("[data-needs-met]")).to_contain_text(re.compile(r"kebutuhan terpenuhi \d{1,2} \w+ \d{4}"))
    on_timeline(
        page, "Layanan diberikan: Permakanan × 1", "Layanan diberikan: Sandang × 1", "Semua kebutuhan dasar terpenuhi"
    )
    fits(page)
    screenshot("case-needs-met")

    page.get_by_text("Terminasi kasus", exact=True).first.click()
    terminate = page.locator("#form-terminate")
    terminate.get_by_label("Hasil terminasi").select_option(label="Kembali ke keluarga")
    terminate.get_by_label("Catatan terminasi").fill("Diantar pulang ke orang tua.")
    # Termination asks for confirmation first: dismissed, nothing happens; accepted, the case is terminated.
    page.once("dialog", lambda dialog: dialog.dismiss())
    terminate.get_by_role("button", name="Terminasi kasus").click()
    expect(page.locator(".case-header")).not_to_contain_text("Terminasi")
    page.once("dialog", lambda dialog: dialog.accept())
    terminate.get_by_role("button", name="Terminasi kasus").click()
    expect(page.get_by_text("Kasus diterminasi.")).to_be_visible()
    on_timeline(page, "Kasus diterminasi: Kembali ke keluarga")
    expect(page.locator(".case-header")).to_contain_text("Terminasi")
    fits(page)
    screenshot("case-terminated")

    nav.get_by_role("link", name="Kasus").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kasus")
    fits(page)
    screenshot("caseload")
