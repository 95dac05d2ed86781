"""Importing clients: registry checks per cell, NIK links, likely duplicates and decisions, idempotent re-import."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.clients.models import Client, ClientNameToken
from casework.extensions import db
from casework.imports import services
from casework.imports.models import ImportKey, JobStatus
from tests.clients.conftest import VALID_NIK
from tests.imports.helpers import checked, csv_bytes, errors, imported, report

TODAY = date(2026, 11, 20)
HEADER = ["kode_sumber", "Nama lengkap", "Jenis kelamin", "Tanggal lahir", "NIK", "Wilayah domisili", "Kategori PPKS"]


@pytest.fixture
def officer(staff):
    """The agency's data officer, who runs imports."""
    return staff(Role.DATA_OFFICER)


def _clients(agency):
    return db.session.scalars(sa.select(Client).where(Client.agency_id == agency.id).order_by(Client.id)).all()


def test_clean_file_creates_clients_with_categories_and_name_words(agency, officer):
    data = csv_bytes(
        HEADER,
        [
            ["A1", "Siti Aminah", "P", "17/05/1990", VALID_NIK, "32.75.01", "anak-jalanan (01/02/2024)"],
            ["A2", "Budi Hartono", "L", "1985-03-02", "", "", ""],
        ],
    )
    job = checked(agency, officer, "clients", data, today=TODAY)
    assert job.status == JobStatus.CHECKED
    assert job.error_count == 0, errors(job)
    assert job.counts == {"create": 2}
    assert _clients(agency) == []
    job = imported(job, officer, today=TODAY)
    assert job.status == JobStatus.DONE, job.failure
    siti, budi = _clients(agency)
    assert (siti.full_name, siti.nik, siti.birth_date, siti.sex) == (
        "Siti Aminah",
        VALID_NIK,
        date(1990, 5, 17),
        "female",
    )
    assert siti.domicile_region_code == "32.75.01"
    assert [(held.category.slug, held.since) for held in siti.categories] == [("anak-jalanan", date(2024, 2, 1))]
    words = db.session.scalars(sa.select(ClientNameToken.token).where(ClientNameToken.client_id == budi.id))
    assert sorted(words) == ["budi", "hartono"]
    keys = db.session.scalars(sa.select(ImportKey.source_key).where(ImportKey.agency_id == agency.id))
    assert sorted(keys) == ["A1", "A2"]


def test_each_cell_error_is_reported_on_its_line_and_column_and_nothing_is_written(agency, officer):
    data = csv_bytes(
        HEADER,
        [
            ["A1", "", "X", "31/02/1990", "1234", "Desa Entah Berantah", "kategori-khayalan (01/02/2024)"],
            ["A2", "Budi", "L", "01/01/2999", "", "", "anak-jalanan"],
            ["A2", "Budi Lagi", "L", "", "", "", ""],
        ],
    )
    job = checked(agency, officer, "clients", data, today=TODAY)
    found = errors(job)
    columns = {(line, column) for line, column, _message in found}
    assert (2, "full_name") in columns
    assert (2, "sex") in columns
    assert (2, "birth_date") in columns
    assert (2, "nik") in columns
    assert (2, "domicile_region") in columns
    assert (2, "categories") in columns
    assert (3, "birth_date") in columns
    assert (3, "categories") in columns
    assert (4, "kode_sumber") in columns
    assert any("Desa Entah Berantah" in message for _line, _column, message in found)
    assert job.error_count == 3
    assert _clients(agency) == []
    with pytest.raises(Exception, match="salah"):
        imported(job, officer, today=TODAY)


def test_region_by_exact_name_and_ambiguous_name_lists_candidates(agency, officer):
    from casework.reference.models import Region

    village = db.session.scalar(sa.select(Region).where(Region.code.like("32.75.01.%"), Region.level == 4).limit(1))
    twins = db.session.execute(
        sa.select(Region.name).where(Region.level == 4).group_by(Region.name).having(sa.func.count() > 1).limit(1)
    ).scalar()
    data = csv_bytes(HEADER, [["A1", "Siti", "P", "", "", village.name, ""], ["A2", "Ani", "P", "", "", twins, ""]])
    job = checked(agency, officer, "clients", data, today=TODAY)
    ((line, column, message),) = errors(job)
    assert (line, column) == (3, "domicile_region")
    assert "kodenya" in message
    assert report(job)[2].action == "create"


