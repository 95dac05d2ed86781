"""The sign-in page: a failed attempt and the language switch."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_wrong_password_says_so_next_to_the_field(page, page_log, screenshot, demo_users):
    page.goto("/login")
    page.get_by_label("Nama pengguna").fill(demo_users["viewer"]["username"])
    page.get_by_label("Kata sandi").fill("bukan-kata-sandinya")
    page.get_by_role("button", name="Masuk").click()

    expect(page.locator(".field.has-error .error")).to_have_text("Nama pengguna atau kata sandi salah.")
    expect(page.get_by_label("Kata sandi")).to_have_attribute("aria-invalid", "true")
    screenshot("login-error")
    # Chromium logs the page's own 401 status; that one is expected.
    page_log.errors.remove("Failed to load resource: the server responded with a status of 401 (UNAUTHORIZED)")


def test_language_switch_submits_on_choice_and_carries_into_the_session(page, demo_users):
    # Located by id, not by their texts: those are what the switch changes.
    language = page.locator("#lang")
    page.goto("/login")
    # Choosing is enough: app.js submits the form (its button is hidden).
    language.select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(language).to_have_value("en")
    expect(page.locator(".login-card button[type=submit]")).to_have_text("Sign in")

    # The choice made before signing in carries into the session.
    page.locator("#username").fill(demo_users["data_officer"]["username"])
    page.locator("#password").fill(demo_users["data_officer"]["password"])
    page.locator(".login-card button[type=submit]").click()
    page.wait_for_url("**/home")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(language).to_have_value("en")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    language.select_option("id")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page).to_have_url(re.compile(r"/home$"))
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
