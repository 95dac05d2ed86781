"""Reference-data pages: lists for everyone signed in, edits for administrators only."""

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth.models import Role
from casework.extensions import db
from casework.reference.models import Category, CountingUnit, LocalCode, Service, SpmGroup
from tests.reference.helpers import audit_rows, by_slug


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/reference/", "Versi data yang dimuat"),
        ("/reference/categories", "Komunitas adat terpencil"),
        ("/reference/services", "1.06.04.2.01.0001"),
        ("/reference/spm-service-types", "Rehabilitasi sosial dasar anak telantar di luar panti"),
        ("/reference/psks-types", "Tenaga kesejahteraan sosial kecamatan (TKSK)"),
        ("/reference/local-codes", "Keluarga berumah tidak layak huni"),
        ("/reference/regions", "Jawa Barat"),
    ],
)
def test_every_list_opens_for_a_viewer(client, make, login, path, expected):
    login(make.user(role=Role.VIEWER))
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert expected in page
    assert "Ubah</a>" not in page


def test_lists_need_a_signed_in_user(client):
    response = client.get("/reference/categories")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_dataset_versions_are_listed(client, caseworker):
    page = client.get("/reference/").get_data(as_text=True)
    assert "Kepmendagri 300.2.2-2138/2025" in page
    assert "91.599" in page or "91,599" in page


def test_region_search_page(client, caseworker):
    response = client.get("/reference/regions?q=bekasi+ti&level=3")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "32.75.01" in page and "Bekasi Timur" in page and "Kota Bekasi, Jawa Barat" in page


def test_region_browse_page_shows_children_and_the_way_up(client, caseworker):
    page = client.get("/reference/regions?within=32.75.01").get_data(as_text=True)
    assert "Bekasijaya" in page and "17112" in page
    assert 'href="/reference/regions?within=32.75"' in page
    assert 'href="/reference/regions?within=32"' in page


def test_region_search_page_refuses_bad_input_clearly(client, caseworker):
    short = client.get("/reference/regions?q=b")
    assert short.status_code == 422
    assert "Ketik paling sedikit 2 huruf nama wilayah." in short.get_data(as_text=True)
    unknown = client.get("/reference/regions?within=32.99")
    assert unknown.status_code == 422
    assert "Kode wilayah 32.99 tidak dikenal." in unknown.get_data(as_text=True)


def category_form(category, **changes):
    """The category's current values as the edit form posts them, with ``changes``."""
    data = {
        "name": category.name,
        "name_en": category.name_en,
        "counting_unit": category.counting_unit.value,
        "spm_group": category.spm_group.value if category.spm_group else "",
        "active": "y",
    }
    if category.sensitive:
        data["sensitive"] = "y"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_admin_edits_a_category_with_an_audit_row(client, admin):
    category = by_slug(Category, "pemulung")
    assert client.get(f"/reference/categories/{category.id}/edit").status_code == 200

    response = client.post(
        f"/reference/categories/{category.id}/edit",
        data=category_form(category, name="Pemulung jalanan", counting_unit="household", spm_group="homeless_beggar"),
    )

    assert response.status_code == 302
    db.session.refresh(category)
    assert (category.name, category.counting_unit, category.spm_group) == (
        "Pemulung jalanan",
        CountingUnit.HOUSEHOLD,
        SpmGroup.HOMELESS_BEGGAR,
    )
    [event] = audit_rows("reference.category_updated")
    assert event.actor_id == admin.id and event.object_type == "category" and event.object_id == str(category.id)
    assert event.details["changes"] == {
        "name": ["Pemulung", "Pemulung jalanan"],
        "counting_unit": ["person", "household"],
        "spm_group": [None, "homeless_beggar"],
    }
    assert "Ubah</a>" in client.get("/reference/categories").get_data(as_text=True)


def test_saving_an_unchanged_category_writes_no_audit_row(client, admin):
    category = by_slug(Category, "pengemis")
    assert client.post(f"/reference/categories/{category.id}/edit", data=category_form(category)).status_code == 302
    assert audit_rows("reference.category_updated") == []


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"name": "  "}, "Wajib diisi."),
        ({"name_en": "x" * 121}, "Paling banyak 120 karakter."),
        ({"counting_unit": "kilogram"}, "Pilihan tidak dikenal."),
        ({"spm_group": "teenager"}, "Pilihan tidak dikenal."),
    ],
)
def test_bad_category_input_is_refused_and_nothing_is_written(client, admin, changes, field_message):
    category = by_slug(Category, "pemulung")
    response = client.post(f"/reference/categories/{category.id}/edit", data=category_form(category, **changes))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_message in page and "Periksa kembali isian yang ditandai." in page
    db.session.expire_all()
    assert by_slug(Category, "pemulung").name == "Pemulung"
    assert audit_rows("reference.category_updated") == []


