"""The disaster households import: one row per person, grouped into households registered by the registration."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.auth.models import Role
from casework.clients.models import Sex
from casework.disasters.models import AffectedHousehold, AffectedPerson, Relation
from casework.extensions import db
from casework.imports.models import JobStatus
from tests.disasters import conftest as disasters
from tests.disasters.conftest import TODAY, VILLAGE, member, nik
from tests.imports.helpers import checked, csv_bytes, errors, imported

office, agency, staff, caseworker, new_client, supervisor, event, site, household = (
    disasters.office,
    disasters.agency,
    disasters.staff,
    disasters.caseworker,
    disasters.new_client,
    disasters.supervisor,
    disasters.event,
    disasters.site,
    disasters.household,
)

HEADER = [
    "kode_sumber",
    "event",
    "household",
    "kk_number",
    "full_name",
    "sex",
    "age",
    "birth_date",
    "nik",
    "village",
    "site",
    "elderly",
    "pregnant_or_nursing",
    "under_five",
    "disability",
]
KK = "3275071201080001"
BUDI_NIK = nik(1)
SITI_NIK = nik(2, born=date(1985, 6, 7), sex=Sex.FEMALE)


@pytest.fixture
def officer(staff):
    """The agency's data officer, who runs imports."""
    return staff(Role.DATA_OFFICER)


def _rows(event, site, *, grandpa_age="72", siti_nik=SITI_NIK):
    """Two households: Budi's (head, wife, child, grandfather) at the site, and Joko's (alone, not displaced)."""
    return [
        ["P1", event.number, "K1", KK, "Budi Santoso", "L", "40", "", BUDI_NIK, VILLAGE, site.name, "", "", "", ""],
        ["P2", event.number, "K1", "", "Siti Aminah", "P", "", "07/06/1985", SITI_NIK, "", "", "", "ya", "", ""],
        ["P3", event.number, "K1", "", "Rina", "P", "3", "", "", "", "", "", "", "", ""],
        ["P4", event.number, "K1", "", "Darto", "L", grandpa_age, "", "", "", "", "", "", "", "ya"],
        ["P5", event.name, "K2", "", "Joko", "L", "25", "", siti_nik, VILLAGE, "", "", "", "", ""],
    ]


def _people(event):
    return db.session.scalars(
        sa.select(AffectedPerson).where(AffectedPerson.event_id == event.id).order_by(AffectedPerson.id)
    ).all()


def test_a_file_of_people_registers_its_households_after_the_errors_are_fixed(agency, officer, event, site):
    bad = csv_bytes(HEADER, _rows(event, site, grandpa_age="140"))
    job = checked(agency, officer, "disaster_households", bad, today=TODAY)
    assert job.status == JobStatus.CHECKED
    found = errors(job)
    # Age 140 is refused on its own row and column by the registration's member check.
    assert (5, "age", "Anggota ke-4: umur lebih dari 130 tahun.") in found
    # Siti's NIK given again in another household of the same event.
    assert (6, "nik", "NIK sama dengan baris 3 di bencana ini.") in found
    # A household is registered whole or not at all: Budi's other rows wait for row 5.
    assert {line for line, _column, _message in found} == {2, 3, 4, 5, 6}
    assert job.counts == {"error": 5}
    assert _people(event) == []

    good = csv_bytes(HEADER, _rows(event, site, siti_nik=""))
    job = checked(agency, officer, "disaster_households", good, today=TODAY)
    assert job.error_count == 0, errors(job)
    assert job.counts == {"create": 5}
    assert _people(event) == []
    job = imported(job, officer, today=TODAY)
    assert job.status == JobStatus.DONE, job.failure
    assert job.applied == {"create": 5}

    households = db.session.scalars(
        sa.select(AffectedHousehold).where(AffectedHousehold.event_id == event.id).order_by(AffectedHousehold.id)
    ).all()
    assert len(households) == 2
    budis, jokos = households
    assert (budis.kk_number, budis.region_code, budis.site_id) == (KK, VILLAGE, site.id)
    assert (jokos.kk_number, jokos.site_id) == (None, None)
    people = {person.name: person for person in _people(event)}
    assert [person.name for person in _people(event) if person.household_id == budis.id] == [
        "Budi Santoso",
        "Siti Aminah",
        "Rina",
        "Darto",
    ]
    budi, siti, rina, darto, joko = (people[name] for name in ("Budi Santoso", "Siti Aminah", "Rina", "Darto", "Joko"))
    assert (budi.relation, budi.nik, budi.age_years) == (Relation.HEAD, BUDI_NIK, 40)
    assert (siti.relation, siti.sex, siti.birth_date, siti.pregnant_or_nursing) == (
        Relation.OTHER_RELATIVE,
        Sex.FEMALE,
        date(1985, 6, 7),
        True,
    )
    assert (rina.under_five, rina.elderly) == (True, False)
    assert (darto.elderly, darto.disability, darto.under_five) == (True, True, False)
    assert (joko.household_id, joko.relation, joko.elderly) == (jokos.id, Relation.HEAD, False)
    # The registration service wrote one audit row per household.
    audits = db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "disaster.household_registered")
    )
    assert audits == 2

    again = checked(agency, officer, "disaster_households", good, today=TODAY)
    assert again.counts == {"unchanged": 5}
    again = imported(again, officer, today=TODAY)
    assert again.applied == {"unchanged": 5}
    assert len(_people(event)) == 5


def test_a_new_row_for_a_household_registered_before_is_refused(agency, officer, event, site, household):
    household([member("Ani", nik=SITI_NIK, sex="female")])
    rows = _rows(event, site)[:4]
    job = checked(agency, officer, "disaster_households", csv_bytes(HEADER, rows), today=TODAY)
    found = errors(job)
    assert any(
        line == 3 and column == "nik" and "sudah terdaftar di bencana ini" in message for line, column, message in found
    )
    job = imported(checked(agency, officer, "disaster_households", csv_bytes(HEADER, rows[:1]), today=TODAY), officer)
    assert job.applied == {"create": 1}
    extra = [["P9", event.number, "K1", "", "Anak baru", "L", "1", "", "", "", "", "", "", "", ""]]
    job = checked(agency, officer, "disaster_households", csv_bytes(HEADER, extra), today=TODAY)
    ((line, column, message),) = errors(job)
    assert (line, column) == (2, "household")
    assert "sudah terdaftar lewat impor sebelumnya" in message


def test_a_household_is_never_split_across_batches(agency, officer, event, site, monkeypatch):
    from casework.imports import engine

    # Batches of two rows: Budi's household of four stays whole in one batch, Joko's comes in the next.
    monkeypatch.setattr(engine, "BATCH_SIZE", 2)
    sizes = []
    original = engine._apply_batch
    monkeypatch.setattr(
        engine,
        "_apply_batch",
        lambda job, ctx, kind, batch: sizes.append(len(batch)) or original(job, ctx, kind, batch),
    )
    rows = _rows(event, site, siti_nik="")
    job = checked(agency, officer, "disaster_households", csv_bytes(HEADER, rows), today=TODAY)
    assert job.error_count == 0, errors(job)
    job = imported(job, officer, today=TODAY)
    assert job.applied == {"create": 5}
    assert sizes == [4, 1]
    assert len({person.household_id for person in _people(event)}) == 2
