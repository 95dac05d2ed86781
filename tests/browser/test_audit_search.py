"""The audit search page in Chromium, on portrait tablets: reached from the admin tabs, filtered, fits the screen."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["tablet-768", "tablet"], indirect=True)
def test_an_admin_finds_sign_ins_on_a_tablet(page, sign_in, screenshot, demo_users, viewport):
    admin = sign_in(demo_users["admin"])
    page.goto("/admin/users")
    page.get_by_role("link", name="Jejak audit").click()
    page.wait_for_url("**/admin/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jejak audit")
    page.get_by_label("Tindakan (awalan)").fill("auth.")
    page.get_by_label("Nama pengguna").fill(admin["username"])
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_url("**action=auth.**")
    actions = page.locator("code[data-action]").all_inner_texts()
    assert actions and set(actions) <= {"auth.login", "auth.logout"}
    width, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= screen, f"the page is {width}px wide on a {screen}px screen"
    screenshot("audit-search")
