"""The account page: an API token is shown once, and revoking asks first."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_admin_creates_a_token_sees_it_once_and_revokes_it(page, sign_in, screenshot, demo_users):
    sign_in(demo_users["admin"])
    page.locator(".who").click()
    page.wait_for_url("**/account")
    expect(page.get_by_role("heading", level=1)).to_have_text("Akun saya")

    page.get_by_label("Nama token").fill("Tablet Kecamatan Bekasi Timur")
    page.get_by_role("button", name="Buat token").click()
    token = page.get_by_test_id("new-token")
    expect(token).to_be_visible()
    secret = token.inner_text()
    assert len(secret) >= 32 and " " not in secret
    row = page.get_by_role("row", name="Tablet Kecamatan Bekasi Timur")
    expect(row.locator(".badge")).to_have_text("Aktif")
    screenshot("account-new-token")

    page.reload()
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    assert secret not in page.content()

    # data-confirm: dismissing the question keeps the token, accepting revokes it.
    page.once("dialog", lambda dialog: dialog.dismiss())
    row.get_by_role("button", name="Cabut").click()
    expect(row.locator(".badge")).to_have_text("Aktif")
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Cabut").click()
    expect(page.locator(".flash-success")).to_have_text("Token dicabut.")
    expect(row.locator(".badge")).to_have_text("Dicabut")
