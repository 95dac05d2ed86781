"""Fuzzing the API from its own document: every operation of ``/api/v1/openapi.json``, called in-process with a
caseworker's real bearer token, never answers 5xx and never answers outside its documented response schema.

Schemathesis generates the requests from the document (a few examples per operation, to stay within the suite's
time budget); everything runs in the per-test rolled-back transaction, so nothing it writes persists. The
operations are driven here with Hypothesis directly: schemathesis' pytest plugin does not run on pytest 9.
"""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from casework.auth.models import Role
from casework.auth.services import issue_token
from tests.security import tally

EXAMPLES = 3
CHECKS = [not_a_server_error, response_schema_conformance]


def _fuzz(operation, headers, failures):
    """Runs ``EXAMPLES`` generated calls of ``operation``; notes the first failure of each operation."""

    @settings(
        max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case=operation.as_strategy())
    def call(case):
        tally.COUNTS["examples"] += 1
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        call()
    except Exception as error:  # every operation is tried; the failures are listed together below
        failures.append(f"{operation.label}: {type(error).__name__}: {str(error)[:600]}")


def test_every_api_operation_answers_without_5xx_and_within_its_schema(app, make):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    _row, token = issue_token(make.user(role=Role.CASEWORKER), "Fuzz")
    headers = {"Authorization": f"Bearer {token}"}
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operations += 1
        _fuzz(result.ok(), headers, failures)
    tally.COUNTS["operations"] += operations
    assert operations > 100
    assert not failures, "\n\n".join(failures)
