"""User accounts on the administration pages: list, create, edit, scope, deactivate, password, tokens."""

import json

import pytest
import sqlalchemy as sa

from casework.admin import services
from casework.auth import services as auth_services
from casework.auth.models import Role, ScopeKind, User
from casework.core.errors import ValidationFailed
from casework.extensions import db
from casework.org.models import PartnerType, UnitKind
from tests.admin.helpers import audit_rows, bearer, page_text, sign_in, table_body
from tests.factories import TEST_PASSWORD

NEW_PASSWORD = "Layanan-Sosial-77"


def user_form(unit, **overrides):
    """A valid new-caseworker submission in ``unit``, with ``overrides``."""
    data = {
        "username": "Siti.Rahma",
        "full_name": "Siti Rahmawati",
        "email": "",
        "phone": "",
        "role": "caseworker",
        "unit_id": unit.id,
        "scope_kind": "agency",
        "region_codes": "",
        "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD,
    }
    data.update(overrides)
    return data


def edit_form(user, **overrides):
    """The edit form as the page would submit it for ``user``, with ``overrides``."""
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email or "",
        "phone": user.phone or "",
        "role": user.role.value,
        "unit_id": user.unit_id,
        "scope_kind": user.scope_kind.value,
        "region_codes": ", ".join(user.region_codes),
        "version": user.version,
    }
    data.update(overrides)
    return data


def find_user(username):
    """The account with ``username``, or None."""
    return db.session.scalar(sa.select(User).where(User.username == username))


def test_create_an_account_that_can_sign_in(client, app, login, admin, office):
    login(admin)
    response = client.post("/admin/users/new", data=user_form(office, email="siti@dinsos.example"))
    assert response.status_code == 302
    user = find_user("siti.rahma")
    assert (user.agency_id, user.unit_id, user.role, user.scope_kind) == (
        admin.agency_id,
        office.id,
        Role.CASEWORKER,
        ScopeKind.AGENCY,
    )
    assert response.headers["Location"] == f"/admin/users/{user.id}"
    [row] = audit_rows("user.created")
    assert row.details["fields"]["username"] == "siti.rahma"
    stored = json.dumps(row.details)
    assert "password" not in stored and NEW_PASSWORD not in stored and user.password_hash not in stored
    assert sign_in(app, "Siti.Rahma", NEW_PASSWORD)[1].status_code == 302


