"""A volunteer's phone (360×740) files a finding with a photo without a connection (issue 9): the app
keeps it, says it waits, reopens offline, and sends it once when the connection returns."""

import io
import uuid

import pytest
import sqlalchemy as sa
from PIL import Image
from playwright.sync_api import expect

from casework.extensions import db
from casework.findings.models import Report
from tests.browser.test_offline_field import open_field_app, watch_batches, watch_uploads, write_statuses

pytestmark = pytest.mark.browser

VILLAGE = "32.75.07.1008"  # Sumurbatu, Bantargebang: inside the demo TKSK's scope
PLACE = "Pos ronda dekat jembatan"


def camera_photo():
    """A camera-sized PNG: the app shrinks it to a JPEG before keeping it."""
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1800), (200, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_volunteer_files_a_finding_offline(page, sign_in, screenshot, demo_app, demo_users):
    chunks = watch_uploads(page)
    sign_in(demo_users["volunteer"])
    open_field_app(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Temuan saya")
    expect(page.get_by_role("link", name="Klien baru")).to_be_hidden()

    page.context.set_offline(True)
    page.get_by_role("link", name="Temuan baru").first.click()
    page.get_by_label("Desa/kelurahan").select_option(value=VILLAGE)
    page.get_by_label("Tempat").fill(PLACE)
    page.get_by_label("Uraian").fill("Anak kecil sendirian sejak pagi, tidak mau menyebut nama.")
    page.get_by_label("Perkiraan umur").fill("7")
    page.get_by_label("Foto", exact=True).set_input_files(
        {"name": "pos.png", "mimeType": "image/png", "buffer": camera_photo()}
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot("offline-finding-form")
    page.get_by_role("button", name="Kirim temuan").click()
    waiting = page.locator("#finding-list li", has_text="Belum terkirim")
    expect(waiting).to_have_count(1)
    device_uuid = waiting.get_attribute("data-finding")
    mine = page.locator(f"#finding-list li[data-finding='{device_uuid}']")

    page.reload()
    expect(mine).to_contain_text("Belum terkirim")
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # Every tab, and the waiting count, in view without scrolling the menu sideways.
    assert page.evaluate("(nav => nav.scrollWidth <= nav.clientWidth)(document.querySelector('.mainnav'))")
    screenshot("offline-finding-waiting")

    page.context.set_offline(False)
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "0", timeout=20000)
    expect(mine).to_contain_text("Diterima")
    expect(mine).to_contain_text("TM-")
    page.get_by_role("link", name="Sinkronisasi").click()
    page.locator("main").get_by_role("button", name="Sinkronkan sekarang").click()
    expect(page.locator("#field-notice")).to_have_text("Sinkronisasi selesai.")
    with demo_app.app_context():
        reports = db.session.scalars(sa.select(Report).where(Report.uuid == uuid.UUID(device_uuid))).all()
        assert len(reports) == 1
        assert [photo.file.content_type for photo in reports[0].photos] == ["image/jpeg"]
        assert db.session.scalar(sa.select(sa.func.count()).where(Report.place == PLACE)) == 1
    assert len(chunks) >= 1


MARK_UPLOADED = """async () => {
    const { sessionKey } = await import("/static/field/crypto.js");
    const { Vault, openDatabase } = await import("/static/field/store.js");
    const db = await openDatabase();
    const vault = new Vault(db, (await sessionKey()).key);
    const [item] = await vault.queued();
    item.file.uploaded = true;
    await vault.replace(item);
    db.close();
}"""


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_a_photo_whose_upload_expired_is_sent_again(page, sign_in, demo_app, demo_users):
    batches = watch_batches(page)
    sign_in(demo_users["volunteer"])
    open_field_app(page)
    page.context.set_offline(True)
    page.get_by_role("link", name="Temuan baru").first.click()
    page.get_by_label("Desa/kelurahan").select_option(value=VILLAGE)
    page.get_by_label("Tempat").fill("Gardu listrik Sumurbatu")
    page.get_by_label("Uraian").fill("Lansia tidur di gardu, tampak sakit.")
    page.get_by_label("Foto", exact=True).set_input_files(
        {"name": "gardu.png", "mimeType": "image/png", "buffer": camera_photo()}
    )
    page.get_by_role("button", name="Kirim temuan").click()
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "1")
    # As if the photo had been uploaded in an earlier run a day ago: the server no longer holds that upload.
    page.evaluate(MARK_UPLOADED)

    page.context.set_offline(False)
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "0", timeout=20000)
    with demo_app.app_context():
        reports = db.session.scalars(sa.select(Report).where(Report.place == "Gardu listrik Sumurbatu")).all()
        assert [len(report.photos) for report in reports] == [1]
    # Refused once (the upload was gone), sent again with the photo.
    assert write_statuses(batches) == [422, 201]
