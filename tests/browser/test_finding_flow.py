"""A finding reaches a case: a volunteer files it with a photo on a phone (360×740), the supervisor finds it in the
triage queue on a 768 px tablet with the registered client suggested and opens a case for that client, and the
volunteer then reads "Kasus dibuka" with the case number."""

import io
import re

import pytest
import sqlalchemy as sa
from PIL import Image
from playwright.sync_api import expect

from casework.auth.models import User
from casework.clients.services import register_client
from casework.extensions import db

pytestmark = pytest.mark.browser

PERSON = "Sumarni Wijayakusuma"
VILLAGE = "32.75.07.1004"  # Cikiwul, Bantargebang: inside the demo TKSK's scope


def png():
    """A small photo, as a phone camera would send it (PNG here)."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 120, 60)).save(buffer, format="PNG")
    return buffer.getvalue()


def fits(page, width):
    """Nothing overflows the screen sideways."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def sign_out(page):
    """Signs the current user out."""
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/login")


@pytest.fixture
def registered_person(demo_app, demo_users):
    """A client the demo agency registered before: the person the volunteer is about to find."""
    with demo_app.app_context():
        supervisor = db.session.scalar(sa.select(User).where(User.username == demo_users["supervisor"]["username"]))
        values = {"full_name": PERSON, "sex": "female", "birth_year": 1951, "birth_year_estimated": True}
        client, _created = register_client(supervisor.agency, supervisor, values, confirm_new=True)
        db.session.commit()
        return str(client.uuid)


def test_a_finding_becomes_a_case_for_the_suggested_client(page, sign_in, screenshot, demo_users, registered_person):
    # The volunteer, on a phone.
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(demo_users["volunteer"])
    page.goto("/findings/new")
    page.get_by_label("Kelurahan/desa").select_option(value=VILLAGE)
    page.get_by_label("Alamat atau patokan").fill("Gang Masjid, dekat pos ronda")
    page.get_by_label("Apa yang ditemukan", exact=True).fill(
        "Nenek tinggal sendiri, tidak bisa berjalan, kurang makan."
    )
    page.get_by_label("Nama orang itu (bila tahu)").fill(PERSON)
    page.get_by_label("Jenis kelamin").select_option(value="female")
    page.get_by_label("Perkiraan umur (tahun)").fill("75")
    page.get_by_label("Orang itu setuju dilaporkan").check()
    page.get_by_label("Foto").set_input_files([{"name": "temuan.png", "mimeType": "image/png", "buffer": png()}])
    fits(page, 360)
    page.get_by_role("button", name="Kirim laporan").click()
    page.wait_for_url("**/findings/")
    number = re.search(r"TM-\d{4}-\d{6}", page.locator(".flash").first.inner_text()).group(0)
    mine = page.locator("[data-finding]").filter(has_text=number)
    expect(mine.locator("[data-status]")).to_have_text("Diterima")
    sign_out(page)

    # The supervisor, on a portrait tablet: the queue, the report, the suggested client.
    page.set_viewport_size({"width": 768, "height": 1024})
    sign_in(demo_users["supervisor"])
    page.goto("/triage/")
    item = page.locator("#queue [data-report]").filter(has_text=number)
    expect(item).to_contain_text("1 foto")
    fits(page, 768)
    screenshot("triage-queue")
    item.get_by_role("link", name="Tinjau").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Laporan {number}")
    expect(page.locator("#photos img")).to_have_count(1)
    suggested = page.locator(f'#matches [data-client="{registered_person}"]')
    expect(suggested).to_contain_text(PERSON)
    fits(page, 768)
    screenshot("triage-report")
    suggested.get_by_role("button", name="Buka kasus untuk klien ini").click()
    expect(page.locator(".flash")).to_contain_text("Kasus dibuka dari laporan ini.")
    expect(page.locator("#report [data-report-status]").first).to_have_text("Kasus dibuka")
    case_number = re.search(r"KS-\d{4}-\d{6}", page.locator("#report").inner_text()).group(0)
    page.locator("#report").get_by_role("link", name=case_number).click()
    expect(page.locator("#timeline")).to_contain_text(f"Laporan temuan / pengaduan dikaitkan dengan kasus: {number}")
    expect(page.locator("#timeline")).to_contain_text("Temuan TKSK / PSM")
    sign_out(page)

    # The volunteer sees the outcome, and the case number only.
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(demo_users["volunteer"])
    page.goto("/findings/")
    page.locator("[data-finding]").filter(has_text=number).get_by_role("link").click()
    expect(page.locator("[data-status]")).to_have_text("Kasus dibuka")
    expect(page.locator("[data-case-number]")).to_have_text(case_number)
    expect(page.get_by_text(PERSON)).to_have_count(0)
    fits(page, 360)
    screenshot("finding-case-opened")
