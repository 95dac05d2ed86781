"""Layout at every device size: nothing wider than the screen, local fonts, the error page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SIZES = ["tablet", "landscape", "phone"]


def assert_fits_the_screen(page):
    """The page body never scrolls sideways; wide content scrolls inside its own box."""
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{page.url} is {width}px wide on a {viewport}px screen"


@pytest.mark.parametrize("viewport", SIZES, indirect=True)
def test_pages_fit_the_screen(page, sign_in, screenshot, demo_users, viewport):
    page.goto("/login")
    assert_fits_the_screen(page)
    screenshot("login")

    # The volunteer has the longest unit name, the admin the most menu entries.
    for role in ("volunteer", "admin"):
        sign_in(demo_users[role])
        assert_fits_the_screen(page)
        screenshot(f"home-{role}")
        page.goto("/account")
        assert_fits_the_screen(page)
        screenshot(f"account-{role}")
        page.get_by_role("button", name="Keluar").click()
        page.wait_for_url("**/login")


@pytest.mark.parametrize("viewport", SIZES, indirect=True)
def test_error_page_fits_the_screen(page, page_log, sign_in, screenshot, demo_users, viewport):
    sign_in(demo_users["supervisor"])
    response = page.goto("/tidak-ada")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman atau data yang dicari tidak ditemukan.")
    expect(page.get_by_role("link", name="Kembali ke beranda")).to_be_visible()
    assert_fits_the_screen(page)
    screenshot("error-404")
    # Chromium logs the page's own 404 status; that one is expected.
    page_log.errors.remove("Failed to load resource: the server responded with a status of 404 (NOT FOUND)")


def test_self_hosted_font_and_script_are_in_use(page):
    page.goto("/login")
    loaded = page.evaluate(
        "document.fonts.ready.then(() => [...document.fonts].filter(f => f.status === 'loaded')"
        ".map(f => [f.family, f.weight]))"
    )
    # Body text, labels and headings; the latin-ext files wait until a page needs them.
    assert sorted(loaded) == [["Noto Sans", "400"], ["Noto Sans", "600"], ["Noto Sans", "700"]]
    # app.js ran: it marks <html>, and the language switch's submit button hides.
    expect(page.locator("html")).to_have_class("js")
    expect(page.get_by_role("button", name="Ganti")).to_be_hidden()


def test_skip_link_is_the_first_stop_and_becomes_visible(page, sign_in, demo_users):
    sign_in(demo_users["caseworker"])
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Lewati ke isi")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/home#main$"))
