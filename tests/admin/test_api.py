"""The administration API: units and users through the same services as the pages, and the directory."""

import sqlalchemy as sa

from casework.auth import services as auth_services
from casework.auth.models import ApiToken, Role, User
from casework.extensions import db
from casework.org.models import PartnerType, Unit, UnitKind
from tests.admin.helpers import audit_rows, bearer, sign_in

NEW_PASSWORD = "Layanan-Sosial-77"


def test_list_units_with_filters_and_paging(client, make, login, admin, agency):
    make.unit(agency=agency, kind=UnitKind.SHELTER, capacity=20, name="Shelter Bekasi", region_code="32.75.01")
    make.unit(kind=UnitKind.SHELTER, capacity=5, name="Shelter Dinas Lain")
    login(admin)
    body = client.get("/api/v1/units?kind=shelter").json
    assert [item["name"] for item in body["items"]] == ["Shelter Bekasi"]
    item = body["items"][0]
    assert (item["capacity"], item["region_code"], item["version"], item["active"]) == (20, "32.75.01", 1, True)
    assert item["region_name"].startswith("Bekasi Timur")
    assert (body["page"], body["total"]) == (1, 1)
    paged = client.get("/api/v1/units?per_page=1&page=2").json
    assert (paged["total"], paged["pages"], paged["per_page"]) == (2, 2, 1)


def test_list_units_refuses_an_unknown_filter(client, login, admin):
    login(admin)
    response = client.get("/api/v1/units?active=ya")
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"active": ["Pilihan tidak dikenal."]}


def test_create_a_partner(client, login, admin, agency):
    login(admin)
    response = client.post(
        "/api/v1/units",
        json={"code": "PKM-BT", "name": "Puskesmas Bekasi Timur", "kind": "partner", "partner_type": "puskesmas"},
    )
    assert response.status_code == 201
    unit = db.session.get(Unit, response.json["id"])
    assert (unit.agency_id, unit.partner_type) == (agency.id, PartnerType.PUSKESMAS)
    assert len(audit_rows("unit.created")) == 1


def test_create_refuses_bad_units_by_field_in_indonesian(client, login, admin):
    login(admin)
    response = client.post("/api/v1/units", json={"code": "SH", "kind": "shelter", "region_code": "00.00"})
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert fields["name"] == ["Wajib diisi."]
    assert "wajib punya kapasitas lebih dari 0." in fields["capacity"][0]
    assert fields["region_code"] == ["Kode wilayah 00.00 tidak dikenal."]
    partner = client.post("/api/v1/units", json={"code": "P", "name": "Mitra", "kind": "partner"})
    assert partner.json["error"]["fields"] == {"partner_type": ["Pilih jenis mitra untuk organisasi mitra."]}
    assert db.session.scalar(sa.select(Unit).where(Unit.code.in_(["SH", "P"]))) is None


def test_create_refuses_wrong_types_and_unknown_fields(client, login, admin):
    login(admin)
    response = client.post("/api/v1/units", json={"code": "X", "name": "X", "kind": "panti", "capacity": "10", "a": 1})
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == {"capacity", "a"}


def test_patch_a_unit_with_its_version(client, login, admin, office):
    login(admin)
    response = client.patch(f"/api/v1/units/{office.id}", json={"version": 1, "phone": "021-555"})
    assert response.status_code == 200
    assert (response.json["phone"], response.json["version"], response.json["name"]) == ("021-555", 2, "Sekretariat")


def test_patch_without_version_is_refused(client, login, admin, office):
    login(admin)
    response = client.patch(f"/api/v1/units/{office.id}", json={"name": "Tanpa versi"})
    assert response.status_code == 422
    assert "version" in response.json["error"]["fields"]


def test_stale_patch_gets_409_with_the_current_state(client, login, admin, office):
    login(admin)
    first = client.patch(f"/api/v1/units/{office.id}", json={"version": 1, "name": "Sekretariat Dinas"})
    assert first.status_code == 200
    response = client.patch(f"/api/v1/units/{office.id}", json={"version": 1, "name": "Dari tablet lama"})
    assert response.status_code == 409
    error = response.json["error"]
    assert error["code"] == "conflict"
    assert "sudah diubah orang lain" in error["message"]
    assert (error["current"]["name"], error["current"]["version"]) == ("Sekretariat Dinas", 2)
    db.session.refresh(office)
    assert office.name == "Sekretariat Dinas"


def test_patch_deactivates_a_unit(client, make, login, admin, agency):
    partner = make.unit(agency=agency, kind=UnitKind.PARTNER, partner_type=PartnerType.LKS)
    login(admin)
    response = client.patch(f"/api/v1/units/{partner.id}", json={"version": 1, "active": False})
    assert response.status_code == 200 and response.json["active"] is False
    assert len(audit_rows("unit.deactivated")) == 1


