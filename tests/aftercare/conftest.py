"""Fixtures for graduation and aftercare tests: the case fixtures, ending a case on a given day, an exit assessment."""

from datetime import date

import pytest

from casework.aftercare.services import record_exit_assessment
from casework.aftercare.variables import DEFAULT_VARIABLES
from casework.auth.models import Role
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

# "Today" for the figures: every +12 and +24 month point of 2024's exits has passed, but +24 of December 2024.
AS_OF = date(2026, 12, 1)
VILLAGE = "32.75.01.1001"


def full_scores(value=4):
    """Every default variable scored ``value``."""
    return {code: value for code, _name, _weight, _top in DEFAULT_VARIABLES}


@pytest.fixture
def ended_case(new_case, new_client, close_case):
    """A new client's case (living in VILLAGE) ended with ``outcome`` on ``on``: ``ended_case(day, "reunified")``."""

    def end(on, outcome="reunified", client=None, **data):
        client = client or new_client(full_name="Siti Aminah", domicile_region_code=VILLAGE)
        case = new_case(client=client, intake_date=date(on.year - 1, 1, 2))
        close_case(case, today=AS_OF, outcome=outcome, terminated_on=on.isoformat(), **data)
        return case

    return end


@pytest.fixture
def assess(caseworker):
    """Records an exit assessment: ``assess(case, "self_reliant", scores={...})``."""

    def record(case, decision="self_reliant", scores=None, **data):
        values = {"assessed_on": case.terminated_on or AS_OF, "decision": decision, "scores": scores or full_scores()}
        values.update(data)
        assessment, _created = record_exit_assessment(case, caseworker, None, values, today=AS_OF)
        return assessment

    return record


@pytest.fixture
def volunteer(make, office):
    """A volunteer (TKSK) whose scope is the district holding VILLAGE."""
    return make.user(role=Role.VOLUNTEER, unit=office, regions=("32.75.01",))
