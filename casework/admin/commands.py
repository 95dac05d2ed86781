"""``flask casework init-agency``: a new deployment's agency, its first unit and administrator."""

import click

from casework.admin import services
from casework.auth.models import Role, ScopeKind
from casework.cli import casework_cli
from casework.core.errors import ValidationFailed
from casework.extensions import db
from casework.org.models import UnitKind


@casework_cli.command("init-agency")
@click.option("--code", required=True, help="Agency code, e.g. DINSOS-3275.")
@click.option("--name", required=True, help='Agency name, e.g. "Dinas Sosial Kota Bekasi".')
@click.option("--level", required=True, type=click.Choice(["province", "city"]), help="Level of government.")
@click.option("--region", "region_code", required=True, help="Kemendagri code: 32 (province) or 32.75 (city).")
@click.option("--admin-username", required=True)
@click.option("--admin-name", required=True, help="The administrator's full name.")
@click.password_option("--admin-password", help="Asked for when not given.")
def init_agency_command(code, name, level, region_code, admin_username, admin_name, admin_password):
    """Creates the agency, a Sekretariat unit and the first administrator; all or nothing."""
    try:
        agency = services.create_agency(code=code, name=name, level=level, region_code=region_code)
        unit = services.create_unit(agency, code="SEKR", name="Sekretariat", kind=UnitKind.DIVISION.value)
        services.create_user(
            agency,
            password=admin_password,
            username=admin_username,
            full_name=admin_name,
            role=Role.ADMIN.value,
            unit_id=unit.id,
            scope_kind=ScopeKind.AGENCY.value,
        )
    except ValidationFailed as error:
        db.session.rollback()
        for field, messages in error.fields.items():
            for message in messages:
                click.echo(f"{field}: {message}", err=True)
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"{agency.name} is ready; sign in as {admin_username}.")