def test_create_a_volunteer_limited_to_villages(client, login, admin, office):
    login(admin)
    data = user_form(office, role="volunteer", scope_kind="villages", region_codes="32.75.01.1001,\n32.75.01.1002")
    assert client.post("/admin/users/new", data=data).status_code == 302
    user = find_user("siti.rahma")
    assert (user.scope_kind, user.region_codes) == (ScopeKind.VILLAGES, ["32.75.01.1001", "32.75.01.1002"])
    page = page_text(client.get(f"/admin/users/{user.id}"))
    assert "Bekasijaya" in page and "Margahayu" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"username": "ADMIN.Dinas"}, "Nama pengguna sudah dipakai"),
        ({"username": "ab"}, "Nama pengguna 3–40 karakter"),
        ({"username": "siti rahma"}, "Nama pengguna 3–40 karakter"),
        ({"full_name": ""}, "Wajib diisi."),
        ({"email": "bukan-email"}, "Alamat email tidak valid."),
        ({"role": "raja"}, "Pilih peran."),
        ({"password": "pendek1", "confirm": "pendek1"}, "Kata sandi minimal 10 karakter."),
        ({"password": "Siti.Rahma-2026", "confirm": "Siti.Rahma-2026"}, "Kata sandi tidak boleh memuat nama pengguna."),
        ({"password": "", "confirm": ""}, "Isi kata sandi awal."),
        ({"confirm": "Lain-Sekali-99"}, "Kedua kata sandi tidak sama."),
        ({"role": "volunteer"}, "Relawan harus dibatasi pada kecamatan atau kelurahan/desa tertentu."),
        ({"scope_kind": "districts"}, "Isi paling sedikit satu kode wilayah."),
        ({"scope_kind": "districts", "region_codes": "32.75.99"}, "Kode wilayah 32.75.99 tidak dikenal."),
        ({"scope_kind": "districts", "region_codes": "32.75.01.1001"}, "Kode wilayah 32.75.01.1001 harus kecamatan."),
        ({"scope_kind": "villages", "region_codes": "32.73.01.1001"}, "32.73.01.1001 (Sukarasa) berada di luar"),
        ({"scope_kind": "districts", "region_codes": "32.73.01"}, "32.73.01 (Sukasari) berada di luar wilayah dinas."),
        ({"unit_id": ""}, "Pilih unit dinas yang aktif (bukan organisasi mitra)."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(client, login, admin, office, overrides, message):
    login(admin)
    response = client.post("/admin/users/new", data=user_form(office, **overrides))
    assert response.status_code == 422
    assert message in page_text(response)
    assert find_user("siti.rahma") is None
    assert audit_rows("user.created") == []


@pytest.mark.parametrize("kind", ["partner", "foreign", "inactive"])
def test_the_unit_must_be_an_active_unit_of_the_agency(client, make, login, admin, agency, kind):
    unit = {
        "partner": lambda: make.unit(agency=agency, kind=UnitKind.PARTNER, partner_type=PartnerType.LKS),
        "foreign": lambda: make.unit(),
        "inactive": lambda: make.unit(agency=agency, active=False),
    }[kind]()
    login(admin)
    response = client.post("/admin/users/new", data=user_form(unit))
    assert response.status_code == 422
    assert "Pilih unit dinas yang aktif" in page_text(response)


def test_edit_an_account_scope_and_role(client, make, login, admin, office):
    user = make.user(role=Role.CASEWORKER, unit=office)
    login(admin)
    data = edit_form(user, role="supervisor", scope_kind="districts", region_codes="32.75.02 32.75.01")
    assert client.post(f"/admin/users/{user.id}", data=data).status_code == 302
    db.session.refresh(user)
    assert (user.role, user.scope_kind, user.region_codes, user.version) == (
        Role.SUPERVISOR,
        ScopeKind.DISTRICTS,
        ["32.75.01", "32.75.02"],
        2,
    )
    [row] = audit_rows("user.updated")
    assert row.details["fields"] == {
        "role": "supervisor",
        "scope_kind": "districts",
        "region_codes": ["32.75.01", "32.75.02"],
    }


def test_changing_only_the_scope_codes_moves_the_version(make, office):
    user = make.user(unit=office, scope_kind=ScopeKind.DISTRICTS, regions=["32.75.01"])
    services.update_user(user, 1, region_codes=["32.75.01", "32.75.03"])
    assert (user.region_codes, user.version) == (["32.75.01", "32.75.03"], 2)


def test_a_stale_edit_is_refused_and_overwrites_nothing(client, make, login, admin, office):
    user = make.user(unit=office, full_name="Nama Asli")
    login(admin)
    stale = edit_form(user, full_name="Dari Tab Lama")
    assert client.post(f"/admin/users/{user.id}", data=edit_form(user, full_name="Nama Baru")).status_code == 302
    response = client.post(f"/admin/users/{user.id}", data=stale)
    assert response.status_code == 409
    assert "Data ini sudah diubah orang lain sejak Anda membukanya." in page_text(response)
    db.session.refresh(user)
    assert user.full_name == "Nama Baru"


def test_edit_refuses_a_username_taken_by_someone_else(client, make, login, admin, office):
    user = make.user(unit=office)
    login(admin)
    response = client.post(f"/admin/users/{user.id}", data=edit_form(user, username="admin.dinas"))
    assert response.status_code == 422
    assert "Nama pengguna sudah dipakai" in page_text(response)


def test_the_last_admin_cannot_step_down(client, login, admin):
    login(admin)
    response = client.post(f"/admin/users/{admin.id}", data=edit_form(admin, role="caseworker"))
    assert response.status_code == 422
    assert "paling sedikit satu administrator aktif" in page_text(response)
    db.session.refresh(admin)
    assert admin.role == Role.ADMIN


def test_an_admin_may_step_down_when_another_remains(client, make, login, admin, office):
    make.user(role=Role.ADMIN, unit=office)
    login(admin)
    assert client.post(f"/admin/users/{admin.id}", data=edit_form(admin, role="viewer")).status_code == 302


def test_deactivation_ends_sessions_revokes_tokens_and_blocks_sign_in(client, app, make, login, admin, office):
    user = make.user(unit=office)
    _token, secret = auth_services.issue_token(user, "Tablet lapangan")
    their_client, signed_in = sign_in(app, user.username, TEST_PASSWORD)
    assert signed_in.status_code == 302
    assert app.test_client().get("/api/v1/me", headers=bearer(secret)).status_code == 200
    login(admin)

    response = client.post(f"/admin/users/{user.id}/deactivate")
    assert response.status_code == 302
    db.session.refresh(user)
    assert not user.active
    assert their_client.get("/home").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=bearer(secret)).status_code == 401
    assert sign_in(app, user.username, TEST_PASSWORD)[1].status_code == 401
    assert [len(audit_rows("user.deactivated")), len(audit_rows("token.revoked"))] == [1, 1]

    assert client.post(f"/admin/users/{user.id}/reactivate").status_code == 302
    assert sign_in(app, user.username, TEST_PASSWORD)[1].status_code == 302
    assert app.test_client().get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_an_admin_cannot_deactivate_themself(client, login, admin):
    login(admin)
    response = client.post(f"/admin/users/{admin.id}/deactivate")
    assert response.status_code == 422
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in page_text(response)
    db.session.refresh(admin)
    assert admin.active


