"""The desk and notification tests' fixtures: the closure fixtures (a case, two supervisors, switching users)."""

from tests.closure.conftest import (  # noqa: F401  (fixtures)
    agency,
    caseworker,
    close_case,
    new_case,
    new_client,
    office,
    other_supervisor,
    shelter,
    staff,
    supervisor,
    switch_to,
)
