"""A conflict (issue 9): the same case is corrected offline on the tablet and online by a supervisor. At
sync the tablet's change is not overwritten nor dropped: the status page shows both versions side by side,
the caseworker chooses field by field, and the server ends with the chosen values."""

import uuid

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from casework.auth.models import User
from casework.cases import intake
from casework.cases.models import Case
from casework.extensions import db
from tests.browser.test_offline_field import open_field_app, watch_batches, write_statuses

pytestmark = pytest.mark.browser

TABLET = {"intake_place": "Pasar Baru, depan los ikan", "circumstances": "Tidur di emperan toko, tanpa alas."}
SERVER = {"intake_place": "Terminal Bekasi", "circumstances": "Keterangan dari petugas terminal."}


def supervisor_corrects(demo_app, username, case_uuid):
    """The supervisor corrects the case's intake online, through the service layer."""
    with demo_app.app_context():
        supervisor = db.session.scalars(sa.select(User).where(User.username == username)).one()
        case = db.session.scalars(sa.select(Case).where(Case.uuid == case_uuid)).one()
        intake.update_intake(case, supervisor, case.version, SERVER)
        db.session.commit()


# The smallest common portrait tablet: the side-by-side table must still fit.
@pytest.mark.parametrize("viewport", ["tablet-768"], indirect=True)
def test_a_conflict_is_resolved_field_by_field(page, sign_in, screenshot, demo_app, demo_users):
    batches = watch_batches(page)
    sign_in(demo_users["caseworker"])
    open_field_app(page)
    case_uuid = uuid.UUID(page.locator("#case-list li").first.get_attribute("data-case"))

    page.context.set_offline(True)
    page.locator("#case-list li").first.get_by_role("link").click()
    page.get_by_role("link", name="Ubah data penerimaan").click()
    page.get_by_label("Tempat ditemukan").fill(TABLET["intake_place"])
    page.get_by_label("Keadaan saat ditemukan").fill(TABLET["circumstances"])
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("dl.facts")).to_contain_text(TABLET["intake_place"])
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "1")

    supervisor_corrects(demo_app, demo_users["supervisor"]["username"], case_uuid)

    page.context.set_offline(False)
    page.get_by_role("link", name="Sinkronisasi").click()
    held = page.locator("#outbox-list li[data-state=conflict]")
    expect(held).to_have_count(1, timeout=20000)
    for field, mine in TABLET.items():
        row = held.locator(f"tr[data-field={field}]")
        expect(row.locator("td").nth(0)).to_have_text(mine)
        expect(row.locator("td").nth(1)).to_have_text(SERVER[field])
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    screenshot("offline-conflict")

    # The supervisor's place, the caseworker's description of the circumstances.
    held.locator("tr[data-field=intake_place] input[value=server]").check()
    held.get_by_role("button", name="Kirim pilihan").click()
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "0", timeout=20000)

    with demo_app.app_context():
        case = db.session.scalars(sa.select(Case).where(Case.uuid == case_uuid)).one()
        assert (case.intake_place, case.circumstances) == (SERVER["intake_place"], TABLET["circumstances"])
    page.get_by_role("link", name="Beranda").click()
    page.locator(f"#case-list li[data-case='{case_uuid}'] a").click()
    expect(page.locator("dl.facts")).to_contain_text(TABLET["circumstances"])
    expect(page.locator("dl.facts")).to_contain_text(SERVER["intake_place"])

    # The stale update was refused once, and the chosen result then saved.
    assert write_statuses(batches) == [409, 200]
