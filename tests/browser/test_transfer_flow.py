"""A transfer to another agency at 768 px: proposed, approved on the desk, accepted by the receiver, handed over."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from casework.auth.models import Role, User
from casework.cases.intake import open_case
from casework.clients.services import register_client
from casework.extensions import db
from casework.reference.models import GovLevel
from tests.factories import TEST_PASSWORD, Factories

pytestmark = pytest.mark.browser

WIDTH = 768


def fits(page):
    """Nothing overflows the portrait tablet sideways."""
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH


@pytest.fixture(scope="module")
def receiver(demo_app, demo_users):
    """The login of a supervisor of a receiving agency, Dinas Sosial Kota Bandung."""
    with demo_app.app_context():
        make = Factories()
        office = make.unit(
            agency=make.agency(name="Dinas Sosial Kota Bandung", level=GovLevel.CITY, region_code="32.73"),
            code="REHSOS-BDG",
            name="Bidang Rehsos Bandung",
        )
        receiving = make.user(role=Role.SUPERVISOR, unit=office, full_name="Asep Sunandar")
        db.session.commit()
        return {"username": receiving.username, "password": TEST_PASSWORD}


@pytest.fixture
def transfer_setup(demo_app, demo_users, receiver):
    """A new case held by the demo caseworker, and the receiving supervisor's login."""
    with demo_app.app_context():
        holder = db.session.scalar(sa.select(User).where(User.username == demo_users["caseworker"]["username"]))
        client, _created = register_client(
            holder.agency, holder, {"full_name": "Yayan Sopian", "birth_year": 1985}, confirm_new=True
        )
        data = {"intake_channel": "outreach", "intake_date": "2026-11-02"}
        case, _created = open_case(holder.agency, holder, client, data)
        db.session.commit()
        return {"case": str(case.uuid), "number": case.number, "receiver": receiver}


def sign_out(page):
    """Signs the current user out."""
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url("**/login")


@pytest.mark.parametrize("viewport", ["tablet-768"], indirect=True)
def test_a_transfer_to_another_agency_hands_the_case_over(page, sign_in, screenshot, demo_users, transfer_setup):
    number = transfer_setup["number"]
    sign_in(demo_users["caseworker"])
    page.goto(f"/cases/{transfer_setup['case']}")
    page.locator("#transfers").get_by_role("link", name="Usulkan pindah ke dinas lain").click()
    page.get_by_label("Dinas sosial tujuan").select_option(label="Dinas Sosial Kota Bandung")
    page.get_by_label("Alasan pemindahan").fill("Klien warga Kota Bandung; keluarga ada di sana.")
    page.get_by_label("Yang diserahkan (dokumen, barang, laporan)").fill("Laporan asesmen, fotokopi KK")
    fits(page)
    screenshot("transfer-new")
    page.get_by_role("button", name="Usulkan pemindahan").click()
    expect(page.get_by_text("Usulan pemindahan dikirim ke supervisor.")).to_be_visible()
    expect(page.locator("#transfers")).to_contain_text("menunggu persetujuan supervisor")
    expect(page.locator("#timeline")).to_contain_text("Pemindahan ke dinas lain diusulkan")
    sign_out(page)

    sign_in(demo_users["supervisor"])
    page.goto("/desk/")
    item = page.locator("#desk-transfers li", has_text=number)
    expect(item).to_contain_text("Dinas Sosial Kota Bandung")
    fits(page)
    screenshot("transfer-desk")
    item.get_by_role("button", name="Setujui pemindahan").click()
    expect(page.get_by_text("Pemindahan disetujui; menunggu jawaban dinas penerima.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/desk/$"))
    sign_out(page)

    sign_in(transfer_setup["receiver"])
    page.goto("/desk/")
    page.locator("#desk-transfers li", has_text=number).get_by_role("link", name="Periksa dan jawab").click()
    accept = page.locator("#form-accept")
    accept.get_by_label("Pekerja sosial").select_option(label="Asep Sunandar")
    fits(page)
    screenshot("transfer-accept")
    accept.get_by_role("button", name="Terima pemindahan").click()
    expect(page.get_by_text("Pemindahan diterima; kasus kini ditangani dinas ini.")).to_be_visible()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Kasus KS-")
    expect(heading).not_to_contain_text(number)
    expect(page.locator("#timeline")).to_contain_text("Kasus diterima dinas lain (diserahkan)")
    expect(page.locator("#timeline")).to_contain_text("Kasus dibuka")
    fits(page)
    screenshot("transfer-received-case")
    sign_out(page)

    sign_in(demo_users["caseworker"])
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Pemindahan").click()
    row = page.locator("table tbody tr", has_text=number)
    expect(row).to_contain_text("diterima dan diserahkan")
    row.get_by_role("link", name=number).click()
    expect(page.locator("[data-read-only]")).to_contain_text("tidak dapat diubah lagi")
    expect(page.locator("#snapshot")).to_contain_text("Yayan Sopian")
    expect(page.get_by_role("link", name="Buka kasus")).to_have_count(0)
    fits(page)
    screenshot("transfer-sender-record")


