"""No personal data in the logs: every logger captured at DEBUG while real flows handle names, NIKs and phones.

The flows: a failed and a good sign-in, registering a client, searching by
name and by NIK, an API request with a bad body holding a NIK, an import that
fails part-way, and a page that crashes with personal data in its exception.
Then the access log: gunicorn's format (``gunicorn.conf.py``) leaves query
strings and referrers out, since ``/clients/?q=Siti`` names a person.
"""

import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config as GunicornConfig
from gunicorn.glogging import Logger as GunicornLogger

from casework.auth.models import Role
from casework.imports import engine
from config import Config
from tests.clients.conftest import VALID_NIK, agency, caseworker, office, staff  # noqa: F401  (fixtures)
from tests.clients.test_pages import form_data
from tests.imports.helpers import checked, csv_bytes, imported

ROOT = Path(__file__).resolve().parents[2]
NAME = "Siti Rahmawati"
PHONE = "081298765432"
ADDRESS = "Kolong tol Bekasi Timur"
MOTHER = "Painem"
IMPORTED_NAME = "Sulastri Wulandari"
LOGIN_NAME = "sulastri.wulandari"
LOGIN_PASSWORD = "Sulastri-Rahasia-1988"
PERSONAL = (NAME, "Rahmawati", VALID_NIK, PHONE, ADDRESS, MOTHER, IMPORTED_NAME, LOGIN_NAME, LOGIN_PASSWORD)
IMPORT_HEADER = ["kode_sumber", "Nama lengkap", "Jenis kelamin", "Tanggal lahir", "NIK", "Wilayah domisili"]


@pytest.fixture
def everything_logged(caplog):
    """Captures every record of every logger from DEBUG up."""
    caplog.set_level(logging.DEBUG)
    return caplog


def _leaks(records):
    """The (logger, text) of each record whose message, arguments or exception text holds a personal value."""
    found = []
    for entry in records:
        texts = (entry.getMessage(), repr(entry.args), entry.exc_text or "")
        found += [(entry.name, value) for value in PERSONAL for text in texts if value in text]
    return found


def _sign_in_flows(client, caseworker):  # noqa: F811
    """A failed sign-in with a person's name as user name, then the caseworker's good one."""
    failed = client.post("/login", data={"username": LOGIN_NAME, "password": LOGIN_PASSWORD})
    assert failed.status_code == 401
    good = client.post("/login", data={"username": caseworker.username, "password": "Rahasia-Test-2026"})
    assert good.status_code == 302


def _registry_flows(client):
    """Registering a client, searching by name and NIK, and an API body the schema refuses."""
    registered = client.post("/clients/new", data=form_data(full_name=NAME, phone=PHONE, mother_name=MOTHER))
    assert registered.status_code == 302, registered.get_data(as_text=True)
    assert NAME in client.get("/clients/?q=Siti+Rahmawati").get_data(as_text=True)
    assert NAME in client.get(f"/clients/?q={VALID_NIK}").get_data(as_text=True)
    refused = client.post(
        "/api/v1/clients", json={"full_name": NAME, "nik": VALID_NIK, "phone": PHONE, "birth_date": "kemarin"}
    )
    assert refused.status_code == 422
    return registered.headers["Location"]


def _crash_flow(client, monkeypatch, detail_url):
    """The client's page crashes with the person's name and NIK in the exception's message."""
    message = f"tidak terduga untuk {NAME} ({VALID_NIK})"

    def crash(*_args, **_kwargs):
        raise RuntimeError(message)

    monkeypatch.setattr("casework.clients.routes.client_cases", crash)
    assert client.get(detail_url).status_code == 500


def _failing_import(agency, staff, monkeypatch):  # noqa: F811
    """An import of people with NIKs whose second batch fails with a row's values in the error."""
    officer = staff(Role.DATA_OFFICER)
    monkeypatch.setattr(engine, "BATCH_SIZE", 1)
    apply_batch = engine._apply_batch
    row_values = f"{IMPORTED_NAME} {VALID_NIK}"

    def apply_then_fail(job, ctx, record_type, batch):
        tally = apply_batch(job, ctx, record_type, batch)
        if batch[0].line >= 3:
            raise ValueError(row_values)
        return tally

    monkeypatch.setattr(engine, "_apply_batch", apply_then_fail)
    rows = [
        ["B1", IMPORTED_NAME, "P", "17/05/1990", "", "32.75.01"],
        ["B2", f"{IMPORTED_NAME} Dua", "P", "", "", "32.75.01"],
    ]
    job = checked(agency, officer, "clients", csv_bytes(IMPORT_HEADER, rows), new_when_unsure=True)
    assert job.error_count == 0
    job = imported(job, officer)
    assert job.status == "failed"
    assert job.resume_line == 3


def test_personal_data_stays_out_of_every_log_record(
    client,
    caseworker,  # noqa: F811
    agency,  # noqa: F811
    staff,  # noqa: F811
    monkeypatch,
    everything_logged,
):
    _sign_in_flows(client, caseworker)
    detail_url = _registry_flows(client)
    _failing_import(agency, staff, monkeypatch)
    _crash_flow(client, monkeypatch, detail_url)

    records = everything_logged.records
    # The failures were logged (the test looks at real records), by type and place only.
    assert any("unhandled RuntimeError" in entry.getMessage() for entry in records)
    assert any("import job" in entry.getMessage() and "ValueError" in entry.getMessage() for entry in records)
    assert _leaks(records) == []
    assert not [value for value in PERSONAL if value in everything_logged.text]


def test_database_errors_hide_their_parameters():
    # A failed statement's error repeats the values given to it, unless the engine hides them.
    assert Config.SQLALCHEMY_ENGINE_OPTIONS["hide_parameters"] is True


def test_the_gunicorn_access_log_leaves_out_query_strings_and_referrers():
    access_log_format = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["access_log_format"]
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/clients/?q={VALID_NIK}",
        "PATH_INFO": "/clients/",
        "QUERY_STRING": f"q={VALID_NIK}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.1.2.3",
        "HTTP_REFERER": "https://casework.example/clients/?q=Siti+Rahmawati",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[])
    atoms = GunicornLogger(GunicornConfig()).atoms(response, [], environ, timedelta(milliseconds=42))
    line = access_log_format % atoms
    assert "GET /clients/ HTTP/1.1" in line
    assert "10.1.2.3" in line
    assert VALID_NIK not in line
    assert "Siti" not in line
