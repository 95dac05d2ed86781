"""A possible duplicate found only at sync (issue 9): the tablet registers offline a person the agency
already knows but who is not on the device. The server's check answers with the candidate; the caseworker
says "same person", and the case opened offline goes to the existing client: no second registration."""

import uuid

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from casework.auth.models import User
from casework.cases.models import Case
from casework.clients import services
from casework.clients.models import Client
from casework.extensions import db
from tests.browser.test_offline_field import open_field_app, watch_batches, write_statuses

pytestmark = pytest.mark.browser

PERSON = {"full_name": "Wartini Sukmawati", "sex": "female", "birth_date": "1975-06-01"}


def registered_elsewhere(demo_app, username):
    """The person, registered at the office by ``username`` (no case: not on any caseworker's device)."""
    with demo_app.app_context():
        admin = db.session.scalars(sa.select(User).where(User.username == username)).one()
        client, _created = services.register_client(admin.agency, admin, dict(PERSON), uuid=str(uuid.uuid4()))
        db.session.commit()
        return client.uuid


def test_a_duplicate_found_at_sync_is_linked_to_the_existing_client(page, sign_in, screenshot, demo_app, demo_users):
    batches = watch_batches(page)
    existing = registered_elsewhere(demo_app, demo_users["admin"]["username"])
    sign_in(demo_users["caseworker"])
    open_field_app(page)

    page.context.set_offline(True)
    page.get_by_role("link", name="Klien baru").first.click()
    page.get_by_label("Nama lengkap").fill(PERSON["full_name"])
    page.get_by_label("Jenis kelamin").select_option(PERSON["sex"])
    page.get_by_label("Tanggal lahir").fill(PERSON["birth_date"])
    page.get_by_role("button", name="Simpan").click()
    page.get_by_label("Cara kasus diterima").select_option("walk_in")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "2")

    page.context.set_offline(False)
    page.get_by_role("link", name="Sinkronisasi").click()
    held = page.locator("#outbox-list li[data-state=duplicate]")
    expect(held).to_have_count(1, timeout=20000)
    expect(held).to_contain_text(PERSON["full_name"])
    # The case waits behind the registration it names.
    expect(page.locator("#outbox-list li[data-state=waiting]")).to_have_count(1)
    screenshot("offline-duplicate")

    held.get_by_role("button", name="Orang yang sama").first.click()
    expect(page.locator("#pending-count")).to_have_attribute("data-count", "0", timeout=20000)

    with demo_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(Client.full_name == PERSON["full_name"])) == 1
        client = db.session.scalars(sa.select(Client).where(Client.uuid == existing)).one()
        assert db.session.scalar(sa.select(sa.func.count()).where(Case.client_id == client.id)) == 1

    # The registration was refused once as a likely duplicate; the case then went to the existing client.
    assert write_statuses(batches) == [409, 201]
