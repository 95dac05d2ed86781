"""An administrator edits SPM service types: their names and their service packages."""

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth.models import Role
from casework.extensions import db
from casework.reference.models import Service, SpmServiceType
from tests.reference.helpers import audit_rows, by_slug

KAB1 = "Rehabilitasi sosial dasar penyandang disabilitas telantar di luar panti"
KAB1_PACKAGE = [
    "permakanan",
    "sandang",
    "alat-bantu",
    "perbekalan-kesehatan",
    "bimbingan-fisik-mental-spiritual-sosial",
    "bimbingan-sosial-keluarga-masyarakat",
    "fasilitasi-dokumen-kependudukan",
    "akses-pendidikan-kesehatan-dasar",
    "penelusuran-keluarga",
    "reunifikasi-reintegrasi",
    "rujukan",
]


def spm_type(code="kab-1"):
    """The SPM service type with ``code``, read afresh."""
    db.session.expire_all()
    return db.session.scalar(sa.select(SpmServiceType).where(SpmServiceType.code == code))


def package(code="kab-1"):
    """The service slugs of a type's package in order, after checking its ordinals run 1..n without gaps."""
    items = spm_type(code).package
    assert [item.ordinal for item in items] == list(range(1, len(items) + 1))
    return [item.service.slug for item in items]


def package_url(action="", service=None, code="kab-1"):
    """The URL of a package page or of one of its buttons."""
    base = f"/reference/spm-service-types/{spm_type(code).id}/package"
    return f"{base}/{by_slug(Service, service).id}/{action}" if service else base


def package_audit_rows():
    """Every audit row about package items, oldest first."""
    return db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action.like("reference.spm_package_item_%")).order_by(AuditEvent.id)
    ).all()


# ---------------------------------------------------------------- names


