"""``flask casework init-agency``: a new deployment's first agency, unit and administrator."""

import sqlalchemy as sa

from casework.auth.models import Role, User
from casework.extensions import db
from casework.org.models import Agency

ARGS = [
    "casework",
    "init-agency",
    "--code",
    "DINSOS-3171",
    "--name",
    "Dinas Sosial Kota Administrasi Jakarta Selatan",
    "--level",
    "city",
    "--region",
    "31.71",
    "--admin-username",
    "admin.jaksel",
    "--admin-name",
    "Ratna Sari",
]


def test_creates_agency_unit_and_an_admin_who_can_sign_in(app, client):
    result = app.test_cli_runner().invoke(args=[*ARGS, "--admin-password", "Ciliwung-Bersih-2026"])
    assert result.exit_code == 0, result.output
    admin = db.session.scalar(sa.select(User).where(User.username == "admin.jaksel"))
    assert admin.role == Role.ADMIN
    assert admin.agency.region_code == "31.71"
    assert admin.unit.name == "Sekretariat"
    response = client.post("/login", data={"username": "admin.jaksel", "password": "Ciliwung-Bersih-2026"})
    assert response.status_code == 302


def test_unknown_region_is_refused_clearly(app):
    args = [*ARGS, "--admin-password", "Ciliwung-Bersih-2026"]
    args[args.index("31.71")] = "31.99"
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 1
    assert "region_code: Kode wilayah 31.99 tidak dikenal." in result.output
    assert db.session.scalar(sa.select(Agency).where(Agency.code == "DINSOS-3171")) is None


def test_weak_password_leaves_no_half_made_agency(app):
    result = app.test_cli_runner().invoke(args=[*ARGS, "--admin-password", "lemah"])
    assert result.exit_code == 1
    assert "password: Kata sandi minimal 10 karakter." in result.output
    assert db.session.scalar(sa.select(Agency).where(Agency.code == "DINSOS-3171")) is None
