"""A disaster registration carrying a client's NIK is theirs: in their export, anonymised with them."""

import io
import zipfile
from datetime import date

import sqlalchemy as sa

from casework.disasters.models import AffectedPerson
from casework.extensions import db
from casework.privacy.anonymise import MARKER
from casework.privacy.subject import write_subject_export
from casework.privacy.sweep import sweep_agency
from tests.disasters import conftest as disasters
from tests.privacy.conftest import TODAY

event, site, household, member, nik = (
    disasters.event,
    disasters.site,
    disasters.household,
    disasters.member,
    disasters.nik,
)


def test_registrations_by_nik(agency, new_client, ended_case, household):
    person = new_client(full_name="Budi Santoso", nik=nik(7))
    ended_case(date(2015, 6, 30), client=person)
    household([member("Budi Santoso", nik=nik(7)), member("Wati Santoso", sex="female", nik=nik(8))])
    # Found by the NIK alone, whether or not the registration was matched to the client.
    db.session.execute(sa.update(AffectedPerson).values(client_id=None, case_id=None))
    buffer = io.BytesIO()
    manifest = write_subject_export(person, buffer)
    rows = {entry["table"]: entry["rows"] for entry in manifest["tables"]}
    assert rows["affected_person"] == 1
    with zipfile.ZipFile(buffer) as archive:
        text = archive.read("tables/affected_person.csv").decode()
    assert nik(7) in text and "Wati" not in text
    db.session.commit()
    assert sweep_agency(agency, today=TODAY)["clients"] == 1
    names = dict(db.session.execute(sa.select(AffectedPerson.name, AffectedPerson.nik)).all())
    assert names == {MARKER: None, "Wati Santoso": nik(8)}