def test_the_service_never_deactivates_the_last_active_admin(make, admin, office):
    # However it is called (a script, a future screen), the agency keeps an administrator.
    outsider = make.user(role=Role.ADMIN)
    with pytest.raises(ValidationFailed, match="paling sedikit satu administrator aktif"):
        services.set_user_active(admin, False, outsider)
    assert admin.active


def test_reset_password_ends_sessions_and_replaces_the_password(client, app, make, login, admin, office):
    user = make.user(unit=office)
    their_client, _response = sign_in(app, user.username, TEST_PASSWORD)
    login(admin)
    response = client.post(f"/admin/users/{user.id}/password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert their_client.get("/home").status_code == 302
    assert sign_in(app, user.username, TEST_PASSWORD)[1].status_code == 401
    assert sign_in(app, user.username, NEW_PASSWORD)[1].status_code == 302
    [row] = audit_rows("user.password_changed")
    assert (row.actor_id, row.object_id) == (admin.id, str(user.id))
    assert NEW_PASSWORD not in json.dumps(row.details)


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("1234567890", "1234567890", "Kata sandi ini terlalu mudah ditebak."),
        ("Baru-Sekali-1", "Baru-Sekali-2", "Kedua kata sandi tidak sama."),
        ("", "", "Isi kata sandi baru."),
    ],
)
def test_reset_password_refuses_a_weak_or_mistyped_one(client, make, login, admin, office, password, confirm, message):
    user = make.user(unit=office)
    old_hash = user.password_hash
    login(admin)
    response = client.post(f"/admin/users/{user.id}/password", data={"password": password, "confirm": confirm})
    assert response.status_code == 422
    assert message in page_text(response)
    db.session.refresh(user)
    assert user.password_hash == old_hash


def test_an_admin_changes_their_own_password_on_the_account_page(client, login, admin):
    login(admin)
    response = client.post(
        f"/admin/users/{admin.id}/password", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 422
    assert "Ganti kata sandi Anda sendiri melalui halaman Akun saya." in page_text(response)


def test_list_and_revoke_a_users_tokens(client, make, login, admin, office):
    user = make.user(unit=office)
    token, _secret = auth_services.issue_token(user, "Tablet Kecamatan Rawalumbu")
    login(admin)
    assert "Tablet Kecamatan Rawalumbu" in page_text(client.get(f"/admin/users/{user.id}"))
    assert client.post(f"/admin/users/{user.id}/tokens/{token.id}/revoke").status_code == 302
    db.session.refresh(token)
    assert token.revoked_at is not None
    assert len(audit_rows("token.revoked")) == 1


def test_another_users_token_cannot_be_revoked_through_this_user(client, make, login, admin, office):
    user = make.user(unit=office)
    token, _secret = auth_services.issue_token(admin, "Laptop admin")
    login(admin)
    assert client.post(f"/admin/users/{user.id}/tokens/{token.id}/revoke").status_code == 404
    db.session.refresh(token)
    assert token.revoked_at is None


def test_list_filters_by_role_unit_status_and_name(client, make, login, admin, agency, office):
    field_unit = make.unit(agency=agency, kind=UnitKind.DISTRICT_UNIT, name="Satpel Bekasi Timur")
    make.user(role=Role.VOLUNTEER, unit=field_unit, full_name="Joko Relawan", regions=["32.75.01"])
    make.user(role=Role.CASEWORKER, unit=office, full_name="Rina Pekerja Sosial", active=False)
    make.user(role=Role.CASEWORKER, full_name="Orang Dinas Lain")
    login(admin)
    assert "Orang Dinas Lain" not in table_body(client.get("/admin/users"))
    volunteers = table_body(client.get("/admin/users?role=volunteer"))
    assert "Joko Relawan" in volunteers and "Rina" not in volunteers and "Admin Dinas" not in volunteers
    in_unit = table_body(client.get(f"/admin/users?unit_id={field_unit.id}"))
    assert "Joko Relawan" in in_unit and "Admin Dinas" not in in_unit
    inactive = table_body(client.get("/admin/users?active=0"))
    assert "Rina Pekerja Sosial" in inactive and "Joko" not in inactive
    by_username = table_body(client.get("/admin/users?q=ADMIN.din"))
    assert "Admin Dinas" in by_username and "Joko" not in by_username
    paged = page_text(client.get("/admin/users?per_page=1&page=2"))
    assert "3 data · halaman 2 dari 3" in paged


def test_another_agencys_user_is_not_found(client, make, login, admin):
    foreign = make.user()
    login(admin)
    assert client.get(f"/admin/users/{foreign.id}").status_code == 404
    assert client.post(f"/admin/users/{foreign.id}/deactivate").status_code == 404
    db.session.refresh(foreign)
    assert foreign.active


def test_signing_in_does_not_make_an_open_edit_stale(client, make, login):
    """An admin's form holds version N; the user signing in meanwhile must not cause a conflict."""
    user = make.user()
    version = user.version
    login(user)
    db.session.refresh(user)
    assert user.version == version
    services.update_user(user, version, full_name="Nama Baru Sekali")
    assert user.version == version + 1
