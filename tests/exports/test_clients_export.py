"""The client registry as a file: every row the search selects, in the list's order, masked by role, audited."""

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth.models import Role
from casework.extensions import db
from tests.clients.conftest import VALID_NIK
from tests.exports.conftest import read_csv, read_xlsx

HEADINGS = [
    "Nama",
    "Nama lain",
    "Jenis kelamin",
    "Tanggal lahir",
    "Tahun lahir",
    "Tempat lahir",
    "Nama ibu kandung",
    "NIK",
    "No. KK",
    "Telepon",
    "Alamat",
    "Domisili",
    "Daerah asal",
    "Kategori PPKS",
    "Terdaftar",
]


def _registry(new_client):
    """Five clients; Siti with every identity field, Rina named like a formula."""
    siti = new_client(
        full_name="Siti Aminah",
        sex="female",
        birth_date="1990-05-17",
        nik=VALID_NIK,
        kk_number="3275010101900002",
        mother_name="Fatimah",
        phone="081234567890",
        address="Jl. Melati No. 5",
    )
    others = [new_client(full_name=name) for name in ("Budi Santoso", "Citra Lestari", "Dedi Kurnia")]
    formula = new_client(full_name="=HYPERLINK Rina")
    db.session.commit()
    return siti, others, formula


def test_csv_holds_every_client_newest_first_in_full_for_case_staff(
    client, login, caseworker, new_client, small_batches
):
    _registry(new_client)
    login(caseworker)
    rows = read_csv(client.get("/exports/clients.csv?per_page=2&page=2"))
    assert rows[0] == HEADINGS
    # Every page, in the list's order (newest first), whatever page the link was on.
    assert [row[0] for row in rows[1:]] == [
        "'=HYPERLINK Rina",
        "Dedi Kurnia",
        "Citra Lestari",
        "Budi Santoso",
        "Siti Aminah",
    ]
    siti = rows[-1]
    assert siti[2:4] == ["Perempuan", "1990-05-17"]
    assert siti[6:11] == ["Fatimah", VALID_NIK, "3275010101900002", "081234567890", "Jl. Melati No. 5"]
    page = client.get("/clients/?per_page=2").get_data(as_text=True)
    assert "Siti Aminah" in page or "Rina" in page
    assert 'href="/exports/clients.csv?per_page=2"' not in page and 'href="/exports/clients.csv"' in page


def test_a_data_officer_gets_names_and_identity_masked_in_file_and_list(client, login, officer, new_client):
    _registry(new_client)
    login(officer)
    rows = read_csv(client.get("/exports/clients.csv"))
    siti = rows[-1]
    assert siti[0] == "S*** A*****" and siti[6] == "F******"
    assert siti[7] == VALID_NIK[:6] + "*" * 10 and siti[8] == "327501**********"
    assert siti[9] == "*" * 10 + "90" and siti[10] == "J** M***** N** 5"
    text = client.get("/exports/clients.csv").get_data(as_text=True)
    assert "Siti" not in text and "Aminah" not in text and VALID_NIK not in text and "Fatimah" not in text
    page = client.get("/clients/").get_data(as_text=True)
    assert "S*** A*****" in page and "Siti" not in page and VALID_NIK not in page
    assert "Unduh CSV" in page and "Unduh XLSX" in page


def test_a_search_exports_its_matches_only_and_the_audit_keeps_no_searched_text(client, login, caseworker, new_client):
    _registry(new_client)
    login(caseworker)
    rows = read_csv(client.get("/exports/clients.csv?q=Siti Aminah"))
    assert rows[1][0] == "Siti Aminah"
    by_nik = read_csv(client.get(f"/exports/clients.csv?q={VALID_NIK[:8]}"))
    assert [row[0] for row in by_nik[1:]] == ["Siti Aminah"]
    event = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "export.list" and event.actor_id == caseworker.id
    assert event.details == {"list": "klien", "format": "csv", "filters": {"q": "*"}, "rows": 1, "masked": False}
    assert VALID_NIK[:8] not in str(event.details)


def test_xlsx_has_the_same_rows_with_dates_as_dates(client, login, caseworker, new_client):
    _registry(new_client)
    login(caseworker)
    response = client.get("/exports/clients.xlsx")
    assert response.headers["Content-Disposition"].startswith("attachment; filename=klien-")
    values = read_xlsx(response)
    assert list(values[0]) == HEADINGS
    assert [row[0] for row in values[1:]] == [
        "'=HYPERLINK Rina",
        "Dedi Kurnia",
        "Citra Lestari",
        "Budi Santoso",
        "Siti Aminah",
    ]
    assert values[-1][3].date().isoformat() == "1990-05-17" and values[-1][14] is not None


def test_roles_without_the_registry_are_refused(client, login, staff):
    login(staff(Role.VIEWER))
    assert client.get("/exports/clients.csv").status_code == 403
    assert client.get("/api/v1/exports/clients").status_code == 403