def test_exact_nik_links_and_reimport_changes_nothing(agency, officer, new_client):
    known = new_client(full_name="Siti Aminah", nik=VALID_NIK, birth_date="1990-05-17", sex="female")
    rows = [["A1", "Siti Aminah", "P", "17/05/1990", VALID_NIK, "", ""], ["A2", "Joko Widodo", "L", "", "", "", ""]]
    job = imported(checked(agency, officer, "clients", csv_bytes(HEADER, rows), today=TODAY), officer, today=TODAY)
    assert job.applied == {"link": 1, "create": 1}
    assert report(job)[2].target_id == known.id
    before = [(client.id, client.version) for client in _clients(agency)]
    again = checked(agency, officer, "clients", csv_bytes(HEADER, rows), today=TODAY)
    assert again.counts == {"unchanged": 2}
    again = imported(again, officer, today=TODAY)
    assert again.applied == {"unchanged": 2}
    assert [(client.id, client.version) for client in _clients(agency)] == before


def test_changed_row_updates_the_client_it_made(agency, officer):
    rows = [["A1", "Joko Susilo", "L", "", "", "", ""]]
    imported(checked(agency, officer, "clients", csv_bytes(HEADER, rows), today=TODAY), officer, today=TODAY)
    rows = [["A1", "Joko Susilo", "L", "02/03/1970", "", "", "anak-jalanan (01/01/2020)"]]
    job = checked(agency, officer, "clients", csv_bytes(HEADER, rows), today=TODAY)
    assert job.counts == {"update": 1}
    imported(job, officer, today=TODAY)
    (joko,) = _clients(agency)
    assert joko.birth_date == date(1970, 3, 2)
    assert joko.version == 2
    assert [held.category.slug for held in joko.categories] == ["anak-jalanan"]


def test_likely_duplicate_needs_a_decision(agency, officer, new_client):
    known = new_client(full_name="Siti Aminah", birth_date="1990-05-17", sex="female")
    rows = [["A1", "Siti Aminah", "P", "17/05/1990", "", "", ""], ["A2", "Sity Aminah", "P", "17/05/1990", "", "", ""]]
    job = checked(agency, officer, "clients", csv_bytes(HEADER, rows), today=TODAY)
    assert job.counts == {"decide": 2}
    assert [candidate["id"] for candidate in report(job)[2].candidates] == [known.id]
    with pytest.raises(Exception, match="keputusan"):
        services.confirm(job, officer)
    services.decide(job, officer, {2: str(known.id), 3: "new"})
    db.session.commit()
    job = imported(job, officer, today=TODAY)
    assert job.applied == {"link": 1, "create": 1}
    assert len(_clients(agency)) == 2


def test_wrong_decision_is_refused(agency, officer, new_client):
    new_client(full_name="Siti Aminah", birth_date="1990-05-17", sex="female")
    job = checked(agency, officer, "clients", csv_bytes(HEADER, [["A1", "Siti Aminah", "P", "17/05/1990", "", "", ""]]))
    with pytest.raises(Exception, match="keputusan"):
        services.decide(job, officer, {2: "999999"})


def test_undecided_rows_are_skipped_or_registered_when_unsure(agency, officer, new_client):
    new_client(full_name="Siti Aminah", birth_date="1990-05-17", sex="female")
    rows = [["A1", "Siti Aminah", "P", "17/05/1990", "", "", ""]]
    job = checked(agency, officer, "clients", csv_bytes(HEADER, rows), today=TODAY, new_when_unsure=True)
    job = imported(job, officer, today=TODAY)
    assert job.applied == {"create": 1}
    assert len(_clients(agency)) == 2


def test_a_failed_batch_is_rolled_back_and_the_import_resumes(agency, officer, monkeypatch):
    from casework.imports import engine

    monkeypatch.setattr(engine, "BATCH_SIZE", 2)
    rows = [[f"A{n}", f"Orang Nomor{chr(97 + n)}x Uji", "L", "", "", "", ""] for n in range(5)]
    job = checked(agency, officer, "clients", csv_bytes(HEADER, rows), today=TODAY)
    job = imported(job, officer, today=TODAY, fail_at_line=4)
    assert job.status == JobStatus.FAILED
    assert job.resume_line == 4
    assert "baris 4" in job.failure
    assert len(_clients(agency)) == 2
    services.resume(job, officer)
    db.session.commit()
    job = services.process(job.id, today=TODAY)
    assert job.status == JobStatus.DONE
    assert job.applied == {"create": 5}
    assert len(_clients(agency)) == 5
