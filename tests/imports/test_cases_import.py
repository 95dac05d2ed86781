"""Importing cases: client references, intake, stays, stages with their dates, numbers, SPM type, timeline."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.models import Case, CaseEvent, CaseStay, Stage
from casework.extensions import db
from casework.imports.models import JobStatus
from casework.org.models import UnitKind
from tests.clients.conftest import VALID_NIK
from tests.imports.helpers import checked, csv_bytes, errors, imported

TODAY = date(2026, 11, 20)
CLIENT_HEADER = ["kode_sumber", "full_name", "sex", "birth_date", "nik", "categories"]
HEADER = [
    "kode_sumber",
    "client_key",
    "client_nik",
    "intake_channel",
    "intake_date",
    "caseworker",
    "stay_unit",
    "admitted_on",
    "discharged_on",
    "stage",
    "assessed_on",
    "planned_on",
    "outcome",
    "terminated_on",
]


@pytest.fixture
def officer(staff):
    return staff(Role.DATA_OFFICER)


@pytest.fixture
def shelter(make, agency):
    return make.unit(agency=agency, code="RS1", name="Rumah Singgah Uji", kind=UnitKind.RUMAH_SINGGAH, capacity=20)


@pytest.fixture
def clients_imported(agency, officer):
    rows = [
        ["K1", "Siti Aminah", "P", "17/05/1990", VALID_NIK, "lanjut-usia-telantar (01/01/2020)"],
        ["K2", "Budi Hartono", "L", "01/01/2015", "", "anak-jalanan (01/01/2024)"],
    ]
    job = imported(
        checked(agency, officer, "clients", csv_bytes(CLIENT_HEADER, rows), today=TODAY), officer, today=TODAY
    )
    assert job.status == JobStatus.DONE


def _row(**cells):
    return [cells.get(column, "") for column in HEADER]


def test_cases_at_several_stages_are_imported_with_numbers_stays_and_one_event(
    agency, officer, caseworker, shelter, clients_imported
):
    rows = [
        _row(
            kode_sumber="S1",
            client_key="K2",
            intake_channel="outreach",
            intake_date="02/01/2025",
            caseworker=caseworker.username,
            stay_unit="RS1",
            admitted_on="02/01/2025",
        ),
        _row(
            kode_sumber="S2",
            client_nik=VALID_NIK,
            intake_channel="Datang langsung",
            intake_date="2025-03-01",
            caseworker=caseworker.username,
            stage="intervention",
            assessed_on="05/03/2025",
            planned_on="06/03/2025",
        ),
        _row(
            kode_sumber="S3",
            client_key="K2",
            intake_channel="walk_in",
            intake_date="01/06/2024",
            caseworker=caseworker.username,
            stay_unit="RS1",
            admitted_on="01/06/2024",
            stage="terminated",
            outcome="reunified",
            terminated_on="10/06/2024",
        ),
    ]
    job = checked(agency, officer, "cases", csv_bytes(HEADER, rows), today=TODAY)
    assert job.error_count == 0, errors(job)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0
    job = imported(job, officer, today=TODAY)
    assert job.status == JobStatus.DONE, job.failure
    cases = db.session.scalars(sa.select(Case).where(Case.agency_id == agency.id).order_by(Case.intake_date)).all()
    assert [case.number for case in cases] == ["KS-2024-000001", "KS-2025-000001", "KS-2025-000002"]
    closed, sheltered, served = cases
    assert (closed.stage, closed.outcome, closed.setting) == (Stage.TERMINATED, "reunified", "community")
    assert closed.stays[0].discharged_on == date(2024, 6, 10)
    assert (sheltered.setting, sheltered.stays[0].last_allowed_day) == ("shelter", date(2025, 1, 8))
    assert served.stage == Stage.INTERVENTION and served.spm_service_type is not None
    assert served.spm_service_type.target_group == "elderly"
    kinds = db.session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id.in_([case.id for case in cases])))
    assert sorted(kinds) == ["imported"] * 3
    again = imported(checked(agency, officer, "cases", csv_bytes(HEADER, rows), today=TODAY), officer, today=TODAY)
    assert again.applied == {"unchanged": 3}


def test_stage_rules_and_stays_are_checked_per_column(agency, officer, caseworker, shelter, clients_imported):
    user = caseworker.username
    rows = [
        _row(kode_sumber="E1", client_key="K9", intake_channel="outreach", intake_date="02/01/2025", caseworker=user),
        _row(kode_sumber="E2", client_key="K1", intake_channel="teleport", intake_date="02/01/2025", caseworker=user),
        _row(
            kode_sumber="E3",
            client_key="K1",
            intake_channel="outreach",
            intake_date="02/01/2025",
            caseworker=user,
            stay_unit="RS1",
            admitted_on="10/01/2025",
            discharged_on="05/01/2025",
        ),
        _row(
            kode_sumber="E4",
            client_key="K1",
            intake_channel="outreach",
            intake_date="02/01/2025",
            caseworker=user,
            stage="intervention",
        ),
        _row(
            kode_sumber="E5",
            client_key="K1",
            intake_channel="outreach",
            intake_date="02/01/2025",
            caseworker=user,
            stage="terminated",
        ),
        _row(
            kode_sumber="E6",
            client_key="K1",
            intake_channel="outreach",
            intake_date="02/01/2025",
            caseworker=user,
            outcome="died",
            terminated_on="03/01/2025",
        ),
        _row(
            kode_sumber="E7",
            client_key="K1",
            intake_channel="outreach",
            intake_date="02/01/2025",
            caseworker=officer.username,
        ),
    ]
    job = checked(agency, officer, "cases", csv_bytes(HEADER, rows), today=TODAY)
    found = {(line, column) for line, column, _message in errors(job)}
    assert (2, "client_key") in found
    assert (3, "intake_channel") in found
    assert (4, "discharged_on") in found
    assert {(5, "assessed_on"), (5, "planned_on")} <= found
    assert {(6, "outcome"), (6, "terminated_on")} <= found
    assert {(7, "outcome"), (7, "terminated_on")} <= found
    assert (8, "caseworker") in found
    assert job.error_count == 7
    message = next(message for line, column, message in errors(job) if (line, column) == (4, "discharged_on"))
    assert message == "Tanggal keluar tidak boleh sebelum tanggal masuk."
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CaseStay)) == 0
