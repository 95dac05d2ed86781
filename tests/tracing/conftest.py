"""Fixtures for tracing and reunification tests: the case fixtures, a case opened 20 days ago, and shortcuts."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from casework.cases.models import CaseEvent, Outcome, Stage
from casework.extensions import db
from casework.tracing import services
from tests.cases import conftest as cases

# The case fixtures: the registry's agency and staff, and a case factory.
office, agency, staff, caseworker, new_client, new_case = (
    cases.office,
    cases.agency,
    cases.staff,
    cases.caseworker,
    cases.new_client,
    cases.new_case,
)

TODAY = date.today()
INTAKE = TODAY - timedelta(days=20)


def day(offset):
    """The ISO date ``offset`` days after the intake of ``open_case``."""
    return (INTAKE + timedelta(days=offset)).isoformat()


def event_kinds(case):
    """The kinds of the case's timeline events, oldest first."""
    return db.session.scalars(
        sa.select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()


def terminate_directly(case):
    """Puts the case in the terminated stage as a closure approval would (test setup, not the operation)."""
    case.stage, case.outcome, case.terminated_on = Stage.TERMINATED, Outcome.REUNIFIED, TODAY
    db.session.flush()


REQUEST = {
    "sought_name": "Siti Aminah",
    "kinship": "mother",
    "last_known_place": "Kampung Cibeureum RT 02",
    "last_known_region_code": "32.75.01",
}
LEAD = {"method": "village_head_letter", "action": "Surat ke lurah Cibeureum", "result": "Keluarga pindah ke Bogor"}
HOME = {
    "member_name": "Siti Aminah",
    "kinship": "mother",
    "address": "Jl. Melati 5, RT 03/RW 01",
    "region_code": "32.75.01",
    "home_safe": "yes",
    "safety_note": "Ibu bekerja tetap, rumah layak, tidak ada riwayat kekerasan.",
}


@pytest.fixture
def open_case(new_case):
    """A case opened 20 days ago (``INTAKE``)."""
    return lambda **data: new_case(intake_date=INTAKE, **data)


@pytest.fixture
def tracing(open_case, caseworker):
    """An open tracing request on a new case, opened the day after intake: ``tracing()`` → (case, request)."""

    def make(case=None):
        case = case or open_case()
        request, _created = services.open_request(case, caseworker, {**REQUEST, "opened_on": day(1)})
        return case, request

    return make


@pytest.fixture
def reunified(tracing, caseworker):
    """A case whose client went home 10 days ago, found by a tracing request: ``reunified()`` → (case, reunion)."""

    def make():
        case, request = tracing()
        services.close_request(case, request, caseworker, request.version, {"status": "found", "closed_on": day(5)})
        data = {**HOME, "tracing_request": str(request.uuid), "reunified_on": day(10)}
        reunion, _created = services.reunify(case, caseworker, data)
        return case, reunion

    return make