def test_admin_renames_an_spm_service_type_with_an_audit_row(client, admin):
    kab1 = spm_type()
    assert KAB1 in client.get(f"/reference/spm-service-types/{kab1.id}/edit").get_data(as_text=True)

    response = client.post(
        f"/reference/spm-service-types/{kab1.id}/edit", data={"name": "Rehsos disabilitas", "name_en": kab1.name_en}
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/reference/spm-service-types"
    assert spm_type().name == "Rehsos disabilitas"
    [event] = audit_rows("reference.spm_service_type_updated")
    assert event.actor_id == admin.id and event.object_type == "spm_service_type" and event.object_id == str(kab1.id)
    assert event.details["changes"] == {"name": [KAB1, "Rehsos disabilitas"]}


def test_a_blank_spm_name_is_refused_and_nothing_is_written(client, admin):
    kab1 = spm_type()
    response = client.post(f"/reference/spm-service-types/{kab1.id}/edit", data={"name": " ", "name_en": ""})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert page.count("Wajib diisi.") == 2 and "Periksa kembali isian yang ditandai." in page
    assert spm_type().name == KAB1
    assert audit_rows("reference.spm_service_type_updated") == []


# ---------------------------------------------------------------- package page


def test_the_list_links_administrators_to_the_editors(client, admin):
    kab1 = spm_type()
    page = client.get("/reference/spm-service-types").get_data(as_text=True)
    assert f'href="/reference/spm-service-types/{kab1.id}/edit"' in page
    assert f'href="/reference/spm-service-types/{kab1.id}/package"' in page


def test_the_package_page_lists_items_in_order_with_buttons(client, admin):
    response = client.get(package_url())
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    names = [by_slug(Service, slug).name for slug in KAB1_PACKAGE]
    positions = [page.index(f"{n}. {name}") for n, name in enumerate(names, start=1)]
    assert positions == sorted(positions)
    assert f'action="{package_url("remove", "sandang")}"' in page
    assert 'data-confirm="Hapus Sandang dari paket' in page
    # Only active services missing from the package are offered.
    offered = f'<option value="{by_slug(Service, "penjangkauan").id}">'
    assert offered in page and f'<option value="{by_slug(Service, "sandang").id}">' not in page


# ---------------------------------------------------------------- add


def test_admin_adds_a_service_at_the_end_of_the_package(client, admin):
    penjangkauan = by_slug(Service, "penjangkauan")
    response = client.post(package_url(), data={"service_id": str(penjangkauan.id)})
    assert response.status_code == 302
    assert response.headers["Location"] == package_url()
    assert package() == [*KAB1_PACKAGE, "penjangkauan"]
    [event] = audit_rows("reference.spm_package_item_added")
    assert event.actor_id == admin.id and event.object_type == "spm_service_type"
    assert event.object_id == str(spm_type().id)
    assert event.details == {"service": "penjangkauan", "ordinal": 12}
    assert "Layanan Penjangkauan ditambahkan ke paket." in client.get(package_url()).get_data(as_text=True)


def deactivated(slug):
    """The id of service ``slug`` after switching it off."""
    service = by_slug(Service, slug)
    service.active = False
    db.session.flush()
    return str(service.id)


@pytest.mark.parametrize(
    ("service_id", "message"),
    [
        (lambda: "", "Pilih layanan aktif dari katalog."),
        (lambda: "999999", "Pilih layanan aktif dari katalog."),
        (lambda: "bukan-angka", "Pilih layanan aktif dari katalog."),
        (lambda: deactivated("penjangkauan"), "Pilih layanan aktif dari katalog."),
        (lambda: str(by_slug(Service, "sandang").id), "Layanan Sandang sudah ada di paket ini."),
    ],
    ids=["blank", "unknown", "not-a-number", "inactive", "duplicate"],
)
def test_a_bad_service_is_not_added_and_nothing_is_written(client, admin, service_id, message):
    response = client.post(package_url(), data={"service_id": service_id()})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert package() == KAB1_PACKAGE
    assert package_audit_rows() == []


# ---------------------------------------------------------------- remove


def test_admin_removes_a_service_and_the_order_closes_up(client, admin):
    response = client.post(package_url("remove", "sandang"))
    assert response.status_code == 302
    assert package() == [slug for slug in KAB1_PACKAGE if slug != "sandang"]
    [event] = audit_rows("reference.spm_package_item_removed")
    assert event.actor_id == admin.id and event.object_id == str(spm_type().id)
    assert event.details == {"service": "sandang", "ordinal": 2}
    assert "Layanan Sandang dihapus dari paket." in client.get(package_url()).get_data(as_text=True)


def test_removing_a_service_not_in_the_package_is_not_found(client, admin):
    assert client.post(package_url("remove", "penjangkauan")).status_code == 404
    assert package() == KAB1_PACKAGE
    assert package_audit_rows() == []


# ---------------------------------------------------------------- move


def test_admin_moves_services_up_and_down(client, admin):
    assert client.post(package_url("up", "alat-bantu")).status_code == 302
    assert package()[:4] == ["permakanan", "alat-bantu", "sandang", "perbekalan-kesehatan"]
    assert client.post(package_url("down", "permakanan")).status_code == 302
    assert package()[:4] == ["alat-bantu", "permakanan", "sandang", "perbekalan-kesehatan"]
    assert package()[4:] == KAB1_PACKAGE[4:]
    moves = audit_rows("reference.spm_package_item_moved")
    assert [event.details for event in moves] == [
        {"service": "alat-bantu", "ordinal": [3, 2]},
        {"service": "permakanan", "ordinal": [1, 2]},
    ]
    assert "Layanan Permakanan kini di urutan 2." in client.get(package_url()).get_data(as_text=True)


@pytest.mark.parametrize(
    ("action", "slug", "message"),
    [
        ("up", "permakanan", "Layanan Permakanan sudah di urutan pertama."),
        ("down", "rujukan", "Layanan Rujukan sudah di urutan terakhir."),
    ],
)
def test_moving_past_either_end_is_refused(client, admin, action, slug, message):
    response = client.post(package_url(action, slug))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert package() == KAB1_PACKAGE
    assert package_audit_rows() == []


def test_an_unknown_direction_is_not_found(client, admin):
    assert client.post(package_url("sideways", "sandang")).status_code == 404
    assert package() == KAB1_PACKAGE


# ---------------------------------------------------------------- access


EDITS = [
    ("get", "/reference/spm-service-types/{type}/edit"),
    ("post", "/reference/spm-service-types/{type}/edit"),
    ("get", "/reference/spm-service-types/{type}/package"),
    ("post", "/reference/spm-service-types/{type}/package"),
    ("post", "/reference/spm-service-types/{type}/package/{sandang}/remove"),
    ("post", "/reference/spm-service-types/{type}/package/{sandang}/up"),
]


def edit_path(path):
    """``path`` with kab-1's id and Sandang's id filled in."""
    return path.format(type=spm_type().id, sandang=by_slug(Service, "sandang").id)


def assert_nothing_changed():
    """kab-1 keeps its name and package, and no reference edit was audited."""
    assert spm_type().name == KAB1
    assert package() == KAB1_PACKAGE
    assert db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("reference.%"))).all() == []


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.VIEWER])
@pytest.mark.parametrize(("method", "path"), EDITS)
def test_only_administrators_may_edit_spm_types(client, make, login, role, method, path):
    login(make.user(role=role))
    data = {"name": "diubah", "name_en": "changed", "service_id": str(by_slug(Service, "penjangkauan").id)}
    assert getattr(client, method)(edit_path(path), data=data).status_code == 403
    assert "/package" not in client.get("/reference/spm-service-types").get_data(as_text=True)
    assert_nothing_changed()


@pytest.mark.parametrize(("method", "path"), EDITS)
def test_editing_spm_types_needs_a_signed_in_user(client, method, path):
    response = getattr(client, method)(edit_path(path), data={"name": "diubah", "name_en": "changed"})
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert_nothing_changed()