def service_form(service, **changes):
    """The service's current values as the edit form posts them, with ``changes``."""
    data = {
        "name": service.name,
        "name_en": service.name_en,
        "budget_code": service.budget_code or "",
        "default_unit": service.default_unit,
        "max_days": "" if service.max_days is None else str(service.max_days),
        "active": "y",
    }
    data.update(changes)
    return data


def test_admin_edits_a_service(client, admin):
    service = by_slug(Service, "permakanan")
    response = client.post(
        f"/reference/services/{service.id}/edit", data=service_form(service, max_days="10", budget_code="")
    )
    assert response.status_code == 302
    db.session.refresh(service)
    assert (service.max_days, service.budget_code) == (10, None)
    [event] = audit_rows("reference.service_updated")
    assert event.details["changes"] == {"budget_code": ["1.06.04.2.01.0001", None], "max_days": [7, 10]}


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"max_days": "0"}, "Batas hari harus 1 atau lebih, atau dikosongkan."),
        ({"max_days": "tujuh"}, "Batas hari harus 1 atau lebih, atau dikosongkan."),
        ({"budget_code": "1.06.x"}, "Kode anggaran berupa angka dipisah titik, misalnya 1.06.04.2.01.0001."),
        ({"default_unit": ""}, "Wajib diisi."),
    ],
)
def test_bad_service_input_is_refused_and_nothing_is_written(client, admin, changes, field_message):
    service = by_slug(Service, "permakanan")
    response = client.post(f"/reference/services/{service.id}/edit", data=service_form(service, **changes))
    assert response.status_code == 422
    assert field_message in response.get_data(as_text=True)
    db.session.expire_all()
    assert by_slug(Service, "permakanan").max_days == 7
    assert audit_rows("reference.service_updated") == []


def test_admin_adds_edits_and_deletes_a_local_code(client, admin):
    category = by_slug(Category, "odgj")
    form = {"code_set": "kota-f", "code": "F25", "name": "Psikotik jalanan", "category_id": str(category.id)}
    assert client.get("/reference/local-codes/new").status_code == 200
    assert client.post("/reference/local-codes/new", data=form).status_code == 302
    code = db.session.scalar(sa.select(LocalCode).where(LocalCode.code == "F25"))
    assert code.category_id == category.id
    assert audit_rows("reference.local_code_created")[0].object_id == str(code.id)

    form["name"] = "ODGJ terlantar"
    assert client.post(f"/reference/local-codes/{code.id}/edit", data=form).status_code == 302
    assert audit_rows("reference.local_code_updated")[0].details["changes"] == {
        "name": ["Psikotik jalanan", "ODGJ terlantar"]
    }

    code_id = code.id
    assert client.post(f"/reference/local-codes/{code_id}/delete").status_code == 302
    assert db.session.get(LocalCode, code_id) is None
    [deleted] = audit_rows("reference.local_code_deleted")
    assert deleted.details["code"] == "F25" and deleted.details["name"] == "ODGJ terlantar"


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"code": "F1"}, "Kode F1 sudah ada di kumpulan kota-f."),
        ({"category_id": "999999"}, "Pilih kategori."),
        ({"category_id": "bukan"}, "Pilih kategori."),
        ({"code_set": ""}, "Wajib diisi."),
    ],
)
def test_bad_local_code_is_refused_and_nothing_is_written(client, admin, changes, field_message):
    category = by_slug(Category, "odgj")
    form = {"code_set": "kota-f", "code": "F25", "name": "Uji", "category_id": str(category.id), **changes}
    response = client.post("/reference/local-codes/new", data=form)
    assert response.status_code == 422
    assert field_message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(LocalCode)) == 24
    assert audit_rows("reference.local_code_created") == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/reference/categories/{category}/edit"),
        ("post", "/reference/categories/{category}/edit"),
        ("get", "/reference/services/{service}/edit"),
        ("post", "/reference/services/{service}/edit"),
        ("get", "/reference/local-codes/new"),
        ("post", "/reference/local-codes/new"),
        ("post", "/reference/local-codes/{local_code}/edit"),
        ("post", "/reference/local-codes/{local_code}/delete"),
    ],
)
def test_caseworker_may_not_edit(client, caseworker, method, path):
    ids = {
        "category": by_slug(Category, "pemulung").id,
        "service": by_slug(Service, "permakanan").id,
        "local_code": db.session.scalar(sa.select(LocalCode.id).where(LocalCode.code == "F1")),
    }
    response = getattr(client, method)(path.format(**ids), data={"name": "diubah", "code": "F1", "code_set": "x"})
    assert response.status_code == 403
    db.session.expire_all()
    assert by_slug(Category, "pemulung").name == "Pemulung"
    assert db.session.get(LocalCode, ids["local_code"]) is not None
    assert db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("reference.%"))).all() == []
