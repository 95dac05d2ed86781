"""The administrator's full agency export page: who may use it, what the download holds, the audit trail."""

import io
import json
import zipfile

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth.models import Role
from casework.clients.models import Client
from casework.extensions import db


@pytest.fixture
def admin(make):
    """An administrator of a fresh agency that holds one client."""
    user = make.user(role=Role.ADMIN, unit=make.unit(agency=make.agency(code="HALAMAN")))
    db.session.add(Client(agency_id=user.agency_id, full_name="Budi Santoso", created_by_id=user.id))
    db.session.flush()
    return user


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.CASEWORKER, Role.DATA_OFFICER, Role.VIEWER, Role.VOLUNTEER])
def test_only_administrators_reach_the_page(client, login, make, admin, role):
    login(make.user(role=role, unit=admin.unit))
    assert client.get("/exports/agency").status_code == 403
    assert client.post("/exports/agency").status_code == 403


def test_the_page_explains_the_export_and_offers_the_download(client, login, admin):
    login(admin)
    page = client.get("/exports/agency")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Ekspor lengkap dinas" in text and "Unduh ekspor lengkap (ZIP)" in text
    assert "Belum pernah diekspor." in text


def test_the_download_is_the_agency_zip_and_is_recorded(client, login, admin, make):
    other = make.user(role=Role.ADMIN)
    db.session.add(Client(agency_id=other.agency_id, full_name="Orang Lain", created_by_id=other.id))
    db.session.flush()
    login(admin)
    response = client.post("/exports/agency", buffered=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=HALAMAN-")
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        clients = archive.read("tables/client.csv").decode()
    assert manifest["agency"]["code"] == "HALAMAN"
    assert next(entry for entry in manifest["tables"] if entry["table"] == "client")["rows"] == 1
    assert "Budi Santoso" in clients and "Orang Lain" not in clients
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "exports.agency_exported"))
    assert audit.actor_id == admin.id and audit.object_id == str(admin.agency_id)
    assert audit.details["rows"] == sum(entry["rows"] for entry in manifest["tables"])
    assert "Budi" not in json.dumps(audit.details)
    page = client.get("/exports/agency").get_data(as_text=True)
    assert admin.full_name in page and "Belum pernah diekspor." not in page
