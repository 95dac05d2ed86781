"""Which SPM service type a case counts under: derived from the client, the setting and the agency, never typed."""

import sqlalchemy as sa

from casework.cases.models import Setting
from casework.extensions import db
from casework.reference.models import GovLevel, Service, SpmGroup, SpmServiceType

# When a client holds categories of several groups, the most protective standard applies:
# a child first, then a person with a disability, an elderly person, a homeless person or beggar.
GROUP_PRIORITY = (SpmGroup.CHILD, SpmGroup.DISABILITY, SpmGroup.ELDERLY, SpmGroup.HOMELESS_BEGGAR)


def held_groups(client, on):
    """The SPM groups of the categories ``client`` holds on the date ``on``."""
    return {
        held.category.spm_group
        for held in client.categories
        if held.since <= on and (held.until is None or held.until >= on) and held.category.spm_group
    }


def derive_spm_service_type(case, on):
    """The SPM service type of ``case`` on the date ``on``, or None when no standard applies.

    A city or regency serves outside panti; a province serves in its panti.
    A city case placed in a panti is served under the province's standard,
    so it does not count for the city.
    """
    groups = held_groups(case.client, on)
    group = next((group for group in GROUP_PRIORITY if group in groups), None)
    return _type_for(group, case, case.agency.level)


def _type_for(group, case, level):
    """The service type of ``group`` at the agency's ``level``, given the case's setting."""
    if group is None or (level == GovLevel.CITY and case.setting == Setting.PANTI):
        return None
    return db.session.scalar(
        sa.select(SpmServiceType).where(SpmServiceType.level == level, SpmServiceType.target_group == group)
    )


def suggested_services(case, on):
    """Active services for the assessment: (the package of the SPM type the case would count under, the others).

    The package comes in the standard's order; the other catalogued services by name.
    """
    spm_type = derive_spm_service_type(case, on)
    package = [item.service for item in spm_type.package if item.service.active] if spm_type else []
    taken = [service.id for service in package]
    others = db.session.scalars(
        sa.select(Service).where(Service.active.is_(True), Service.id.not_in(taken)).order_by(Service.name)
    ).all()
    return package, others
