"""What a case synthesis draws from: the synthetic staff (created on first use), villages, SPM packages, clients.

Read once per synthesis, so the generator in ``casework.cases.synth`` runs on
plain values and never queries while it draws.
"""

from array import array
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from casework.auth.models import Role, ScopeKind, User
from casework.cases.models import CaseNumberCounter
from casework.cases.spm import GROUP_PRIORITY
from casework.cases.stays import SHELTER_KINDS
from casework.clients.models import Client, ClientCategory
from casework.clients.synth import SynthError
from casework.extensions import db
from casework.org.models import Unit, UnitKind
from casework.reference.models import Category, Region, Service, SpmPackageItem, SpmServiceType

UNITS = 20
HOLDERS_PER_UNIT = 10
# Needs of clients of no SPM group (and of a level without a standard for theirs).
GENERIC_NEEDS = ("bimbingan-fisik-mental-spiritual-sosial", "fasilitasi-dokumen-kependudukan", "rujukan", "sandang")


@dataclass
class SynthSetting:
    """What one synthesis draws from: holders and their units, villages, packages, services, shelters."""

    agency_id: int
    today: date
    stay_limit: int
    holders: list[tuple[int, int]]
    villages: list[str]
    types: dict[int, tuple[int, list[int]]]
    services: dict[str, tuple[int, str, int | None]]
    shelters: list[int]
    counters: dict[int, int]


def synthetic_staff(agency):
    """The agency's synthetic units and case holders (one supervisor, nine caseworkers each); creates missing ones.

    They cannot sign in: their password hash matches no password.
    """
    units = {unit.code: unit for unit in db.session.scalars(sa.select(Unit).where(Unit.agency_id == agency.id))}
    users = set(db.session.scalars(sa.select(User.username).where(User.agency_id == agency.id)))
    for number in range(1, UNITS + 1):
        code = f"SYN-{number:02d}"
        if code not in units:
            units[code] = Unit(
                agency_id=agency.id, code=code, name=f"Unit Sintetis {number:02d}", kind=UnitKind.DISTRICT_UNIT
            )
            db.session.add(units[code])
        for serial in range(HOLDERS_PER_UNIT):
            # Usernames are unique across agencies.
            username = f"syn-{agency.id}-{number:02d}-{serial:02d}"
            if username not in users:
                role = Role.SUPERVISOR if serial == 0 else Role.CASEWORKER
                db.session.add(
                    User(
                        agency_id=agency.id,
                        unit=units[code],
                        username=username,
                        role=role,
                        full_name=f"Pekerja Sosial Sintetis {number:02d}-{serial:02d}",
                        scope_kind=ScopeKind.AGENCY,
                        password_hash="!synthetic",  # noqa: S106 (not a hash: no password matches it)
                    )
                )
    db.session.flush()
    return db.session.execute(
        sa.select(User.id, User.unit_id)
        .where(User.agency_id == agency.id, User.username.like("syn-%"))
        .order_by(User.id)
    ).all()


def synth_setting(agency, today):
    """The staff, villages, SPM packages, services, shelters and case counters a synthesis draws from."""
    villages = db.session.scalars(
        sa.select(Region.code)
        .where(Region.level == 4, Region.code.startswith(f"{agency.region_code}."), Region.retired.is_(False))
        .order_by(Region.code)
    ).all()
    if not villages:
        raise SynthError(f"agency {agency.code} needs villages in region {agency.region_code}")
    services = {
        row.slug: (row.id, row.default_unit, row.max_days)
        for row in db.session.execute(
            sa.select(Service.slug, Service.id, Service.default_unit, Service.max_days).where(Service.active.is_(True))
        )
    }
    types = {}
    for priority, group in enumerate(GROUP_PRIORITY):
        spm_type = db.session.scalar(
            sa.select(SpmServiceType).where(SpmServiceType.level == agency.level, SpmServiceType.target_group == group)
        )
        if spm_type is not None:
            package = db.session.scalars(
                sa.select(SpmPackageItem.service_id).where(SpmPackageItem.spm_service_type_id == spm_type.id)
            ).all()
            types[priority] = (spm_type.id, package)
    shelters = db.session.scalars(
        sa.select(Unit.id).where(Unit.agency_id == agency.id, Unit.kind.in_(SHELTER_KINDS), Unit.active.is_(True))
    ).all()
    counter = CaseNumberCounter.__table__
    counters = dict(
        db.session.execute(sa.select(counter.c.year, counter.c.last).where(counter.c.agency_id == agency.id)).all()
    )
    return SynthSetting(
        agency.id,
        today,
        agency.stay_limit_days,
        [tuple(row) for row in synthetic_staff(agency)],
        villages,
        types,
        services,
        list(shelters),
        counters,
    )


def client_groups(agency_id):
    """The agency's client ids, newest first, and each one's SPM group priority (len(GROUP_PRIORITY): none)."""
    none = len(GROUP_PRIORITY)
    priority = sa.case(*((Category.spm_group == group, rank) for rank, group in enumerate(GROUP_PRIORITY)), else_=none)
    rows = db.session.execute(
        sa.select(Client.id, sa.func.min(priority))
        .outerjoin(ClientCategory, ClientCategory.client_id == Client.id)
        .outerjoin(Category, Category.id == ClientCategory.category_id)
        .where(Client.agency_id == agency_id)
        .group_by(Client.id)
        .order_by(Client.id.desc())
    )
    ids, groups = array("q"), bytearray()
    for client_id, rank in rows:
        ids.append(client_id)
        groups.append(none if rank is None else rank)
    return ids, groups
