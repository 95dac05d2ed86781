"""Client registry pages: register with duplicates offered, search, detail, edit, and who may see what."""

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.clients.models import Client
from casework.extensions import db
from casework.reference.models import Category
from tests.admin.helpers import audit_rows, page_text, table_body
from tests.clients.conftest import VALID_NIK


def clients_named(name):
    """The clients stored with ``name``."""
    return db.session.scalars(sa.select(Client).where(Client.full_name == name)).all()


def category_id(slug):
    """The id of the category with ``slug``."""
    return db.session.scalar(sa.select(Category.id).where(Category.slug == slug))


def form_data(**overrides):
    """A valid registration as the page submits it, with ``overrides``."""
    data = {
        "uuid": "0b6c7a52-1f0e-4a8e-9d1b-5a1c2e3f4a5b",
        "full_name": "Siti Rahmawati",
        "aliases": "",
        "sex": "female",
        "birth_date": "1990-05-17",
        "birth_year": "",
        "place_of_birth": "Cilacap",
        "mother_name": "Painem",
        "nik": VALID_NIK,
        "kk_number": "",
        "has_ktp": "y",
        "phone": "",
        "address": "Kolong tol Bekasi Timur",
        "domicile_region_code": "32.75.01.1001",
        "origin_region_code": "33.01",
        "categories": [str(category_id("gelandangan"))],
        "categories_since": "2026-01-05",
    }
    data.update(overrides)
    return data


def test_register_a_client(client, login, caseworker):
    login(caseworker)
    assert client.get("/clients/new").status_code == 200
    response = client.post("/clients/new", data=form_data())
    assert response.status_code == 302
    [stored] = clients_named("Siti Rahmawati")
    assert response.headers["Location"] == f"/clients/{stored.uuid}"
    assert (stored.nik, stored.birth_year, stored.has_ktp, stored.has_kk) == (VALID_NIK, 1990, True, False)
    assert [(held.category.slug, held.since.isoformat()) for held in stored.categories] == [
        ("gelandangan", "2026-01-05")
    ]
    [row] = audit_rows("client.registered")
    # The audit row names the fields, never their values (personal data).
    assert "Siti" not in str(row.details) and VALID_NIK not in str(row.details)
    page = page_text(client.get(response.headers["Location"]))
    assert "Gelandangan" in page and "Kabupaten Cilacap" in page and "Bekasijaya" in page


def test_submitting_the_same_form_twice_registers_one_client(client, login, caseworker):
    login(caseworker)
    assert client.post("/clients/new", data=form_data()).status_code == 302
    assert client.post("/clients/new", data=form_data()).status_code == 302
    assert len(clients_named("Siti Rahmawati")) == 1


def test_a_likely_duplicate_is_offered_then_linked_or_confirmed(client, login, caseworker, new_client):
    existing = new_client(full_name="Muhammad Rizki", sex="male", birth_year=2011, birth_year_estimated=True)
    login(caseworker)
    data = form_data(full_name="Moh. Rizky", sex="male", birth_date="", birth_year="2011", nik="", categories=[])
    response = client.post("/clients/new", data=data)
    assert response.status_code == 409
    page = page_text(response)
    assert "Orang ini mungkin sudah terdaftar" in page
    assert "nama mirip 100, tahun lahir sama" in page
    assert f'href="/clients/{existing.uuid}">Pakai klien ini' in page
    assert "Tetap daftarkan baru" in page
    assert clients_named("Moh. Rizky") == []
    confirmed = client.post("/clients/new", data={**data, "confirm_new": "1"})
    assert confirmed.status_code == 302
    assert len(clients_named("Moh. Rizky")) == 1
    assert audit_rows("client.registered")[-1].details["confirmed_new"] is True


def test_an_existing_nik_is_refused_and_points_at_its_holder(client, login, caseworker, new_client):
    holder = new_client(full_name="Siti Rahma", nik=VALID_NIK)
    login(caseworker)
    response = client.post("/clients/new", data=form_data(full_name="Orang Lain Sama Sekali"))
    assert response.status_code == 409
    page = page_text(response)
    assert "NIK ini sudah terdaftar atas nama Siti Rahma." in page
    assert f"/clients/{holder.uuid}" in page and "Tetap daftarkan baru" not in page
    assert clients_named("Orang Lain Sama Sekali") == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"full_name": " "}, "Wajib diisi."),
        ({"full_name": "x" * 201}, "Paling banyak 200 karakter."),
        ({"aliases": "x" * 401}, "Paling banyak 400 karakter."),
        ({"sex": "lainnya"}, "Pilih laki-laki atau perempuan."),
        ({"birth_date": "1990-02-30"}, "Tanggal tidak valid atau tidak ada di kalender (format TTTT-BB-HH)."),
        ({"birth_date": "2999-01-01"}, "Tanggal tidak boleh di masa depan."),
        ({"birth_date": "", "birth_year": "1850"}, "Tahun lahir harus antara 1900 dan"),
        ({"birth_date": "", "birth_year": "tua"}, "Tahun lahir harus antara 1900 dan"),
        ({"birth_date": "", "birth_year": "²"}, "Tahun lahir harus antara 1900 dan"),
        ({"place_of_birth": "x" * 121}, "Paling banyak 120 karakter."),
        ({"mother_name": "x" * 201}, "Paling banyak 200 karakter."),
        ({"nik": "3275015705900000"}, "Nomor urut NIK (digit 13–16) tidak boleh 0000."),
        ({"kk_number": "123"}, "Nomor KK harus 16 digit; yang diisi 3 digit."),
        ({"phone": "0" * 41}, "Paling banyak 40 karakter."),
        ({"address": "x" * 301}, "Paling banyak 300 karakter."),
        ({"domicile_region_code": "32.75"}, "Kode wilayah 32.75 harus kecamatan atau desa/kelurahan."),
        ({"origin_region_code": "99.99"}, "Kode wilayah 99.99 tidak dikenal."),
        ({"categories_since": "2026-13-01"}, "Tanggal tidak valid atau tidak ada di kalender"),
        ({"categories": ["99999"]}, "Kategori PPKS tidak dikenal atau tidak aktif."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(client, login, caseworker, overrides, message):
    login(caseworker)
    response = client.post("/clients/new", data=form_data(**overrides))
    assert response.status_code == 422
    assert message in page_text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Client)) == 0
    assert audit_rows("client.registered") == []


