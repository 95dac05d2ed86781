"""A referral at 768 px: proposed by a caseworker, refused to its proposer, approved by a supervisor, accepted and
completed by the receiving unit, and its letter printed on A4."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from casework.auth.models import Role, User
from casework.cases.intake import open_case
from casework.clients.services import register_client
from casework.extensions import db
from casework.org.models import Unit
from tests.factories import TEST_PASSWORD, Factories

pytestmark = pytest.mark.browser

WIDTH = 768
SHELTER = "Rumah Singgah Dinas Sosial Kota Bekasi"


def fits(page):
    """Nothing overflows the portrait tablet sideways."""
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


def sign_out(page):
    """Signs the current user out."""
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/login")


@pytest.fixture
def referral_setup(demo_app, demo_users):
    """A new case held by the demo caseworker, and a caseworker of the demo rumah singgah (the receiving unit)."""
    with demo_app.app_context():
        shelter = db.session.scalar(sa.select(Unit).where(Unit.name == SHELTER))
        receiver = Factories().user(role=Role.CASEWORKER, unit=shelter, full_name="Yuni Astuti")
        holder = db.session.scalar(sa.select(User).where(User.username == demo_users["caseworker"]["username"]))
        client, _created = register_client(
            holder.agency, holder, {"full_name": "Rudi Hartono", "birth_year": 1979}, confirm_new=True
        )
        case, _created = open_case(
            holder.agency, holder, client, {"intake_channel": "outreach", "intake_date": "2026-11-02"}
        )
        db.session.commit()
        return {"case": str(case.uuid), "receiver": {"username": receiver.username, "password": TEST_PASSWORD}}


@pytest.mark.parametrize("viewport", ["tablet-768"], indirect=True)
def test_a_referral_is_proposed_approved_answered_and_printed(
    page, page_log, sign_in, screenshot, demo_users, referral_setup
):
    sign_in(demo_users["caseworker"])
    page.goto(f"/cases/{referral_setup['case']}")
    page.locator("#referrals").get_by_role("link", name="Usulkan rujukan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Usulkan rujukan: Rudi Hartono")
    page.get_by_label("Tujuan rujukan").select_option(label="Unit dinas sendiri")
    page.get_by_label("Unit dinas penerima").select_option(label=SHELTER)
    page.get_by_label("Permakanan", exact=True).check()
    page.get_by_label("Dukungan psikososial", exact=True).check()
    page.get_by_label("Alasan rujukan").fill("Tidur di emperan pasar; perlu tempat aman selama keluarganya dicari.")
    page.get_by_label("Tingkat kedaruratan").select_option(label="Segera")
    page.get_by_label("Persetujuan klien").select_option(label="Klien sudah menyetujui rujukan")
    fits(page)
    screenshot("referral-new")
    page.get_by_role("button", name="Usulkan rujukan").click()
    expect(page).to_have_url(re.compile(r"/referrals/[0-9a-f-]{36}$"))
    referral_url = page.url
    number = re.search(r"RJ-\d{4}-\d{6}", page.get_by_role("heading", level=1).inner_text()).group(0)
    expect(page.locator("[data-referral-status]")).to_have_text("menunggu persetujuan")
    # The proposer is offered no decision, and a decision posted anyway is refused.
    expect(page.get_by_role("button", name="Setujui")).to_have_count(0)
    expect(page.get_by_text("menunggu keputusan supervisor lain")).to_be_visible()
    expect(page.get_by_text("Surat rujukan bisa dicetak setelah rujukan disetujui supervisor.")).to_be_visible()
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    refused = page.request.post(
        f"{referral_url}/approve", form={"csrf_token": token, "approve-version": "1", "approve-text": ""}
    )
    assert refused.status == 403
    fits(page)
    screenshot("referral-proposed")
    sign_out(page)

    sign_in(demo_users["supervisor"])
    page.goto(referral_url)
    decide = page.locator("#decide")
    decide.get_by_label("Catatan persetujuan (tidak wajib)").fill("Setuju, antar hari ini.")
    fits(page)
    screenshot("referral-decide")
    decide.get_by_role("button", name="Setujui").click()
    expect(page.get_by_text("Rujukan disetujui.")).to_be_visible()
    expect(page.locator("[data-referral-status]")).to_have_text("disetujui, menunggu jawaban penerima")
    sign_out(page)

    sign_in(referral_setup["receiver"])
    page.goto(referral_url)
    page.locator("#decide").get_by_role("button", name="Terima rujukan").click()
    expect(page.get_by_text("Rujukan diterima.")).to_be_visible()
    page.get_by_label("Hasil rujukan").fill("Tinggal 4 hari di rumah singgah, lalu dijemput kakaknya.")
    page.get_by_role("button", name="Catat hasil").click()
    expect(page.get_by_text("Hasil rujukan dicatat.")).to_be_visible()
    expect(page.locator("[data-referral-status]")).to_have_text("selesai")
    expect(page.locator("#steps li")).to_have_count(4)
    fits(page)
    screenshot("referral-completed")

    page.get_by_role("link", name="Surat rujukan (cetak)").click()
    expect(page.locator("[data-letter-number]")).to_have_text(number)
    expect(page.locator("[data-client-name]")).to_have_text("Rudi Hartono")
    expect(page.locator(".letterhead")).to_contain_text("DINAS SOSIAL KOTA BEKASI")
    assert page.evaluate("typeof window.print") == "function"
    # The button prints: window.print is replaced so the headless browser records the call instead of a dialog.
    page.evaluate("() => { window.printed = 0; window.print = () => { window.printed += 1; }; }")
    page.get_by_role("button", name="Cetak surat").click()
    assert page.evaluate("window.printed") == 1
    fits(page)
    screenshot("referral-letter")
    page.emulate_media(media="print")
    expect(page.locator(".paper-tools")).to_be_hidden()
    screenshot("referral-letter-print")
    # Printed, the letter is one A4 page.
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
