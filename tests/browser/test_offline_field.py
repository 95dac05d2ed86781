"""The field app offline (issue 9): a caseworker's tablet downloads the caseload, loses the connection,
registers a client, opens a case, records a service, a note and a photo, reloads the page without a
connection (the app still opens), reconnects and syncs: every record is on the server exactly once, and
a second sync changes nothing. Signing out wipes the device's store."""

import io

import pytest
import sqlalchemy as sa
from PIL import Image
from playwright.sync_api import expect

from casework.cases.models import Case, CaseAttachment, CaseNote, ServiceDelivery
from casework.clients.models import Client
from casework.extensions import db

pytestmark = pytest.mark.browser

NAME = "Sutrisno Lapangan Offline"


def photo():
    """A generated JPEG photo."""
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (90, 140, 60)).save(buffer, format="JPEG")
    return buffer.getvalue()


def open_field_app(page):
    """Opens /field/ and waits for the first sync (the service worker controls the page by then)."""
    page.goto("/field/")
    expect(page.locator("#field-notice")).to_have_text("Sinkronisasi selesai.", timeout=20000)
    # Polled from here: wait_for_function polls with eval inside the page, which its CSP forbids.
    for _n in range(100):
        if page.evaluate("navigator.serviceWorker.controller !== null"):
            return
        page.wait_for_timeout(100)
    raise AssertionError("the service worker never took control of the page")


def count(demo_app, model, *conditions):
    """Rows of ``model`` on the server matching ``conditions``."""
    with demo_app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*conditions))


def watch_uploads(page):
    """The resumable-upload chunks the page sends (PATCH /api/v1/uploads/<uuid>)."""
    chunks = []
    page.on(
        "request",
        lambda request: request.method == "PATCH" and "/api/v1/uploads/" in request.url and chunks.append(request.url),
    )
    return chunks


def watch_batches(page):
    """The answers to the batches of queued writes the page sends (POST /api/v1/sync/batch)."""
    answers = []
    page.on("response", lambda response: response.url.endswith("/api/v1/sync/batch") and answers.append(response))
    return answers


def write_statuses(answers):
    """The status each write of the watched batches got, in the order sent."""
    return [result["status"] for response in answers for result in response.json()["results"]]


def test_offline_work_reaches_the_server_exactly_once(page, sign_in, screenshot, demo_app, demo_users):
    chunks, batches = watch_uploads(page), watch_batches(page)
    sign_in(demo_users["caseworker"])
    open_field_app(page)
    expect(page.locator("#case-list li").first).to_be_visible()
    screenshot("offline-caseload")

    page.context.set_offline(True)
    page.get_by_role("link", name="Klien baru").first.click()
    page.get_by_label("Nama lengkap").fill(NAME)
    page.get_by_label("Jenis kelamin").select_option("male")
    page.get_by_label("Tanggal lahir").fill("1980-03-14")
    page.get_by_role("button", name="Simpan").click()

    page.get_by_label("Cara kasus diterima").select_option("outreach")
    page.get_by_label("Tempat ditemukan").fill("Bawah jembatan Kali Malang")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("h1")).to_have_text("Kasus baru")

    page.get_by_label("Layanan", exact=True).select_option(index=1)
    page.get_by_role("button", name="Catat layanan").click()
    expect(page.locator("#delivery-list li")).to_have_count(1)
    page.get_by_label("Catatan", exact=True).fill("Ditemui pagi hari, bersedia dibawa ke rumah singgah.")
    page.get_by_role("button", name="Tambah catatan").click()
    expect(page.locator("#note-list li")).to_have_count(1)
    page.get_by_label("Foto", exact=True).set_input_files(
        {"name": "temuan.jpg", "mimeType": "image/jpeg", "buffer": photo()}
    )
    page.get_by_label("Keterangan foto").fill("Lokasi ditemukan")
    page.get_by_role("button", name="Simpan foto").click()
    expect(page.locator("#photo-list li")).to_have_count(1)
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "5")
    screenshot("offline-case-queued")

    # Without a connection the page reloads from the service worker and still shows the queued work.
    page.reload()
    expect(page.locator("#delivery-list li")).to_have_count(1)
    assert page.evaluate("navigator.onLine") is False
    page.get_by_role("link", name="Sinkronisasi").click()
    expect(page.locator("#outbox-list li")).to_have_count(5)
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "5")
    screenshot("offline-sync-waiting")

    page.context.set_offline(False)
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "0", timeout=20000)
    expect(page.locator("#outbox-list")).to_have_count(0)

    with demo_app.app_context():
        client = db.session.scalars(sa.select(Client).where(Client.full_name == NAME)).one()
        case = db.session.scalars(sa.select(Case).where(Case.client_id == client.id)).one()
        case_id = case.id
    assert count(demo_app, ServiceDelivery, ServiceDelivery.case_id == case_id) == 1
    assert count(demo_app, CaseNote, CaseNote.case_id == case_id) == 1
    assert count(demo_app, CaseAttachment, CaseAttachment.case_id == case_id) == 1
    # The photo went as a resumable upload; the five writes in one request.
    assert len(chunks) >= 1
    assert write_statuses(batches) == [201] * 5 and len(batches) == 1

    page.get_by_role("button", name="Sinkronkan sekarang").first.click()
    expect(page.locator("#field-notice")).to_have_text("Sinkronisasi selesai.")
    assert count(demo_app, Client, Client.full_name == NAME) == 1
    assert count(demo_app, Case, Case.id == case_id) == 1
    assert count(demo_app, ServiceDelivery, ServiceDelivery.case_id == case_id) == 1
    assert count(demo_app, CaseNote, CaseNote.case_id == case_id) == 1
    assert count(demo_app, CaseAttachment, CaseAttachment.case_id == case_id) == 1
    # The case now shows the server's number instead of "not sent".
    page.get_by_role("link", name="Beranda").click()
    expect(page.locator("#case-list li", has_text=NAME)).not_to_contain_text("Belum terkirim")
    screenshot("offline-synced")