@pytest.mark.parametrize("viewport", ["tablet-768"], indirect=True)
def test_a_return_to_origin_is_planned_departs_and_arrives(page, sign_in, screenshot, demo_users, transfer_setup):
    sign_in(demo_users["caseworker"])
    page.goto(f"/cases/{transfer_setup['case']}")
    page.locator("#returns").get_by_role("link", name="Rencanakan pemulangan").click()
    page.get_by_label("Berangkat dari (tempat sekarang atau pelabuhan/bandara kedatangan)").fill("Terminal Bekasi")
    village = page.get_by_role("combobox", name="Desa/kelurahan asal")
    village.press_sequentially("sukarasa")
    page.get_by_role("option", name=re.compile("^Sukarasa")).first.click()
    page.get_by_label("Tanggal berangkat").fill("2026-11-20")
    page.get_by_label("Moda perjalanan").select_option(label="Bus")
    page.get_by_label("Petugas pendamping").select_option(label=demo_users["caseworker"]["full_name"])
    page.get_by_label("Diserahkan kepada").select_option(label="Diserahkan ke keluarga")
    page.get_by_label("Nama anggota keluarga").fill("Ibu Sumarni")
    page.get_by_label("Hubungan dengan klien").fill("ibu kandung")
    fits(page)
    screenshot("return-new")
    page.get_by_role("button", name="Simpan rencana pemulangan").click()
    expect(page.get_by_text("Rencana pemulangan disimpan.")).to_be_visible()
    plan = page.locator("#returns article.return-plan")
    expect(plan).to_contain_text("direncanakan")

    plan.get_by_label("Tanggal berangkat").fill("2026-11-20")
    plan.get_by_role("button", name="Catat keberangkatan").click()
    expect(page.get_by_text("Keberangkatan dicatat.")).to_be_visible()
    expect(plan).to_contain_text("dalam perjalanan")
    plan.get_by_label("Tanggal tiba").fill("2026-11-21")
    plan.get_by_label("Diterima oleh (nama dan hubungan / jabatan)").fill("Ibu Sumarni (ibu kandung)")
    plan.get_by_role("button", name="Konfirmasi tiba").click()
    expect(page.get_by_text("Kedatangan di daerah asal dikonfirmasi.")).to_be_visible()
    expect(plan).to_contain_text("sudah tiba")
    expect(page.locator("[data-returned]")).to_contain_text("Dipulangkan ke daerah asal")
    expect(page.locator("#timeline")).to_contain_text("Klien tiba di daerah asal")
    fits(page)
    page.locator("#returns").screenshot(
        path=str(screenshot("return-arrived").with_name("return-section-tablet-768.png"))
    )
