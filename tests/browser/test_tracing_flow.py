"""Family tracing at 768 px: open a request, follow a lead, close it found, record the reunification, see the visits."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WIDTH = 768


def fits(page):
    """Nothing overflows the portrait tablet sideways."""
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def done(page, message):
    """The operation succeeded: its message shows, back on the case page's tracing section."""
    expect(page.get_by_text(message)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}#tracing$"))


@pytest.mark.parametrize("viewport", ["tablet-768"], indirect=True)
def test_a_caseworker_traces_a_family_and_reunifies_the_client(page, sign_in, screenshot, demo_users):
    sign_in(demo_users["caseworker"])
    page.goto("/cases/?scope=mine&stage=assessment")
    page.locator("table tbody tr").first.get_by_role("link").first.click()
    section = page.locator("#tracing")
    expect(section).to_contain_text("Penelusuran keluarga dan reunifikasi")

    section.locator("summary", has_text="Buka penelusuran keluarga").click()
    form = page.locator("#form-tracing")
    form.get_by_label("Nama anggota keluarga yang dicari").fill("Siti Aminah")
    form.get_by_label("Hubungan dengan klien").select_option(label="Ibu")
    form.get_by_label("Tempat terakhir diketahui (alamat, kampung, patokan)").fill("Kampung Cibeureum RT 02")
    fits(page)
    form.get_by_role("button", name="Buka penelusuran").click()
    done(page, "Penelusuran keluarga dibuka.")

    request = section.locator("article.tracing-request").first
    expect(request).to_contain_text("Sedang ditelusuri")
    request.locator("summary", has_text="Tambah jejak").click()
    lead = request.locator("form[id^=form-lead]")
    lead.get_by_label("Cara penelusuran").select_option(label="Surat ke kepala desa / lurah")
    lead.get_by_label("Yang dilakukan (siapa dihubungi, ke mana)").fill("Surat ke lurah Cibeureum")
    lead.get_by_label("Hasil").fill("Ibu klien tinggal di RT 03, sudah dikunjungi.")
    lead.get_by_role("button", name="Catat jejak").click()
    done(page, "Jejak penelusuran dicatat.")
    expect(request).to_contain_text("Surat ke lurah Cibeureum")

    request.locator("summary", has_text="Tutup penelusuran").click()
    closing = request.locator("form[id^=form-close]")
    closing.get_by_label("Ditemukan", exact=True).check()
    closing.get_by_role("button", name="Tutup penelusuran").click()
    done(page, "Penelusuran ditutup.")
    expect(request).to_contain_text("Ditemukan")
    expect(request.locator("form")).to_have_count(0)

    section.locator("summary", has_text="Catat reunifikasi").click()
    home = page.locator("#form-reunify")
    home.get_by_label("Nama anggota keluarga", exact=True).fill("Siti Aminah")
    home.get_by_label("Hubungan dengan klien").select_option(label="Ibu")
    home.get_by_label("Ditemukan lewat penelusuran").select_option(label="Siti Aminah")
    home.get_by_label("Alamat keluarga").fill("Kampung Cibeureum RT 03")
    region = home.get_by_role("combobox", name=re.compile("^Wilayah"))
    region.press_sequentially("rawalu")
    page.get_by_role("option", name=re.compile("^Rawalumbu")).first.click()
    home.get_by_label("Ya", exact=True).check()
    home.get_by_label("Dasar penilaian keamanan rumah").fill("Ibu bekerja tetap; rumah layak; tidak ada kekerasan.")
    fits(page)
    screenshot("tracing-reunify-form")
    home.get_by_role("button", name="Catat reunifikasi").click()
    done(page, "Reunifikasi dicatat.")

    expect(section.locator("[data-reunified]")).to_contain_text("Kembali ke Siti Aminah (Ibu)")
    visits = section.locator(".visit-schedule > li")
    expect(visits).to_have_count(3)
    expect(visits.nth(0)).to_contain_text("Hari ke-7")
    expect(visits.nth(2)).to_contain_text("Hari ke-90")
    expect(visits.nth(0)).to_contain_text("terjadwal")
    timeline = page.locator("#timeline")
    for line in ("Penelusuran keluarga dibuka", "Jejak penelusuran keluarga dicatat", "Klien kembali ke keluarga"):
        expect(timeline).to_contain_text(line)
    fits(page)
    screenshot("tracing-section")
