"""Fixtures for the sync tests: a fresh agency per test in a committed database (deltas compare committed
transactions: inside one rolled-back test transaction, PostgreSQL would see every change as still running).
"""

from datetime import date
from types import SimpleNamespace

import pytest

from casework.auth.models import Role, ScopeKind
from casework.cases.intake import open_case
from casework.clients.services import register_client
from casework.extensions import db
from casework.org.models import UnitKind
from tests.factories import TEST_PASSWORD, Factories

INTAKE_DAY = date(2026, 11, 2)
DISTRICT = "32.75.07"  # Bantargebang, Kota Bekasi
VILLAGE = "32.75.07.1004"  # Cikiwul, in Bantargebang
# A volunteer's finding in their district.
FINDING = {
    "region_code": VILLAGE,
    "place": "Depan pasar Bantargebang",
    "description": "Seorang lansia tidur di emperan toko, tampak sakit.",
    "urgency": "soon",
    "consent_given": True,
    "person_name": "Mbah Karto",
    "person_sex": "male",
    "person_age": "72",
    "observed_on": "2026-11-02",
}


@pytest.fixture
def ctx(committed_app):
    """An app context on the committed database for the whole test."""
    with committed_app.app_context():
        yield committed_app


@pytest.fixture
def field(ctx):
    """A new agency with a division, a district unit and one user per field role, committed."""
    make = Factories()
    office = make.unit(code="REHSOS", name="Bidang Rehabilitasi Sosial")
    district = make.unit(
        agency=office.agency,
        code="KEC-07",
        name="Satpel Bantargebang",
        kind=UnitKind.DISTRICT_UNIT,
        region_code=DISTRICT,
        parent=office,
    )
    users = SimpleNamespace(
        caseworker=make.user(role=Role.CASEWORKER, unit=office),
        other=make.user(role=Role.CASEWORKER, unit=office),
        supervisor=make.user(role=Role.SUPERVISOR, unit=office),
        admin=make.user(role=Role.ADMIN, unit=office),
        viewer=make.user(role=Role.VIEWER, unit=office),
        volunteer=make.user(role=Role.VOLUNTEER, unit=district, scope_kind=ScopeKind.DISTRICTS, regions=[DISTRICT]),
    )
    db.session.commit()
    return SimpleNamespace(agency=office.agency, office=office, users=users)


@pytest.fixture
def new_case(field):
    """Opens and commits a case held by ``holder`` (default: the field caseworker) for a new client."""

    def open_one(holder=None, client=None, name="Budi Santoso", **data):
        holder = holder or field.users.caseworker
        if client is None:
            client, _created = register_client(field.agency, holder, {"full_name": name}, confirm_new=True)
        values = {"intake_channel": "outreach", "intake_date": INTAKE_DAY, **data}
        case, _created = open_case(field.agency, holder, client, values)
        db.session.commit()
        return case

    return open_one


@pytest.fixture
def signed_in(ctx):
    """A test client signed in as ``user`` through the login page."""

    def sign_in(user):
        client = ctx.test_client()
        response = client.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
        assert response.status_code == 302
        return client

    return sign_in


def settle():
    """Ends the test's own read transaction, so its next write starts after the requests' commits.

    In WAL mode a SQLite transaction that read before another connection
    committed cannot start writing (the app's requests end their reads before their first write; a test is
    no request).
    """
    db.session.rollback()
