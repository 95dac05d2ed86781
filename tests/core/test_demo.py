"""Demo data: a city agency with one user per role, loaded idempotently."""

import sqlalchemy as sa

from casework.auth.models import Role, User
from casework.demo import load_demo_data
from casework.extensions import db
from casework.org.models import Unit, UnitKind


def test_demo_agency_has_every_role_and_twelve_districts(app):
    logins = load_demo_data()
    assert {login["role"] for login in logins} == {role.value for role in Role}
    districts = db.session.scalars(sa.select(Unit.region_code).where(Unit.kind == UnitKind.DISTRICT_UNIT)).all()
    assert len(districts) == 12
    assert all(code.startswith("32.75.") for code in districts)
    shelter = db.session.scalar(sa.select(Unit).where(Unit.kind == UnitKind.RUMAH_SINGGAH))
    assert shelter.capacity == 30


def test_demo_data_is_idempotent(app):
    load_demo_data()
    users = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    units = db.session.scalar(sa.select(sa.func.count()).select_from(Unit))
    load_demo_data()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == users
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Unit)) == units


def test_every_printed_demo_login_works(client):
    for login in load_demo_data():
        response = client.post("/login", data={"username": login["username"], "password": login["password"]})
        assert response.status_code == 302, login["username"]
        client.post("/logout")


def test_demo_data_command_prints_the_logins(app):
    result = app.test_cli_runner().invoke(args=["casework", "demo-data"])
    assert result.exit_code == 0, result.output
    assert "supervisor" in result.output and "Demo-Bekasi-2026" in result.output
