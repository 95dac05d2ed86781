"""Fixtures for data-protection tests: the case fixtures, ending a case on a given day, a consent answer."""

from datetime import date

import pytest

from tests.closure import conftest as closure

office, agency, staff, caseworker, new_client, new_case, supervisor, close_case, switch_to = (
    closure.office,
    closure.agency,
    closure.staff,
    closure.caseworker,
    closure.new_client,
    closure.new_case,
    closure.supervisor,
    closure.close_case,
    closure.switch_to,
)

# The day retention is applied on in the tests: ten years (the default) after 1 December 2016.
TODAY = date(2026, 12, 1)


@pytest.fixture
def ended_case(new_case, new_client, close_case):
    """A case of ``client`` (a new one by default) opened the year before ``on`` and terminated on ``on``."""

    def end(on, client=None, outcome="reunified", **data):
        client = client or new_client(full_name="Siti Aminah", nik=None, phone="08123456789", address="Jl. Mawar 1")
        case = new_case(client=client, intake_date=date(on.year - 1, 1, 2))
        close_case(case, today=TODAY, outcome=outcome, terminated_on=on.isoformat(), **data)
        return case

    return end
