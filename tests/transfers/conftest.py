"""Fixtures for transfers and returns: the registry's agency (the sender), a receiving agency, their staff."""

import pytest

from casework.auth.models import Role
from casework.reference.models import GovLevel
from casework.transfers import services
from tests.cases import conftest as cases

# The case fixtures: the sending agency (Kota Bekasi), its staff by role, clients and cases.
office, agency, staff, caseworker, supervisor, new_client, new_case, category = (
    cases.office,
    cases.agency,
    cases.staff,
    cases.caseworker,
    cases.supervisor,
    cases.new_client,
    cases.new_case,
    cases.category,
)

# A village of Kota Bandung, where the client comes from.
ORIGIN_VILLAGE = "32.73.01.1001"


@pytest.fixture
def receiver_office(make):
    """The intake division of Dinas Sosial Kota Bandung, another agency of this deployment."""
    other = make.agency(name="Dinas Sosial Kota Bandung", level=GovLevel.CITY, region_code="32.73")
    return make.unit(agency=other, code="REHSOS-BDG", name="Bidang Rehsos Bandung")


@pytest.fixture
def receiver(receiver_office):
    """The receiving agency."""
    return receiver_office.agency


@pytest.fixture
def receiving_supervisor(make, receiver_office):
    """A supervisor of the receiving agency."""
    return make.user(role=Role.SUPERVISOR, unit=receiver_office)


@pytest.fixture
def propose(caseworker, receiver):
    """Proposes transferring ``case`` to the receiving agency (as the caseworker unless ``actor``)."""

    def proposed(case, actor=None, **data):
        values = {"to_agency_id": receiver.id, "reason": "Klien berasal dari Kota Bandung.", **data}
        transfer, _created = services.propose_transfer(case, actor or caseworker, values)
        return transfer

    return proposed


@pytest.fixture
def approved(propose, supervisor):
    """A transfer of ``case`` proposed and approved by the sending supervisor."""

    def approve(case):
        transfer = propose(case)
        return services.decide_transfer(transfer, supervisor, transfer.version, {}, approve=True)

    return approve
