"""Units and partner organisations on the administration pages: list, create, edit, deactivate."""

import pytest
import sqlalchemy as sa

from casework.admin import services
from casework.auth.models import Role
from casework.core.errors import Conflict, ValidationFailed
from casework.extensions import db
from casework.org.models import PartnerType, Unit, UnitKind
from tests.admin.helpers import audit_rows, page_text, table_body


def unit_form(**overrides):
    """A valid new-division submission, with ``overrides``."""
    data = {"code": "REHSOS", "name": "Bidang Rehabilitasi Sosial", "kind": "division", "partner_type": ""}
    data.update(overrides)
    return data


def edit_form(unit, **overrides):
    """The edit form as the page would submit it for ``unit``, with ``overrides``."""
    data = {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind.value,
        "partner_type": unit.partner_type.value if unit.partner_type else "",
        "capacity": unit.capacity or "",
        "region_code": unit.region_code or "",
        "parent_id": unit.parent_id or "",
        "address": unit.address or "",
        "phone": unit.phone or "",
        "version": unit.version,
    }
    data.update(overrides)
    return data


def unit_count():
    """How many units exist."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Unit))


def test_create_a_division(client, login, admin, agency):
    login(admin)
    response = client.post("/admin/units/new", data=unit_form(region_code="3275", phone=" 021-8841 "))
    assert response.status_code == 302
    unit = db.session.scalar(sa.select(Unit).where(Unit.code == "REHSOS"))
    assert (unit.agency_id, unit.kind, unit.phone) == (agency.id, UnitKind.DIVISION, "021-8841")
    # An undotted code is stored in its dotted form.
    assert unit.region_code == "32.75"
    assert response.headers["Location"] == f"/admin/units/{unit.id}"
    assert "Unit Bidang Rehabilitasi Sosial ditambahkan." in page_text(client.get(response.headers["Location"]))
    [row] = audit_rows("unit.created")
    assert (row.actor_id, row.object_id, row.details["fields"]["code"]) == (admin.id, str(unit.id), "REHSOS")


def test_create_a_shelter_with_capacity_and_a_partner_with_type(client, login, admin):
    login(admin)
    client.post("/admin/units/new", data=unit_form(code="SH1", name="Shelter Bekasi", kind="shelter", capacity="24"))
    client.post(
        "/admin/units/new",
        data=unit_form(code="RSJ", name="RSJ Provinsi", kind="partner", partner_type="psychiatric_hospital"),
    )
    shelter = db.session.scalar(sa.select(Unit).where(Unit.code == "SH1"))
    partner = db.session.scalar(sa.select(Unit).where(Unit.code == "RSJ"))
    assert (shelter.capacity, shelter.partner_type) == (24, None)
    assert (partner.partner_type, partner.capacity) == (PartnerType.PSYCHIATRIC_HOSPITAL, None)


def test_values_for_other_kinds_are_dropped_not_refused(client, login, admin):
    login(admin)
    client.post("/admin/units/new", data=unit_form(capacity="10", partner_type="hospital"))
    unit = db.session.scalar(sa.select(Unit).where(Unit.code == "REHSOS"))
    assert (unit.capacity, unit.partner_type) == (None, None)


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"kind": "shelter"}, "wajib punya kapasitas lebih dari 0."),
        ({"kind": "panti", "capacity": "0"}, "wajib punya kapasitas lebih dari 0."),
        ({"kind": "rumah_singgah", "capacity": "banyak"}, "Isi bilangan bulat."),
        ({"kind": "partner"}, "Pilih jenis mitra untuk organisasi mitra."),
        ({"kind": "partner", "partner_type": "bengkel"}, "Pilih jenis mitra untuk organisasi mitra."),
        ({"kind": "kantor"}, "Pilih jenis unit."),
        ({"region_code": "32.75.99"}, "Kode wilayah 32.75.99 tidak dikenal."),
        ({"code": "", "name": " "}, "Wajib diisi."),
        ({"code": "SEKRE"}, "Kode unit sudah dipakai unit lain di dinas ini."),
        ({"name": "x" * 201}, "Paling banyak 200 karakter."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(client, login, admin, overrides, field_message):
    login(admin)
    before = unit_count()
    response = client.post("/admin/units/new", data=unit_form(**overrides))
    page = page_text(response)
    assert response.status_code == 422
    assert field_message in page
    assert "has-error" in page
    assert unit_count() == before
    assert audit_rows("unit.created") == []


def test_a_code_may_repeat_in_another_agency(make, agency):
    other = make.unit(code="REHSOS")
    unit = services.create_unit(agency, **unit_form())
    assert unit.code == other.code and unit.agency_id != other.agency_id


def test_parent_must_belong_to_the_agency(client, make, login, admin):
    foreign = make.unit()
    login(admin)
    response = client.post("/admin/units/new", data=unit_form(parent_id=foreign.id))
    assert response.status_code == 422
    assert "Unit induk tidak ditemukan." in page_text(response)


def test_parent_cannot_make_a_cycle(client, make, login, admin, agency, office):
    branch = make.unit(agency=agency, kind=UnitKind.BRANCH_OFFICE, parent=office)
    district = make.unit(agency=agency, kind=UnitKind.DISTRICT_UNIT, parent=branch)
    login(admin)
    for parent in (district, office):
        response = client.post(f"/admin/units/{office.id}", data=edit_form(office, parent_id=parent.id))
        assert response.status_code == 422
        assert "Unit induk tidak boleh unit ini sendiri atau salah satu sub-unitnya." in page_text(response)
    db.session.refresh(office)
    assert office.parent_id is None


def test_edit_a_unit_and_its_version_moves(client, login, admin, office):
    login(admin)
    form = client.get(f"/admin/units/{office.id}")
    assert f'name="version" type="hidden" value="{office.version}"' in page_text(form)
    response = client.post(f"/admin/units/{office.id}", data=edit_form(office, name="Sekretariat Dinas"))
    assert response.status_code == 302
    db.session.refresh(office)
    assert (office.name, office.version) == ("Sekretariat Dinas", 2)
    [row] = audit_rows("unit.updated")
    assert row.details == {"fields": {"name": "Sekretariat Dinas"}}


def test_a_stale_edit_is_refused_and_overwrites_nothing(client, login, admin, office):
    login(admin)
    stale = edit_form(office, name="Nama dari tab lama")
    assert client.post(f"/admin/units/{office.id}", data=edit_form(office, name="Nama baru")).status_code == 302
    response = client.post(f"/admin/units/{office.id}", data=stale)
    page = page_text(response)
    assert response.status_code == 409
    assert "Data ini sudah diubah orang lain sejak Anda membukanya." in page
    assert "Muat ulang data terbaru" in page
    db.session.refresh(office)
    assert office.name == "Nama baru"


def test_a_concurrent_save_between_read_and_flush_is_a_conflict(agency, office):
    # Someone else's save lands after this session read the row.
    table = Unit.__table__
    db.session.execute(sa.update(table).where(table.c.id == office.id).values(version=table.c.version + 1))
    with pytest.raises(Conflict):
        services.update_unit(office, office.version, name="Terlambat")


def test_deactivate_and_reactivate_a_unit(client, make, login, admin, agency):
    shelter = make.unit(agency=agency, kind=UnitKind.SHELTER, capacity=12)
    login(admin)
    assert client.post(f"/admin/units/{shelter.id}/deactivate").status_code == 302
    db.session.refresh(shelter)
    assert not shelter.active
    assert client.post(f"/admin/units/{shelter.id}/reactivate").status_code == 302
    db.session.refresh(shelter)
    assert shelter.active
    assert [len(audit_rows("unit.deactivated")), len(audit_rows("unit.activated"))] == [1, 1]


def test_a_unit_with_active_users_stays_active(client, login, admin, office):
    login(admin)
    response = client.post(f"/admin/units/{office.id}/deactivate")
    assert response.status_code == 422
    assert "Unit ini masih punya 1 pengguna aktif." in page_text(response)
    db.session.refresh(office)
    assert office.active


def test_another_agencys_unit_is_not_found(client, make, login, admin):
    foreign = make.unit(name="Unit Dinas Lain")
    login(admin)
    assert client.get(f"/admin/units/{foreign.id}").status_code == 404
    assert client.post(f"/admin/units/{foreign.id}/deactivate").status_code == 404
    assert "Unit Dinas Lain" not in table_body(client.get("/admin/units"))


def test_list_filters_by_kind_status_and_name_and_pages(client, make, login, admin, agency):
    make.unit(agency=agency, kind=UnitKind.PANTI, capacity=100, name="Panti Werdha Melati")
    make.unit(agency=agency, kind=UnitKind.PANTI, capacity=80, name="Panti Asuhan 50%", active=False)
    make.unit(agency=agency, kind=UnitKind.PARTNER, partner_type=PartnerType.PUSKESMAS, name="Puskesmas Melati")
    login(admin)
    by_kind = table_body(client.get("/admin/units?kind=panti&active=1"))
    assert "Panti Werdha Melati" in by_kind and "Panti Asuhan" not in by_kind and "Sekretariat" not in by_kind
    by_name = table_body(client.get("/admin/units?q=melati"))
    assert "Panti Werdha Melati" in by_name and "Puskesmas Melati" in by_name and "Sekretariat" not in by_name
    # A % in the search is a literal character, not a wildcard.
    literal = table_body(client.get("/admin/units?q=50%25"))
    assert "Panti Asuhan 50%" in literal and "Panti Werdha" not in literal
    paged = page_text(client.get("/admin/units?per_page=2&page=2"))
    assert "4 data · halaman 2 dari 2" in paged and 'rel="prev"' in paged


def test_an_unknown_filter_value_is_refused(client, login, admin):
    login(admin)
    response = client.get("/admin/units?kind=kantor")
    assert response.status_code == 422
    assert "Pilihan tidak dikenal." in page_text(response)


def test_service_refuses_a_parent_cycle_by_field(make, agency, office):
    child = make.unit(agency=agency, parent=office)
    with pytest.raises(ValidationFailed) as refused:
        services.update_unit(office, office.version, parent_id=child.id)
    assert list(refused.value.fields) == ["parent_id"]


def test_staff_directory_lists_active_units_and_partners(client, make, login, agency, office):
    make.unit(agency=agency, kind=UnitKind.PARTNER, partner_type=PartnerType.HOSPITAL, name="RSUD Kota Bekasi")
    make.unit(agency=agency, kind=UnitKind.PARTNER, partner_type=PartnerType.LKS, name="LKS Tutup", active=False)
    make.unit(kind=UnitKind.PARTNER, partner_type=PartnerType.LKS, name="LKS Dinas Lain")
    login(make.user(role=Role.CASEWORKER, unit=office))
    hospitals = table_body(client.get("/admin/directory?partner_type=hospital"))
    assert "RSUD Kota Bekasi" in hospitals and "Sekretariat" not in hospitals
    everything = table_body(client.get("/admin/directory"))
    assert "Sekretariat" in everything and "LKS Tutup" not in everything and "LKS Dinas Lain" not in everything
