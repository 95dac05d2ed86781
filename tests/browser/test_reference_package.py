"""The SPM package editor on a portrait tablet: large buttons, reorder, remove after confirming."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_layout import assert_fits_the_screen

pytestmark = pytest.mark.browser


def test_admin_reorders_and_removes_package_items_on_a_tablet(page, sign_in, screenshot, demo_users):
    sign_in(demo_users["admin"])
    page.goto("/reference/spm-service-types")
    assert_fits_the_screen(page)
    screenshot("spm-service-types")
    homeless = page.locator(
        "section.card", has=page.get_by_role("heading", name=re.compile(r"^4\. .* di dalam panti$"))
    )
    homeless.get_by_role("link", name="Ubah paket").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Paket layanan: "))
    assert_fits_the_screen(page)
    heights = page.locator(".item-list button").evaluate_all("buttons => buttons.map(b => b.offsetHeight)")
    assert heights and min(heights) >= 48, heights
    screenshot("spm-package")

    rows = page.locator(".item-list > li .item-name")
    names = [re.sub(r"^\d+\. ", "", text) for text in rows.all_inner_texts()]
    expect(page.get_by_role("button", name=f"Naik {names[0]}")).to_be_disabled()
    page.get_by_role("button", name=f"Turun {names[0]}").click()
    expect(page.locator(".flash")).to_contain_text(f"{names[0]} kini di urutan 2.")
    expect(rows.nth(0)).to_have_text(f"1. {names[1]}")
    expect(rows.nth(1)).to_have_text(f"2. {names[0]}")

    # Dismissing the confirmation removes nothing; accepting it removes the service.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name=f"Hapus {names[-1]}").click()
    expect(rows).to_have_count(len(names))
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"Hapus {names[-1]}").click()
    expect(page.locator(".flash")).to_contain_text(f"{names[-1]} dihapus dari paket.")
    expect(rows).to_have_count(len(names) - 1)
