"""The issue's done-when test: a realistic workbook set with deliberate mistakes, dry run, fix, import, re-import,
and the figures it makes equal to a hand count.

The files (``tests.imports.fixtures.workbooks``) are what an agency brings from
its spreadsheets: nine clients, their nine cases (intake, shelter stay,
assessment with needs, plan, termination) and eleven service deliveries,
filled into the downloaded templates' Indonesian headers.
"""

from datetime import date

import pytest
import sqlalchemy as sa

from casework.auth.models import Role
from casework.cases.models import Case, CaseNeed, CaseStay, ServiceDelivery
from casework.clients.models import Client, ClientCategory
from casework.extensions import db
from casework.figures.achievement import report_for
from casework.imports import load_types
from casework.imports.models import ImportKey, JobStatus
from casework.org.models import UnitKind
from tests.imports.fixtures.workbooks import HAND_COUNT, MISTAKES, workbook_set
from tests.imports.helpers import checked, errors, imported

TODAY = date(2026, 11, 20)
ORDER = ("clients", "cases", "deliveries")
ROWS = {"clients": 9, "cases": 9, "deliveries": 11}


@pytest.fixture
def officer(staff):
    """The data officer who brings the agency's spreadsheets in."""
    return staff(Role.DATA_OFFICER)


@pytest.fixture
def shelter(make, agency):
    """The agency's rumah singgah, code RS1, where one client stayed."""
    return make.unit(agency=agency, code="RS1", name="Rumah Singgah Harapan", kind=UnitKind.RUMAH_SINGGAH, capacity=20)


def _table_counts(agency):
    """Rows of each kind of record the files make, in the agency."""
    cases = sa.select(Case.id).where(Case.agency_id == agency.id)
    counted = {
        "clients": sa.select(sa.func.count()).select_from(Client).where(Client.agency_id == agency.id),
        "categories": sa.select(sa.func.count())
        .select_from(ClientCategory)
        .join(Client, Client.id == ClientCategory.client_id)
        .where(Client.agency_id == agency.id),
        "cases": sa.select(sa.func.count()).select_from(Case).where(Case.agency_id == agency.id),
        "needs": sa.select(sa.func.count()).select_from(CaseNeed).where(CaseNeed.case_id.in_(cases)),
        "stays": sa.select(sa.func.count()).select_from(CaseStay).where(CaseStay.case_id.in_(cases)),
        "deliveries": sa.select(sa.func.count()).select_from(ServiceDelivery).where(ServiceDelivery.case_id.in_(cases)),
        "keys": sa.select(sa.func.count()).select_from(ImportKey).where(ImportKey.agency_id == agency.id),
    }
    return {name: db.session.scalar(query) for name, query in counted.items()}


def _stamps(agency):
    """The clients' versions, the cases' update times and versions: a re-import that changes nothing leaves them."""
    clients = db.session.execute(sa.select(Client.id, Client.version).where(Client.agency_id == agency.id)).all()
    cases = db.session.execute(
        sa.select(Case.id, Case.updated_at, Case.version, Case.needs_met_on).where(Case.agency_id == agency.id)
    ).all()
    return sorted(map(tuple, clients)), sorted(map(tuple, cases))


def _import(agency, officer, record_type, data):
    """Dry run, then the confirmed import, of a file that must be clean; returns the finished job."""
    job = checked(agency, officer, record_type, data, filename=f"{record_type}.xlsx", today=TODAY)
    assert job.error_count == 0, errors(job)
    job = imported(job, officer, today=TODAY)
    assert job.status == JobStatus.DONE, job.failure
    return job


def test_spreadsheet_with_mistakes_dry_run_fix_import_reimport_and_hand_counted_figures(
    agency, officer, caseworker, shelter
):
    load_types()
    with_mistakes = workbook_set(caseworker, with_mistakes=True)
    fixed = workbook_set(caseworker, with_mistakes=False)
    empty = _table_counts(agency)
    found = []

    # Clients: the dry run finds the bad NIK, the unknown village and the client entered twice — and writes nothing.
    job = checked(agency, officer, "clients", with_mistakes["clients"], filename="klien.xlsx", today=TODAY)
    found += [("clients", line, column) for line, column, _message in errors(job)]
    assert job.total == ROWS["clients"] + 1
    assert _table_counts(agency) == empty
    # The officer fixes the file; the clean one imports.
    _import(agency, officer, "clients", fixed["clients"])

    # Cases (their clients are in now): the dry run finds the discharge before the admission.
    job = checked(agency, officer, "cases", with_mistakes["cases"], filename="kasus.xlsx", today=TODAY)
    found += [("cases", line, column) for line, column, _message in errors(job)]
    assert job.counts == {"create": ROWS["cases"] - 1, "error": 1}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case).where(Case.agency_id == agency.id)) == 0
    _import(agency, officer, "cases", fixed["cases"])
    _import(agency, officer, "deliveries", fixed["deliveries"])

    # Exactly the four mistakes, each at its line and column.
    assert found == MISTAKES
    first = _table_counts(agency)
    assert {name: first[name] for name in ("clients", "cases", "deliveries")} == ROWS
    assert first["stays"] == 1 and first["needs"] == 10
    stamps = _stamps(agency)

    # Re-importing the same three files changes nothing: every row is unchanged, no record is touched.
    for record_type in ORDER:
        job = _import(agency, officer, record_type, fixed[record_type])
        assert job.counts == {"unchanged": ROWS[record_type]}
        assert job.applied == {"unchanged": ROWS[record_type]}
    db.session.expire_all()
    assert _table_counts(agency) == first
    assert _stamps(agency) == stamps

    # The figures of 2025 from the imported records equal the hand count.
    for code, (realisation, denominator) in HAND_COUNT.items():
        total = report_for(agency, {"indicator": code, "year": "2025"}).total
        assert (total.realisation, total.denominator if denominator is not None else None) == (
            realisation,
            denominator,
        ), code