def test_signing_out_wipes_the_device_store(page, sign_in, demo_users):
    sign_in(demo_users["caseworker"])
    open_field_app(page)
    assert page.evaluate("indexedDB.databases().then((all) => all.map((d) => d.name))") == ["casework-field"]
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/login")
    assert page.evaluate("indexedDB.databases().then((all) => all.map((d) => d.name))") == []
    assert page.evaluate("sessionStorage.getItem('casework.field.key')") is None


def test_a_closed_tab_asks_for_the_password_to_unlock(page, sign_in, demo_users):
    user = sign_in(demo_users["caseworker"])
    open_field_app(page)
    cases = page.locator("#case-list li").count()
    # A new tab has no sessionStorage: the store stays locked until the password is typed.
    tab = page.context.new_page()
    tab.goto("/field/")
    tab.get_by_label("Kata sandi").fill("salah-sekali")
    tab.get_by_role("button", name="Buka").click()
    expect(tab.get_by_text("Kata sandi tidak cocok")).to_be_visible()
    tab.get_by_label("Kata sandi").fill(user["password"])
    tab.get_by_role("button", name="Buka").click()
    expect(tab.locator("#case-list li")).to_have_count(cases)
    tab.close()


def test_a_device_not_synced_for_too_long_is_wiped(page, sign_in, demo_users):
    sign_in(demo_users["caseworker"])
    open_field_app(page)
    expect(page.locator("#case-list li").first).to_be_visible()
    # The last successful sync, eight days ago (the demo agency allows seven days offline).
    page.evaluate(
        """() => new Promise((resolve) => {
            const request = indexedDB.open("casework-field");
            request.onsuccess = () => {
                const write = request.result.transaction("meta", "readwrite");
                write.objectStore("meta").put(Date.now() - 8 * 24 * 3600 * 1000, "lastSync");
                write.oncomplete = () => { request.result.close(); resolve(); };
            };
        })"""
    )
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#field-notice")).to_have_text(
        "Data di perangkat dihapus karena terlalu lama tidak disinkronkan."
    )
    # Store and key are gone: the app asks to sign in again before it keeps anything new.
    expect(page.get_by_role("heading", name="Buka data lapangan")).to_be_visible()
    expect(page.get_by_text("keluar lalu masuk kembali")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('casework.field.key')") is None


def test_a_lapsed_session_keeps_the_queue_until_signed_in_again(page, sign_in, demo_app, demo_users):
    user = sign_in(demo_users["caseworker"])
    open_field_app(page)
    page.context.set_offline(True)
    page.locator("#case-list li").first.get_by_role("link").click()
    page.get_by_label("Catatan", exact=True).fill("Catatan sesudah sesi berakhir.")
    page.get_by_role("button", name="Tambah catatan").click()
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "1")

    # The session cookie is gone (expired, or signed out elsewhere): the sync asks to sign in, keeps the note.
    page.context.clear_cookies()
    page.context.set_offline(False)
    expect(page.locator("#field-notice")).to_contain_text("Sesi Anda berakhir", timeout=20000)
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "1")
    page.get_by_role("link", name="Masuk lagi").click()
    page.get_by_label("Nama pengguna").fill(user["username"])
    page.get_by_label("Kata sandi").fill(user["password"])
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url("**/field/")
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "0", timeout=20000)
    assert count(demo_app, CaseNote, CaseNote.body == "Catatan sesudah sesi berakhir.") == 1
