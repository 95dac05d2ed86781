"""The data-subject export: every table holding a person is in it, with their rows and files and nobody else's."""

import io
import json
import zipfile
from datetime import date

import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth.models import Role
from casework.cases.attachments import add_attachment
from casework.cases.notes import add_note
from casework.core.localtime import local_today
from casework.extensions import db
from casework.privacy.consent import record_consent
from casework.privacy.subject import write_subject_export
from tests.files.samples import PDF


def _tables_reaching_client():
    """Every table with a foreign-key path to ``client``, walked here independently of the code under test."""
    reached, changed = {"client"}, True
    while changed:
        changed = False
        for table in db.metadata.sorted_tables:
            targets = {fk.column.table.name for fk in table.foreign_keys if fk.column.table is not table}
            if table.name not in reached and targets & reached:
                reached.add(table.name)
                changed = True
    return reached


def _person(new_client, new_case, caseworker, name, note):
    """A client with a case, a note, a PDF attachment and a consent."""
    person = new_client(full_name=name)
    case = new_case(client=person, intake_date=date(2026, 11, 2))
    add_note(case, caseworker, {"body": note})
    add_attachment(case, caseworker, PDF, {"caption": f"Surat {name}"}, filename="surat.pdf")
    answer = {"purpose": "services", "given": "yes", "method": "signed_form", "recorded_on": local_today()}
    record_consent(person, caseworker, answer)
    return person, case


def _read(archive):
    """{member name: text} of the zip's CSV members, and its manifest."""
    texts = {name: archive.read(name).decode() for name in archive.namelist() if name.endswith(".csv")}
    return texts, json.loads(archive.read("manifest.json"))


def test_the_export_holds_the_person_and_no_one_else(new_client, new_case, caseworker):
    person, case = _person(new_client, new_case, caseworker, "Dewi Lestari", "Catatan tentang Dewi")
    _other, other_case = _person(new_client, new_case, caseworker, "Joko Widodo", "Catatan tentang Joko")
    buffer = io.BytesIO()
    manifest = write_subject_export(person, buffer)
    with zipfile.ZipFile(buffer) as archive:
        texts, _manifest = _read(archive)
        files = [name for name in archive.namelist() if name.startswith("files/")]
    exported = {entry["table"] for entry in manifest["tables"]}
    assert _tables_reaching_client() <= exported
    assert {"stored_file", "audit_event"} <= exported
    everything = "\n".join(texts.values())
    assert "Dewi Lestari" in everything and "Catatan tentang Dewi" in everything and case.number in everything
    assert "Joko" not in everything and other_case.number not in everything
    rows = {entry["table"]: entry["rows"] for entry in manifest["tables"]}
    assert (rows["client"], rows["case_file"], rows["case_note"], rows["client_consent"]) == (1, 1, 1, 1)
    assert rows["stored_file"] == 1 and len(files) == 1
    assert rows["audit_event"] >= 4
    assert texts["tables/client.csv"].count("\n") == 2


def test_the_page_and_its_download(client, login, switch_to, new_client, new_case, caseworker, staff):
    person, _case = _person(new_client, new_case, caseworker, "Dewi Lestari", "Catatan tentang Dewi")
    login(caseworker)
    assert client.get(f"/privacy/subjects/{person.uuid}").status_code == 403
    assert "Data subjek (ekspor)" not in client.get(f"/clients/{person.uuid}").get_data(as_text=True)
    supervisor = switch_to(staff(Role.SUPERVISOR))
    assert "Data subjek (ekspor)" in client.get(f"/clients/{person.uuid}").get_data(as_text=True)
    assert "Unduh data (ZIP)" in client.get(f"/privacy/subjects/{person.uuid}").get_data(as_text=True)
    response = client.post(f"/privacy/subjects/{person.uuid}/export")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert f"subjek-{person.uuid}.zip" in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert "Dewi Lestari" in archive.read("tables/client.csv").decode()
    audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "privacy.subject_exported"))
    assert audit.actor_id == supervisor.id and audit.object_id == str(person.id)
    assert "Dewi" not in json.dumps(audit.details)
