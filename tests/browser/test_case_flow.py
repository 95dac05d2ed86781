"""A caseworker's case at 768 px: from a near-duplicate client to a case opened, assessed, served and closed.

Closing is proposed by the caseworker, approved by the supervisor from the desk, and the caseworker is told.
"""

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


def unread(page):
    """The number on the notification badge (0 when there is none)."""
    badge = page.locator("[data-unread]")
    return int(badge.inner_text()) if badge.count() else 0


def sign_out(page):
    """Signs out from the user menu."""
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/login*")


def deliver(page, service, quantity="1"):
    """Records one delivery of ``service`` from the open delivery form."""
    form = page.locator("#form-deliver")
    form.get_by_label("Layanan", exact=True).select_option(label=service)
    form.get_by_label("Jumlah", exact=True).fill(quantity)
    form.get_by_role("button", name="Catat layanan").click()
    expect(page.get_by_text("Layanan dicatat.")).to_be_visible()


@pytest.mark.parametrize("viewport", ["tablet-768"], indirect=True)
def test_a_caseworker_takes_a_case_from_outreach_to_an_approved_termination(
    page, page_log, sign_in, screenshot, demo_users
):
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

    # Closing is a proposal: the case stays open until a supervisor approves it.
    page.get_by_text("Usulkan terminasi", exact=True).first.click()
    terminate = page.locator("#form-terminate")
    terminate.get_by_label("Hasil terminasi").select_option(label="Kembali ke keluarga")
    terminate.get_by_label("Bimbingan lanjut setelah terminasi").select_option(label="12 bulan")
    terminate.get_by_label("Catatan terminasi").fill("Diantar pulang ke orang tua.")
    terminate.get_by_role("button", name="Usulkan terminasi").click()
    expect(page.get_by_text("Usulan terminasi dikirim.")).to_be_visible()
    pending = page.locator("[data-closure-pending]")
    expect(pending).to_contain_text("menunggu persetujuan supervisor")
    expect(pending.get_by_role("button", name="Setujui terminasi")).to_have_count(0)
    on_timeline(page, "Terminasi diusulkan: Kembali ke keluarga: 12 bulan")
    expect(page.locator(".case-header")).to_contain_text("Intervensi")
    number = page.get_by_role("heading", level=1).inner_text().removeprefix("Kasus ")
    case_url = page.url.split("#")[0]
    fits(page)
    screenshot("case-closure-pending")

    nav.get_by_role("link", name="Kasus").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kasus")
    fits(page)
    screenshot("caseload")
    unread_before = unread(page)

    # The supervisor approves it from the desk in two taps (approve, confirm).
    sign_out(page)
    sign_in(demo_users["supervisor"])
    nav.get_by_role("link", name="Meja supervisor").click()
    waiting = page.locator("[data-closure]").filter(has_text=number)
    expect(waiting).to_contain_text("Kembali ke keluarga")
    fits(page)
    screenshot("desk-closure-waiting")
    page.once("dialog", lambda dialog: dialog.accept())
    waiting.get_by_role("button", name="Setujui terminasi").click()
    expect(page.get_by_text("Terminasi disetujui.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meja supervisor")
    expect(page.locator("[data-closure]").filter(has_text=number)).to_have_count(0)
    page.goto(case_url)
    expect(page.locator(".case-header")).to_contain_text("Bimbingan lanjut")
    on_timeline(page, "Terminasi disetujui, kasus ditutup: Kembali ke keluarga: 12 bulan")
    fits(page)
    screenshot("case-terminated")

    # The proposer sees the decision in the notification badge and list.
    sign_out(page)
    sign_in(demo_users["caseworker"])
    expect(page.locator("[data-unread]")).to_have_text(str(unread_before + 1))
    nav.get_by_role("link", name=re.compile("Notifikasi")).click()
    decision = page.locator("[data-notification]").filter(has_text=number).first
    expect(decision).to_contain_text("Terminasi disetujui, kasus ditutup")
    fits(page)
    screenshot("notifications")
    decision.get_by_role("button").click()
    expect(page).to_have_url(re.compile(re.escape(case_url) + "#timeline$"))
