"""The disaster issue's done-when test, on a 768 px tablet: a supervisor opens a flood and an evacuation site,
registers a household of five with a toddler and an elderly person through the fast form (under a minute of test
time), ticks a day of meals and clothing for them off the site's distribution list (each tick saved at once), and
sees the situation page count them."""

import re
import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

VILLAGE = "32.75.07.1004"  # Cikiwul, Bantargebang
FAMILY = (  # name, sex, age, relation
    ("Slamet Riyadi", "male", "41", None),
    ("Sri Wahyuni", "female", "36", "spouse"),
    ("Dimas Riyadi", "male", "12", "child"),
    ("Putri Riyadi", "female", "2", "child"),
    ("Mbah Karto", "male", "74", "parent"),
)


def fits(page, width):
    """Nothing overflows the screen sideways."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def open_event_and_site(page):
    """Opens a flood today in Cikiwul and a mosque as its site; leaves the site's page open."""
    page.goto("/disasters/new")
    page.get_by_label("Jenis bencana").select_option(value="flood")
    page.get_by_label("Nama kejadian").fill("Banjir Cikiwul (uji)")
    page.get_by_label("Kelurahan/desa terdampak", exact=False).fill(VILLAGE)
    page.locator('[data-test="save-event"]').click()
    page.wait_for_url(re.compile(r"/disasters/[0-9a-f-]{36}$"))
    page.locator('[data-test="new-site"]').click()
    page.get_by_label("Nama tempat pengungsian").fill("Masjid Al-Ikhlas (uji)")
    page.get_by_label("Kelurahan/desa (kode atau nama)").fill(VILLAGE)
    page.get_by_label("Daya tampung (orang)").fill("80")
    page.locator('[data-test="save-site"]').click()
    page.wait_for_url(re.compile(r"/sites/[0-9a-f-]{36}$"))


def register_family(page):
    """Registers the family of five at the site through the fast form; returns the seconds it took."""
    started = time.monotonic()
    page.locator('[data-test="register-here"]').click()
    page.get_by_label("Kelurahan/desa asal (kode atau nama)").fill(VILLAGE)
    for _ in FAMILY[1:]:
        page.locator('[data-test="add-member"]').click()
    rows = page.locator("[data-member-row]")
    expect(rows).to_have_count(len(FAMILY))
    for index, (name, sex, age, relation) in enumerate(FAMILY):
        row = rows.nth(index)
        row.locator('[data-member-field="name"]').fill(name)
        row.locator('[data-member-field="sex"]').select_option(value=sex)
        row.locator('[data-member-field="age_years"]').fill(age)
        if relation:
            row.locator('[data-member-field="relation"]').select_option(value=relation)
    # The groups follow from the ages, ticked before saving.
    expect(rows.nth(3).locator('[data-flag="under_five"]')).to_be_checked()
    expect(rows.nth(4).locator('[data-flag="elderly"]')).to_be_checked()
    expect(rows.nth(0).locator('[data-flag="elderly"]')).not_to_be_checked()
    page.locator('[data-test="save-household"]').click()
    expect(page.get_by_text("Mbah Karto").first).to_be_visible()
    return time.monotonic() - started


def tick(page, locator):
    """Ticks a box on the distribution list and waits for its save."""
    with page.expect_response(lambda response: response.url.endswith("/ticks")) as saved:
        locator.check()
    assert saved.value.status in (200, 201), saved.value.text()


@pytest.mark.parametrize("viewport", ["tablet-768"], indirect=True)
def test_a_household_of_five_is_registered_fed_and_counted(page, sign_in, screenshot, demo_users):
    sign_in(demo_users["supervisor"])
    open_event_and_site(page)
    site_url = page.url
    assert register_family(page) < 60

    page.goto(site_url)
    page.locator('[data-test="distribution"]').click()
    people = page.locator("[data-person]")
    expect(people).to_have_count(5)
    fits(page, 768)
    for index in range(5):
        person = people.nth(index)
        # The third meal box means three meals: the script ticks the first two with it.
        tick(page, person.locator('input[data-kind="meals"][value="3"]'))
        expect(person.locator('input[data-kind="meals"]:checked')).to_have_count(3)
        tick(page, person.locator('input[data-kind="clothing"]'))
    expect(page.locator("[data-distribution-status]")).to_have_text("Tersimpan.")
    screenshot("disaster-distribution")

    # A reload shows what was saved, without the script's help.
    page.reload()
    expect(page.locator('input[data-kind="meals"]:checked')).to_have_count(15)
    expect(page.locator('input[data-kind="clothing"]:checked')).to_have_count(5)

    page.get_by_role("link", name=re.compile("Situasi")).click()
    expect(page.locator('[data-test="people"]')).to_have_text("5")
    expect(page.locator('[data-test="households"]')).to_have_text("1")
    expect(page.locator('[data-test="elderly"]')).to_have_text("1")
    expect(page.locator('[data-test="under-five"]')).to_have_text("1")
    expect(page.locator('[data-test="unfed-count"] strong')).to_have_text("0")
    expect(page.locator('[data-test="sites"] [data-test="fed"]')).to_have_text("5")
    expect(page.locator('[data-test="days"] [data-test="meals"]').first).to_have_text("5 / 15")
    expect(page.locator('[data-test="days"] td[data-kind="clothing"]').first).to_have_text("5")
    fits(page, 768)
    screenshot("disaster-situation")
