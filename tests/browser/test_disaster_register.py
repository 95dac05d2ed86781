"""Fast registration of a household on a 768 px tablet: rows added in one tap, groups ticked from the ages,
a refusal naming the member with nothing saved, then the household of five saved in one go."""

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from casework.auth.models import User
from casework.disasters.events import create_event
from casework.disasters.models import AffectedPerson
from casework.disasters.sites import add_site
from casework.extensions import db

pytestmark = pytest.mark.browser

VILLAGE = "32.75.07.1004"  # Cikiwul, Bantargebang
TODDLER_BORN = date.today() - timedelta(days=2 * 365 + 40)
FAMILY = (  # name, sex, age, birth date, relation
    ("Hendra Gunawan", "male", "44", "", None),
    ("Lestari", "female", "39", "", "spouse"),
    ("Bagus", "male", "15", "", "child"),
    ("Nur Aini", "female", "", TODDLER_BORN.isoformat(), "child"),
    ("Mbah Sumirah", "female", "131", "", "parent"),
)


@pytest.fixture
def event_and_site(demo_app, demo_users):
    """A flood of the demo agency with an open site, committed: (event uuid, site uuid)."""
    with demo_app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == demo_users["supervisor"]["username"]))
        event, _created = create_event(
            user.agency,
            user,
            {"kind": "flood", "name": "Banjir uji pendaftaran", "occurred_on": date.today(), "villages": [VILLAGE]},
        )
        site, _created = add_site(
            event, user, {"name": "SDN Cikiwul 02", "region_code": VILLAGE, "capacity": "60", "opened_on": date.today()}
        )
        db.session.commit()
        return str(event.uuid), str(site.uuid)


def _people_named(demo_app, name):
    """How many affected people are called ``name``."""
    with demo_app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).where(AffectedPerson.name == name))


@pytest.mark.parametrize("viewport", ["tablet-768"], indirect=True)
def test_a_household_of_five_is_registered_on_a_tablet(
    page, page_log, sign_in, screenshot, demo_users, demo_app, event_and_site
):
    event_uuid, site_uuid = event_and_site
    sign_in(demo_users["caseworker"])
    page.goto(f"/disasters/{event_uuid}/register?site={site_uuid}")
    expect(page.locator('[data-test="site"]')).to_have_value(site_uuid)
    page.get_by_label("Kelurahan/desa asal (kode atau nama)").fill(VILLAGE)
    add = page.locator('[data-test="add-member"]')
    for _ in FAMILY[1:]:
        add.click()
    rows = page.locator("[data-member-row]")
    expect(rows).to_have_count(len(FAMILY))
    # The new row takes the cursor, and the rows are numbered as the messages will name them.
    expect(rows.nth(4).locator('[data-member-field="name"]')).to_be_focused()
    expect(rows.nth(4).locator("legend")).to_have_text("Anggota ke-5")
    for index, (name, sex, age, born, relation) in enumerate(FAMILY):
        row = rows.nth(index)
        row.locator('[data-member-field="name"]').fill(name)
        row.locator('[data-member-field="sex"]').select_option(value=sex)
        if age:
            row.locator('[data-member-field="age_years"]').fill(age)
        if born:
            row.locator('[data-member-field="birth_date"]').fill(born)
        if relation:
            row.locator('[data-member-field="relation"]').select_option(value=relation)
    expect(rows.nth(3).locator('[data-flag="under_five"]')).to_be_checked()
    expect(rows.nth(1).locator('[data-flag="under_five"]')).not_to_be_checked()
    # Lestari is nursing: a box ticked by hand stays ticked.
    rows.nth(1).locator('[data-member-field="pregnant_or_nursing"]').check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 768

    page.locator('[data-test="save-household"]').click()
    problems = page.locator("[data-register-problems]")
    expect(problems).to_contain_text("Anggota ke-5: umur lebih dari 130 tahun.")
    page_log.errors.remove("Failed to load resource: the server responded with a status of 422 (UNPROCESSABLE ENTITY)")
    assert _people_named(demo_app, "Hendra Gunawan") == 0
    rows = page.locator("[data-member-row]")
    expect(rows).to_have_count(len(FAMILY))
    expect(rows.nth(4).locator('[data-member-field="name"]')).to_have_value("Mbah Sumirah")
    rows.nth(4).locator('[data-member-field="age_years"]').fill("81")
    expect(rows.nth(4).locator('[data-flag="elderly"]')).to_be_checked()
    screenshot("disaster-register-filled")

    page.locator('[data-test="save-household"]').click()
    page.wait_for_url(re.compile(r"/disasters/households/[0-9a-f-]{36}$"))
    members = page.locator("[data-members] tbody tr")
    expect(members).to_have_count(len(FAMILY))
    expect(members.nth(3).locator('[data-flag="under_five"]')).to_be_visible()
    expect(members.nth(4).locator('[data-flag="elderly"]')).to_be_visible()
    expect(members.nth(1).locator('[data-flag="pregnant_or_nursing"]')).to_be_visible()
    expect(members.nth(0).locator("[data-flag]")).to_have_count(0)
    assert _people_named(demo_app, "Hendra Gunawan") == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    screenshot("disaster-household")
    page.goto(f"/disasters/{event_uuid}/sites/{site_uuid}")
    expect(page.locator("[data-now]")).to_contain_text("5 dari daya tampung 60 orang")
    screenshot("disaster-site")
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    page.goto(f"/disasters/{event_uuid}")
    expect(page.locator("[data-registered]")).to_contain_text("5 orang")
    screenshot("disaster-event")


@pytest.mark.parametrize("viewport", ["tablet-768"], indirect=True)
def test_a_row_added_by_mistake_is_removed(page, sign_in, demo_users, demo_app, event_and_site):
    event_uuid, site_uuid = event_and_site
    sign_in(demo_users["caseworker"])
    page.goto(f"/disasters/{event_uuid}/register?site={site_uuid}")
    page.get_by_label("Kelurahan/desa asal (kode atau nama)").fill(VILLAGE)
    page.locator('[data-test="add-member"]').click()
    page.locator('[data-test="add-member"]').click()
    rows = page.locator("[data-member-row]")
    rows.nth(0).locator('[data-member-field="name"]').fill("Yanto Sugiarto")
    rows.nth(0).locator('[data-member-field="age_years"]').fill("50")
    rows.nth(1).locator("[data-remove-member]").click()
    expect(rows).to_have_count(2)
    expect(rows.nth(1).locator("legend")).to_have_text("Anggota ke-2")
    rows.nth(1).locator('[data-member-field="name"]').fill("Dewi")
    rows.nth(1).locator('[data-member-field="age_years"]').fill("4")
    page.locator('[data-test="save-household"]').click()
    page.wait_for_url(re.compile(r"/disasters/households/[0-9a-f-]{36}$"))
    expect(page.locator("[data-members] tbody tr")).to_have_count(2)
