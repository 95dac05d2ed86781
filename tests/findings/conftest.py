"""Fixtures for findings and complaints: the case fixtures, a Bantargebang district unit and its volunteer, and
shortcuts that file reports through the services (``new_finding``, ``new_complaint``).

The agency is Kota Bekasi (32.75); the volunteer's scope is the district Bantargebang (32.75.07).
"""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from casework.auth.models import Role, ScopeKind
from casework.extensions import db
from casework.findings import services
from casework.findings.models import Report, ReportEvent
from casework.org.models import UnitKind
from tests.cases import conftest as cases

# The case fixtures: the registry's agency and staff, clients, cases, a supervisor and PPKS categories by slug.
office, agency, staff, caseworker, new_client, new_case, supervisor, category = (
    cases.office,
    cases.agency,
    cases.staff,
    cases.caseworker,
    cases.new_client,
    cases.new_case,
    cases.supervisor,
    cases.category,
)

TODAY = date.today()
DISTRICT = "32.75.07"  # Bantargebang, Kota Bekasi
VILLAGE = "32.75.07.1004"  # Cikiwul, in Bantargebang
OTHER_DISTRICT_VILLAGE = "32.75.01.1001"  # Bekasijaya, Bekasi Timur: same city, another district
OUTSIDE_AGENCY_VILLAGE = "32.73.01.1001"  # Sukarasa, Kota Bandung
FINDING = {
    "region_code": VILLAGE,
    "place": "Depan pasar Bantargebang, dekat pangkalan ojek",
    "description": "Seorang lansia tidur di emperan toko, tampak sakit dan tidak ada keluarga.",
    "urgency": "soon",
    "consent_given": True,
    "person_name": "Mbah Karto",
    "person_sex": "male",
    "person_age": "72",
}
COMPLAINT = {
    **FINDING,
    "source": "call_centre",
    "reporter_name": "Ibu Warsini",
    "reporter_contact": "0812-1111-2222",
    "consent_given": False,
}


def finding_data(**changes):
    """A valid finding's fields, seen yesterday, with ``changes``."""
    return {**FINDING, "observed_on": (TODAY - timedelta(days=1)).isoformat(), **changes}


def complaint_data(**changes):
    """A valid complaint's fields, seen yesterday, with ``changes``."""
    return {**COMPLAINT, "observed_on": (TODAY - timedelta(days=1)).isoformat(), **changes}


def report_count():
    """How many reports exist."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Report))


def event_kinds(report):
    """The kinds of the report's events, oldest first."""
    return db.session.scalars(
        sa.select(ReportEvent.kind).where(ReportEvent.report_id == report.id).order_by(ReportEvent.id)
    ).all()


@pytest.fixture
def district_unit(make, agency, office):
    """The agency's unit for the district Bantargebang: the queue of the findings made there."""
    return make.unit(
        agency=agency,
        code="KEC-07",
        name="Satpel Kecamatan Bantargebang",
        kind=UnitKind.DISTRICT_UNIT,
        region_code=DISTRICT,
        parent=office,
    )


@pytest.fixture
def volunteer(make, district_unit):
    """A TKSK of the district unit whose scope is Bantargebang."""
    return make.user(role=Role.VOLUNTEER, unit=district_unit, scope_kind=ScopeKind.DISTRICTS, regions=[DISTRICT])


@pytest.fixture
def other_volunteer(make, district_unit):
    """A second TKSK of the same district, to check that one never sees the other's findings."""
    return make.user(role=Role.VOLUNTEER, unit=district_unit, scope_kind=ScopeKind.DISTRICTS, regions=[DISTRICT])


@pytest.fixture
def new_finding(agency, volunteer):
    """Files a finding by ``volunteer`` (or ``by=``) through the service: ``new_finding(urgency="emergency")``."""

    def file(by=None, photos=(), **changes):
        report, _created = services.submit_finding(agency, by or volunteer, finding_data(**changes), photos)
        return report

    return file


@pytest.fixture
def new_complaint(agency, caseworker):
    """Files a complaint entered by the caseworker (or ``by=``) through the service."""

    def file(by=None, photos=(), **changes):
        report, _created = services.submit_complaint(agency, by or caseworker, complaint_data(**changes), photos)
        return report

    return file