def test_detail_warns_where_the_nik_disagrees_with_what_was_typed(client, login, caseworker, new_client):
    stored = new_client(full_name="Siti Rahma", nik=VALID_NIK, sex="male", birth_date="1990-05-17")
    login(caseworker)
    page = page_text(client.get(f"/clients/{stored.uuid}"))
    assert "Jenis kelamin yang diisi tidak sama dengan jenis kelamin menurut NIK." in page
    assert "Akta kelahiran" in page and "belum ada" in page


def test_search_ranks_names_and_finds_a_nik(client, login, caseworker, new_client):
    new_client(full_name="Muhammad Rizki")
    new_client(full_name="Rizky Amalia", nik=VALID_NIK)
    new_client(full_name="Budi Santoso")
    login(caseworker)
    body = table_body(client.get("/clients/?q=moh+rizki"))
    assert body.index("Muhammad Rizki") < body.index("Rizky Amalia")
    assert "Budi Santoso" not in body
    by_nik = table_body(client.get("/clients/?q=3275 0157"))
    assert "Rizky Amalia" in by_nik and "Muhammad Rizki" not in by_nik
    assert "Budi Santoso" in table_body(client.get("/clients/"))


def test_edit_with_the_current_version(client, login, caseworker, new_client):
    stored = new_client(full_name="Wagiman", birth_year=1947, birth_year_estimated=True)
    login(caseworker)
    data = form_data(full_name="Wagiman", nik="", birth_date="", birth_year="1948", version=stored.version)
    response = client.post(f"/clients/{stored.uuid}/edit", data=data)
    assert response.status_code == 302
    db.session.refresh(stored)
    assert (stored.birth_year, stored.birth_year_estimated, stored.version) == (1948, False, 2)
    assert [held.category.slug for held in stored.categories] == ["gelandangan"]
    assert audit_rows("client.updated")[-1].details["fields"][-1] == "categories"


def test_unticking_a_category_ends_it_on_the_date_given(client, login, caseworker, new_client):
    held = [{"category_id": category_id("pengemis"), "since": "2025-01-01"}]
    stored = new_client(full_name="Mulyadi", categories=held)
    login(caseworker)
    data = form_data(full_name="Mulyadi", nik="", categories=[], categories_since="2026-02-01", version=1)
    assert client.post(f"/clients/{stored.uuid}/edit", data=data).status_code == 302
    db.session.refresh(stored)
    assert [(h.since.isoformat(), h.until.isoformat()) for h in stored.categories] == [("2025-01-01", "2026-02-01")]


def test_a_stale_edit_is_shown_with_the_saved_data(client, login, caseworker, new_client):
    stored = new_client(full_name="Wagiman")
    login(caseworker)
    first = form_data(full_name="Wagiman Sastro", nik="", version=1)
    assert client.post(f"/clients/{stored.uuid}/edit", data=first).status_code == 302
    response = client.post(f"/clients/{stored.uuid}/edit", data={**first, "full_name": "Dari Tablet Lama"})
    assert response.status_code == 409
    page = page_text(response)
    assert "sudah diubah orang lain" in page and "Data tersimpan sekarang" in page and "Wagiman Sastro" in page
    db.session.refresh(stored)
    assert stored.full_name == "Wagiman Sastro"


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.VIEWER])
def test_volunteers_and_viewers_cannot_open_the_registry(client, login, staff, new_client, role):
    stored = new_client(full_name="Wagiman")
    login(staff(role))
    assert client.get("/clients/").status_code == 403
    assert client.get(f"/clients/{stored.uuid}").status_code == 403
    assert client.post("/clients/new", data=form_data()).status_code == 403


def test_data_officers_read_but_do_not_register(client, login, staff, new_client):
    stored = new_client(full_name="Wagiman")
    login(staff(Role.DATA_OFFICER))
    assert client.get(f"/clients/{stored.uuid}").status_code == 200
    assert client.get("/clients/new").status_code == 403
    assert client.get(f"/clients/{stored.uuid}/edit").status_code == 403


def test_another_agencys_client_is_not_found(client, login, make, new_client):
    stored = new_client(full_name="Wagiman")
    login(make.user(role=Role.CASEWORKER))
    assert client.get(f"/clients/{stored.uuid}").status_code == 404
    assert client.get("/clients/not-a-uuid").status_code == 404
    assert "Wagiman" not in table_body(client.get("/clients/?q=wagiman"))
