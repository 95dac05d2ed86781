"""Import pages and API: templates, upload and dry run, decisions, confirmation, progress, permissions."""

import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from casework.auth.models import Role
from casework.clients.models import Client
from casework.extensions import db
from casework.imports.models import ImportJob
from tests.imports.helpers import csv_bytes, xlsx_bytes

HEADER = ["Kode sumber", "Nama lengkap *", "Jenis kelamin", "Tanggal lahir"]


@pytest.fixture(autouse=True)
def inline_jobs(app, monkeypatch):
    """Jobs run in the request that starts them (no thread), so the rolled-back test sees them."""
    monkeypatch.setitem(app.config, "IMPORT_INLINE", True)


@pytest.fixture
def officer(staff, login):
    return login(staff(Role.DATA_OFFICER))


def _clients(agency):
    return db.session.scalars(
        sa.select(Client.full_name).where(Client.agency_id == agency.id).order_by(Client.id)
    ).all()


def _upload(client, data, filename="klien.xlsx", record_type="clients"):
    return client.post(
        "/imports/",
        data={"record_type": record_type, "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def test_xlsx_template_has_indonesian_headers_codes_and_help(client, officer):
    response = client.get("/imports/templates/clients.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert book.sheetnames == ["clients", "Kode", "Petunjuk"]
    header = next(book["clients"].iter_rows(values_only=True))
    assert header[:3] == ("Kode sumber", "Nama lengkap *", "Nama lain")
    codes = [row[0] for row in book["Kode"].iter_rows(values_only=True) if row]
    assert "anak-jalanan" in codes and "L" in codes
    guide = [row[1] for row in book["Petunjuk"].iter_rows(values_only=True) if len(row) > 1]
    assert "full_name" in guide and "categories" in guide
    text = client.get("/imports/templates/cases.csv").data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Kode sumber,Kode sumber klien")


def test_upload_dry_run_confirm_and_done(client, officer, agency):
    data = xlsx_bytes(HEADER, [["A1", "Siti Aminah", "P", "17/05/1990"], ["A2", "Budi", "L", None]], sheet="clients")
    response = _upload(client, data)
    assert response.status_code == 302
    job_page = response.headers["Location"]
    page = client.get(job_page).get_data(as_text=True)
    assert "Hasil pemeriksaan: 2 baris" in page and "Konfirmasi dan impor" in page
    assert _clients(agency) == []
    job = db.session.scalar(sa.select(ImportJob))
    assert client.get(f"/imports/jobs/{job.uuid}/progress").json == {
        "status": "checked",
        "done": 2,
        "total": 2,
        "active": False,
    }
    assert client.post(f"/imports/jobs/{job.uuid}/confirm").status_code == 302
    page = client.get(job_page).get_data(as_text=True)
    assert "Impor selesai" in page
    assert _clients(agency) == ["Siti Aminah", "Budi"]
    assert "Riwayat impor" in client.get("/imports/").get_data(as_text=True)


def test_errors_block_confirmation_and_are_shown_first(client, officer, agency):
    data = csv_bytes(HEADER, [["A1", "Siti", "P", ""], ["A2", "", "X", "32/13/2020"]])
    job_page = _upload(client, data, "k.csv").headers["Location"]
    page = client.get(job_page).get_data(as_text=True)
    assert "1 baris salah" in page
    assert page.index("Wajib diisi.") < page.index("S***")
    job = db.session.scalar(sa.select(ImportJob))
    client.post(f"/imports/jobs/{job.uuid}/confirm")
    assert _clients(agency) == []


def test_not_a_spreadsheet_is_refused_with_a_message(client, officer):
    response = _upload(client, b"\x89PNG\r\n\x1a\n\x00\x00\x00binary", "foto.png")
    assert response.status_code == 422
    assert "CSV (teks UTF-8) atau XLSX" in response.get_data(as_text=True)


def test_decisions_on_the_page_and_masked_names_for_data_officers(client, officer, agency, new_client):
    known = new_client(full_name="Siti Aminah", birth_date="1990-05-17", sex="female")
    db.session.commit()
    job_page = _upload(client, csv_bytes(HEADER, [["A1", "Siti Aminah", "P", "17/05/1990"]]), "k.csv").headers[
        "Location"
    ]
    page = client.get(job_page).get_data(as_text=True)
    assert "S*** A*****" in page and "Siti Aminah" not in page
    job = db.session.scalar(sa.select(ImportJob))
    client.post(f"/imports/jobs/{job.uuid}/decisions", data={"decision-2": str(known.id)})
    client.post(f"/imports/jobs/{job.uuid}/confirm")
    db.session.refresh(job)
    assert job.applied == {"link": 1}
    assert _clients(agency) == ["Siti Aminah"]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CASEWORKER, Role.SUPERVISOR])
def test_only_admins_and_data_officers_import(client, login, staff, role):
    login(staff(role))
    assert client.get("/imports/").status_code == 403
    assert client.get("/imports/templates/clients.xlsx").status_code == 403
    assert client.post("/api/v1/imports/clients").status_code == 403


def test_api_upload_report_decide_confirm(client, officer, agency, new_client):
    known = new_client(full_name="Siti Aminah", birth_date="1990-05-17", sex="female")
    db.session.commit()
    data = csv_bytes(HEADER, [["A1", "Siti Aminah", "P", "17/05/1990"], ["A2", "", "L", ""]])
    response = client.post(
        "/api/v1/imports/clients", data={"file": (io.BytesIO(data), "k.csv")}, content_type="multipart/form-data"
    )
    assert response.status_code == 202
    job = response.json
    assert (job["status"], job["error_count"], job["undecided"]) == ("checked", 1, 1)
    rows = client.get(f"/api/v1/imports/jobs/{job['uuid']}/rows").json
    assert [(item["line"], item["action"]) for item in rows["items"]] == [(3, "error"), (2, "decide")]
    assert rows["items"][0]["errors"] == [{"column": "full_name", "message": "Wajib diisi."}]
    assert rows["items"][1]["candidates"][0]["id"] == known.id
    bad = client.post(
        f"/api/v1/imports/jobs/{job['uuid']}/decisions", json={"decisions": [{"line": 2, "decision": "7"}]}
    )
    assert bad.status_code == 422
    decided = client.post(
        f"/api/v1/imports/jobs/{job['uuid']}/decisions", json={"decisions": [{"line": 2, "decision": "new"}]}
    )
    assert decided.json["undecided"] == 0
    refused = client.post(f"/api/v1/imports/jobs/{job['uuid']}/confirm")
    assert refused.status_code == 422
    assert "salah" in refused.json["error"]["message"]
    assert client.get("/api/v1/imports/jobs/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.post("/api/v1/imports/nonsense", data={}).status_code == 404


def test_a_template_downloaded_in_english_imports(client, officer, agency):
    client.post("/language", data={"lang": "en", "next": "/imports/"})
    header = client.get("/imports/templates/clients.csv").data.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Source ID,Full name *,")
    data = (header + "\r\nE1,Siti Aminah,,P,17/05/1990" + "," * (header.count(",") - 4) + "\r\n").encode()
    job_page = _upload(client, data, "clients.csv").headers["Location"]
    page = client.get(job_page).get_data(as_text=True)
    assert "Check result: 1 rows" in page and "Confirm" in page
