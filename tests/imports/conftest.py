"""Fixtures for import tests: the registry's agency and staff, cases, services and terminated cases."""

from tests.aftercare import conftest as aftercare
from tests.cases import conftest as cases

office, agency, staff, caseworker, new_client, new_case, supervisor, close_case, ended_case, assess = (
    aftercare.office,
    aftercare.agency,
    aftercare.staff,
    aftercare.caseworker,
    aftercare.new_client,
    aftercare.new_case,
    aftercare.supervisor,
    aftercare.close_case,
    aftercare.ended_case,
    aftercare.assess,
)
service = cases.service
