"""The agency's own settings page."""

import pytest

from casework.extensions import db
from casework.reference.models import GovLevel
from tests.admin.helpers import audit_rows, page_text


def agency_form(agency, **overrides):
    """The settings form as the page would submit it for ``agency``, with ``overrides``."""
    data = {
        "name": agency.name,
        "level": agency.level.value,
        "region_code": agency.region_code,
        "address": agency.address or "",
        "phone": agency.phone or "",
    }
    data.update(overrides)
    return data


def test_the_page_shows_the_agency(client, login, admin, agency):
    login(admin)
    page = page_text(client.get("/admin/agency"))
    assert f'value="{agency.name}"' in page
    assert "Kota Bekasi" in page
    assert 'data-level="2"' in page and "data-region-picker" in page


def test_change_name_address_and_phone(client, login, admin, agency):
    login(admin)
    data = agency_form(agency, name="Dinas Sosial Kota Bekasi", address="Jl. Ir. H. Juanda No. 100", phone="021-88")
    response = client.post("/admin/agency", data=data)
    assert response.status_code == 302
    db.session.refresh(agency)
    assert (agency.name, agency.address, agency.phone) == (
        "Dinas Sosial Kota Bekasi",
        "Jl. Ir. H. Juanda No. 100",
        "021-88",
    )
    [row] = audit_rows("agency.updated")
    assert row.details["fields"] == {
        "name": "Dinas Sosial Kota Bekasi",
        "address": "Jl. Ir. H. Juanda No. 100",
        "phone": "021-88",
    }
    assert "Data dinas disimpan." in page_text(client.get("/admin/agency"))


def test_become_a_province_agency(client, login, admin, agency):
    login(admin)
    assert client.post("/admin/agency", data=agency_form(agency, level="province", region_code="31")).status_code == 302
    db.session.refresh(agency)
    assert (agency.level, agency.region_code) == (GovLevel.PROVINCE, "31")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Wajib diisi."),
        ({"region_code": "32.75.01"}, "Kode wilayah 32.75.01 harus kabupaten/kota."),
        ({"level": "province"}, "Kode wilayah 32.75 harus provinsi."),
        ({"region_code": "99.99"}, "Kode wilayah 99.99 tidak dikenal."),
        ({"level": "desa"}, "Pilih tingkat dinas."),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(client, login, admin, agency, overrides, message):
    name = agency.name
    login(admin)
    response = client.post("/admin/agency", data=agency_form(agency, **overrides))
    assert response.status_code == 422
    assert message in page_text(response)
    db.session.refresh(agency)
    assert (agency.name, agency.region_code, agency.level) == (name, "32.75", GovLevel.CITY)
    assert audit_rows("agency.updated") == []


def test_each_admin_edits_only_their_own_agency(client, make, login, admin, agency):
    other = make.agency(name="Dinas Sosial Lain")
    login(admin)
    client.post("/admin/agency", data=agency_form(agency, name="Nama Baru"))
    db.session.refresh(other)
    assert other.name == "Dinas Sosial Lain"
