"""The retention page (admins only, every field checked) and the two ``flask casework privacy`` commands."""

import json
import zipfile
from datetime import date

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth.models import Role
from casework.clients.models import Client
from casework.extensions import db
from casework.privacy.models import RetentionKind
from casework.privacy.retention import DEFAULTS, periods


def test_admins_set_the_periods(client, login, switch_to, staff, agency):
    login(staff(Role.SUPERVISOR))
    assert client.get("/privacy/retention").status_code == 403
    switch_to(staff(Role.ADMIN))
    page = client.get("/privacy/retention").get_data(as_text=True)
    assert "Bawaan: 10" in page and 'value="30"' in page
    refused = client.post("/privacy/retention", data={"closed_cases": "2", "reports": "abc", "import_files": ""})
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "Isi bilangan bulat 3–100." in text and "Isi bilangan bulat 1–100." in text and "Wajib diisi." in text
    assert periods(agency.id) == DEFAULTS
    saved = client.post("/privacy/retention", data={"closed_cases": "7", "reports": "5", "import_files": "14"})
    assert saved.status_code == 302
    assert periods(agency.id) == {
        RetentionKind.CLOSED_CASES: 7,
        RetentionKind.REPORTS: 5,
        RetentionKind.IMPORT_FILES: 14,
    }
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "privacy.retention_updated"))
    assert audit.details == {"closed_cases": 7, "reports": 5, "import_files": 14}


def test_the_anonymise_command(app, ended_case):
    person = ended_case(date(2015, 6, 30)).client
    db.session.commit()
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["casework", "privacy", "anonymise", "--dry-run", "--today", "2026-12-01"])
    assert dry.exit_code == 0, dry.output
    assert "1 clients" in dry.output and "dry run" in dry.output
    assert db.session.get(Client, person.id).full_name == "Siti Aminah"
    done = runner.invoke(args=["casework", "privacy", "anonymise", "--today", "2026-12-01"])
    assert done.exit_code == 0 and "anonymised/removed: 1 clients" in done.output
    assert db.session.get(Client, person.id).full_name == f"Anonim-{person.id}"
    again = runner.invoke(args=["casework", "privacy", "anonymise", "--today", "2026-12-01"])
    assert "anonymised/removed: 0 clients" in again.output


def test_the_subject_export_command(app, new_client, tmp_path):
    person = new_client(full_name="Dewi Lestari")
    db.session.commit()
    target = tmp_path / "subjek.zip"
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["casework", "privacy", "subject-export", "--client", str(person.uuid), "--out", str(target)]
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(target) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert "Dewi Lestari" in archive.read("tables/client.csv").decode()
    assert manifest["client"]["uuid"] == str(person.uuid)
    missing = runner.invoke(args=["casework", "privacy", "subject-export", "--client", "nope", "--out", str(target)])
    assert missing.exit_code != 0 and "not a UUID" in missing.output
