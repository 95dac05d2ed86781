"""A volunteer files a finding on a phone (360×740): from the home page, one column, the GPS button, a photo;
it then shows in "Temuan saya" as received, and its status page says no more than where it stands."""

import io
import re

import pytest
import sqlalchemy as sa
from PIL import Image
from playwright.sync_api import expect

from casework.extensions import db
from casework.findings.models import Report

pytestmark = pytest.mark.browser

VILLAGE = "32.75.07.1008"  # Sumurbatu, Bantargebang: inside the demo TKSK's scope
WHERE = {"latitude": -6.3401, "longitude": 107.0012}


def png(size):
    """A generated photo of ``size`` (width, height)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_volunteer_files_a_finding_with_a_photo_and_sees_it_received(page, sign_in, screenshot, demo_app, demo_users):
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation(WHERE)
    sign_in(demo_users["volunteer"])
    page.locator("[data-panel=report]").get_by_role("link", name="Laporkan temuan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Laporkan temuan")

    page.get_by_label("Kelurahan/desa").select_option(value=VILLAGE)
    page.get_by_label("Alamat atau patokan").fill("Halte dekat masjid")
    page.get_by_role("button", name="Pakai lokasi saya (GPS)").click()
    expect(page.locator("[data-geo-status]")).to_have_text("Lokasi: -6.340100, 107.001200")
    page.get_by_label("Apa yang ditemukan", exact=True).fill("Bapak tua tidur di halte, batuk terus dan tampak lapar.")
    page.get_by_label("Darurat (perlu didatangi hari ini)").check()
    page.get_by_label("Perkiraan umur (tahun)").fill("70")
    photo = page.get_by_label("Foto", exact=True)
    expect(photo).to_have_attribute("capture", "environment")
    # A camera-sized photo: the page shrinks it to a JPEG before sending (static/js/findings.js).
    photo.set_input_files([{"name": "halte.png", "mimeType": "image/png", "buffer": png((2400, 1800))}])
    # One column on the phone: nothing runs off the screen sideways, the send button spans it.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("finding-new")
    page.get_by_role("button", name="Kirim laporan").click()

    page.wait_for_url("**/findings/")
    number = re.search(r"TM-\d{4}-\d{6}", page.locator(".flash").first.inner_text()).group(0)
    mine = page.locator("[data-finding]").filter(has_text=number)
    expect(mine.locator("[data-status]")).to_have_text("Diterima")
    expect(mine).to_contain_text("Sumurbatu")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("findings-mine")

    with demo_app.app_context():
        report = db.session.scalar(sa.select(Report).where(Report.number == number))
        assert [photo.file.content_type for photo in report.photos] == ["image/jpeg"]

    mine.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Temuan {number}")
    expect(page.locator("[data-status]")).to_have_text("Diterima")
    expect(page.locator("main")).not_to_contain_text("Bapak tua tidur di halte")