def test_another_agencys_unit_and_user_are_not_found(client, make, login, admin):
    foreign_user = make.user()
    login(admin)
    assert client.get(f"/api/v1/units/{foreign_user.unit_id}").status_code == 404
    assert client.patch(f"/api/v1/units/{foreign_user.unit_id}", json={"version": 1}).status_code == 404
    assert client.get(f"/api/v1/users/{foreign_user.id}").json["error"]["code"] == "not_found"


def test_create_a_user_with_a_bearer_token(client, app, admin, office):
    _record, secret = auth_services.issue_token(admin, "Skrip impor")
    api = app.test_client()
    response = api.post(
        "/api/v1/users",
        headers=bearer(secret),
        json={
            "username": "Joko.TKSK",
            "full_name": "Joko Susilo",
            "role": "volunteer",
            "unit_id": office.id,
            "scope_kind": "districts",
            "region_codes": ["32.75.05"],
            "password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 201
    body = response.json
    assert (body["username"], body["scope_kind"], body["region_codes"], body["unit_name"]) == (
        "joko.tksk",
        "districts",
        ["32.75.05"],
        "Sekretariat",
    )
    assert "password" not in body and "password_hash" not in body
    assert sign_in(app, "joko.tksk", NEW_PASSWORD)[1].status_code == 302


def test_create_user_refusals_name_their_fields(client, login, admin, office):
    login(admin)
    data = {"username": "admin.dinas", "full_name": "Kembar", "role": "volunteer", "unit_id": office.id}
    response = client.post("/api/v1/users", json={**data, "password": "pendek"})
    assert response.status_code == 422
    fields = response.json["error"]["fields"]
    assert fields["username"] == ["Nama pengguna sudah dipakai"]
    assert fields["scope_kind"] == ["Relawan harus dibatasi pada kecamatan atau kelurahan/desa tertentu."]
    assert "Kata sandi minimal 10 karakter." in fields["password"]
    outside = client.post(
        "/api/v1/users",
        json={**data, "username": "baru", "scope_kind": "villages", "region_codes": ["32.73.01.1002"]},
    )
    assert outside.json["error"]["fields"]["region_codes"] == [
        "32.73.01.1002 (Gegerkalong) berada di luar wilayah dinas."
    ]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_list_and_get_users(client, make, login, admin, office):
    make.user(role=Role.SUPERVISOR, unit=office, full_name="Budi Supervisor")
    login(admin)
    body = client.get("/api/v1/users?role=supervisor").json
    assert [item["full_name"] for item in body["items"]] == ["Budi Supervisor"]
    one = client.get(f"/api/v1/users/{admin.id}").json
    assert (one["username"], one["role"], one["active"]) == ("admin.dinas", "admin", True)
    # Signing in stamps last_login_at, which moves the account's version.
    assert one["version"] == admin.version


def test_patch_a_user_and_a_stale_patch(client, make, login, admin, office):
    user = make.user(unit=office, full_name="Nama Lama")
    login(admin)
    response = client.patch(f"/api/v1/users/{user.id}", json={"version": 1, "full_name": "Nama Baru"})
    assert (response.status_code, response.json["full_name"], response.json["version"]) == (200, "Nama Baru", 2)
    stale = client.patch(f"/api/v1/users/{user.id}", json={"version": 1, "role": "viewer"})
    assert stale.status_code == 409
    assert (stale.json["error"]["current"]["full_name"], stale.json["error"]["current"]["role"]) == (
        "Nama Baru",
        "caseworker",
    )


def test_patch_deactivates_a_user_and_revokes_their_tokens(client, app, make, login, admin, office):
    user = make.user(unit=office)
    token, secret = auth_services.issue_token(user, "Tablet")
    login(admin)
    response = client.patch(f"/api/v1/users/{user.id}", json={"version": 1, "active": False})
    assert response.status_code == 200 and response.json["active"] is False
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    assert app.test_client().get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_patch_cannot_deactivate_oneself(client, login, admin):
    login(admin)
    change = {"version": admin.version, "active": False, "full_name": "Admin X"}
    response = client.patch(f"/api/v1/users/{admin.id}", json=change)
    assert response.status_code == 422
    assert response.json["error"]["message"] == "Anda tidak dapat menonaktifkan akun Anda sendiri."
    db.session.refresh(admin)
    assert (admin.active, admin.full_name) == (True, "Admin Dinas")


def test_directory_for_caseworkers(client, make, login, agency, office):
    make.unit(agency=agency, kind=UnitKind.PARTNER, partner_type=PartnerType.CIVIL_REGISTRY, name="Disdukcapil")
    make.unit(agency=agency, kind=UnitKind.PARTNER, partner_type=PartnerType.HOSPITAL, name="RS Tutup", active=False)
    login(make.user(role=Role.CASEWORKER, unit=office))
    body = client.get("/api/v1/directory?kind=partner").json
    assert [item["name"] for item in body["items"]] == ["Disdukcapil"]
    assert set(body["items"][0]) == {
        "id",
        "name",
        "kind",
        "partner_type",
        "capacity",
        "region_code",
        "region_name",
        "address",
        "phone",
    }
