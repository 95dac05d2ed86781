"""The region type-ahead: suggestions from /api/v1/regions, chosen by keyboard or by tap."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_picker_fills_a_list_of_codes_by_keyboard_and_by_tap(page, sign_in, screenshot, demo_users):
    sign_in(demo_users["admin"])
    page.goto("/admin/users/new")
    codes = page.get_by_label("Kode kecamatan atau kelurahan/desa")
    listbox = page.get_by_role("listbox")
    options = listbox.get_by_role("option")

    codes.press_sequentially("bekasi")
    expect(listbox).to_be_visible()
    # data-level=3 and data-within=32.75 (the agency): districts of Kota Bekasi only.
    expect(options.first).to_contain_text("Bekasi")
    for text in options.all_inner_texts():
        assert re.search(r"kecamatan · 32\.75\.\d\d · .*Kota Bekasi, Jawa Barat", text), text
    screenshot("region-picker")

    codes.press("ArrowDown")
    expect(options.first).to_have_attribute("aria-selected", "true")
    expect(codes).to_have_attribute("aria-activedescendant", options.first.get_attribute("id"))
    codes.press("Enter")
    expect(listbox).to_be_hidden()
    first = codes.input_value()
    assert re.fullmatch(r"32\.75\.\d\d\n", first), first
    expect(page.locator(".picker-path")).to_have_text(re.compile(r"^32\.75\.\d\d — .*, Kota Bekasi, Jawa Barat$"))

    codes.press_sequentially("rawalu")
    listbox.get_by_role("option", name=re.compile("^Rawalumbu")).click()
    assert codes.input_value() == first + "32.75.05\n"
    expect(codes).to_be_focused()

    codes.press_sequentially("jati")
    expect(listbox).to_be_visible()
    codes.press("Escape")
    expect(listbox).to_be_hidden()
    assert codes.input_value() == first + "32.75.05\njati"


def test_picker_on_a_one_line_field_is_a_combobox_and_says_when_nothing_matches(page, sign_in, demo_users):
    sign_in(demo_users["admin"])
    page.goto("/admin/units/new")
    region = page.get_by_role("combobox", name="Wilayah")
    expect(region).to_have_attribute("aria-expanded", "false")

    region.press_sequentially("zzqx")
    expect(page.locator(".picker-status")).to_have_text("Tidak ada wilayah yang cocok.")
    expect(page.get_by_role("listbox")).to_be_hidden()

    region.fill("")
    region.press_sequentially("bantarg")
    expect(region).to_have_attribute("aria-expanded", "true")
    page.get_by_role("option", name=re.compile("^Bantargebang")).first.click()
    expect(region).to_have_value(re.compile(r"^32\.75\.07"))
    expect(region).to_have_attribute("aria-expanded", "false")
    expect(page.locator(".picker-path")).to_contain_text("Bantargebang, Kota Bekasi, Jawa Barat")
