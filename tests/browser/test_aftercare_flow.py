"""Graduation and aftercare in the browser: the exit assessment at 768 px, a volunteer's visit on a phone."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from casework.aftercare.models import AftercareVisit
from casework.cases.models import Case
from casework.extensions import db

pytestmark = pytest.mark.browser

SCORES = {
    "income": "3",
    "housing": "4",
    "health": "2",
    "family_support": "4",
    "documents": "1",
    "social_functioning": "3",
}
# Outcomes that can never be judged self-reliant.
REMOVED = ("Pergi / hilang kontak", "Menolak layanan")


def fits(page, width):
    """Nothing overflows the screen sideways."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("viewport", ["tablet-768"], indirect=True)
def test_a_caseworker_records_the_exit_assessment(page, page_log, sign_in, screenshot, demo_users):
    sign_in(demo_users["caseworker"])
    page.goto("/cases/?stage=aftercare")
    page.locator("table tbody tr").first.get_by_role("link").first.click()
    ended = page.get_by_text(re.compile(r"^Diterminasi ")).first.inner_text()
    section = page.locator("#aftercare")
    expect(section).to_contain_text("Asesmen akhir belum dicatat.")
    section.get_by_role("link", name="Catat asesmen akhir").click()

    form = page.locator("#form-exit")
    for code, score in SCORES.items():
        form.locator(f"#score_{code}").fill(score)
    form.locator("#score_income").fill("9")
    removed = any(label in ended for label in REMOVED)
    form.get_by_label("Belum mandiri" if removed else "Mandiri", exact=True).check()
    fits(page, 768)
    form.get_by_role("button", name="Simpan asesmen akhir").click()
    expect(page.locator("#score_income-err")).to_have_text("Isi nilai 0 sampai 4.")
    page_log.errors.remove("Failed to load resource: the server responded with a status of 422 (UNPROCESSABLE ENTITY)")
    page.locator("#score_income").fill("3")
    screenshot("aftercare-exit-form")
    page.get_by_role("button", name="Simpan asesmen akhir").click()

    expect(page.get_by_text("Asesmen akhir dicatat.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/cases/[0-9a-f-]{36}#aftercare$"))
    # 3·3 + 4·2 + 2·2 + 4·2 + 1·1 + 3·2 = 36 of 48.
    expect(page.locator("[data-exit-assessment]")).to_contain_text("Indeks kemandirian 75.00 (36 dari 48)")
    expect(page.locator("[data-exit-assessment]")).to_contain_text("Paksa" if removed else "Mandiri")
    expect(section.locator(".visit-schedule > li")).to_have_count(5)


def _client_in_the_volunteers_district(app):
    """Moves the client of an aftercare case with visits ahead into Ujang's district (the small demo may have none)."""
    with app.app_context():
        case = db.session.scalars(
            sa.select(Case)
            .join(AftercareVisit, AftercareVisit.case_id == Case.id)
            .where(AftercareVisit.visited_on.is_(None))
        ).first()
        case.client.domicile_region_code = "32.75.07.1004"
        db.session.commit()


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_volunteer_records_a_visit_on_a_phone(page, sign_in, screenshot, demo_app, demo_users):
    _client_in_the_volunteers_district(demo_app)
    sign_in(demo_users["volunteer"])
    page.get_by_role("link", name="Bimbingan lanjut").first.click()
    visits = page.locator("[data-visit]")
    expect(visits.first).to_be_visible()
    before = visits.count()
    fits(page, 360)
    screenshot("aftercare-volunteer-visits")
    visits.first.get_by_role("link").click()
    expect(page.locator("[data-visit-facts]")).to_contain_text("setelah terminasi, jatuh tempo")
    page.get_by_label("Kembali bermasalah").check()
    page.get_by_label("Catatan (tidak wajib)").fill("Klien kembali tidur di terminal.")
    fits(page, 360)
    page.get_by_role("button", name="Catat kunjungan").click()
    expect(page.get_by_text("Kunjungan bimbingan lanjut dicatat.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/aftercare/visits$"))
    expect(page.locator("[data-visit]")).to_have_count(before - 1)
