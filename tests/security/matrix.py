"""The authorisation matrix as data: which record fills each URL variable, the scopes, and the expected answers.

A route's URL variables are filled from ``VARIABLES`` (a record of the agency in scope or out of scope) or
``GLOBALS`` (the same value for every agency: reference rows, dates, formats). A variable found in neither fails
the test, so a new route cannot escape the matrix. A new scope dimension is one more entry of ``SCOPES``.
"""

from dataclasses import dataclass

from flask import Flask

from casework import create_app
from casework.auth.models import Role
from casework.core.permissions import PERMISSIONS

REUNION_ENDPOINTS = (
    "tracing.reunify",
    "tracing.record_visit",
    "api.get_reunification",
    "api.create_reunification",
    "api.record_followup_visit",
)
EXIT_ENDPOINTS = ("aftercare.exit_assessment", "api.get_exit_assessment", "api.put_exit_assessment")

# URL variable → the record key in ``Records.keys``; (endpoint, variable) overrides the name alone.
VARIABLES = {
    "case_uuid": "case",
    "client_uuid": "client",
    "closure_uuid": "closure",
    "plan_uuid": "return_plan",
    "request_uuid": "tracing_request",
    "referral_uuid": "referral",
    "transfer_uuid": "transfer",
    "file_uuid": "file",
    "merge_id": "merge",
    "event_uuid": "event",
    "site_uuid": "site",
    "household_uuid": "household",
    "person_uuid": "person",
    "job_uuid": "job",
    "pending_uuid": "pending",
    "unit_id": "unit",
    "user_id": "user",
    "notification_id": "own_notification",
    "token_id": "own_token",
    "upload_uuid": "own_upload",
    "visit_id": "followup_visit",
    "report_uuid": "finding",
    "consent_id": "consent",
}
OVERRIDES = {
    ("admin.revoke_token", "token_id"): "user_token",
    ("aftercare.record_visit", "visit_id"): "aftercare_visit",
    ("api.record_aftercare_visit", "visit_id"): "aftercare_visit",
    ("findings.complaint", "report_uuid"): "complaint",
    # A reunion and its follow-up visits live on their own case, an exit assessment on a closed one.
    **{(endpoint, "case_uuid"): "reunion_case" for endpoint in REUNION_ENDPOINTS},
    **{(endpoint, "case_uuid"): "aftercare_case" for endpoint in EXIT_ENDPOINTS},
}
# Records (or global values) named in the query string: endpoint → {argument: record key or global name}.
QUERY = {
    "cases.new": {"client": "client"},
    "disaster_assistance.new_assistance": {"person": "person"},
    "figures.download": {"indicator": "indicator"},
    "figures.drilldown": {"indicator": "indicator"},
    "figures.drilldown_download": {"indicator": "indicator"},
}
# Variables that name no agency's record: filled from ``Globals`` (built with the records), same in every scope.
GLOBAL_VARIABLES = {
    "code",
    "record_type",
    "day",
    "year",
    "month",
    "revision",
    "action",
    "category_id",
    "service_id",
    "type_id",
    "local_code_id",
    "psks_type_id",
}


# The records a case holds or leads to: another unit's are outside a caseworker's or a supervisor's work scope.
CASE_RECORDS = frozenset(
    {
        "case",
        "file",
        "tracing_request",
        "return_plan",
        "referral",
        "closure",
        "transfer",
        "followup_visit",
        "reunion_case",
        "aftercare_visit",
        "aftercare_case",
    }
)


@dataclass(frozen=True)
class Scope:
    """A scope dimension: whose records fill the URL, and what a role holding the permission gets.

    ``varies`` names the records that differ from the "in" scope's (None: all of them); a route naming none of
    them is the same request as in scope, and is not sent again. ``limited`` maps roles to the answer they get
    instead of ``expected``.
    """

    name: str
    records: str  # "A" (the user's agency), "A-unit" (A's records of another unit) or "B" (another agency)
    expected: object  # "allowed" (not 401/403/404, never 5xx) or a status code
    varies: frozenset | None = None
    limited: tuple = ()


SCOPES = (
    Scope("in", "A", "allowed"),
    # A case of the caller's agency held by another unit: out of a caseworker's and a supervisor's work scope.
    Scope("unit", "A-unit", "allowed", CASE_RECORDS, ((Role.CASEWORKER, 403), (Role.SUPERVISOR, 403))),
    Scope("out", "B", 404),
)

# Cells whose answer differs from the rule above: (endpoint, method, scope, role or ANY_ROLE) → (answer, reason).
_RECEIVER_ONLY = "accepting or declining is the receiving agency's; A's transfer goes to a third agency"
_FLASH_AND_BACK = "the page answers any unknown or foreign record with a message and a redirect, the same for all"
ANY_ROLE = "*"
EXCEPTIONS = {
    ("transfers.accept", "POST", "in", ANY_ROLE): (404, _RECEIVER_ONLY),
    ("transfers.decline", "POST", "in", ANY_ROLE): (404, _RECEIVER_ONLY),
    ("notifications.open_one", "POST", "out", ANY_ROLE): (
        302,
        "someone else's notification sends the user back to their own list, marking and revealing nothing",
    ),
    ("client_merges.merge", "POST", "in", ANY_ROLE): (422, "an empty form names no other client to merge"),
    ("imports.decide", "POST", "out", ANY_ROLE): (302, "no decision chosen is refused before the job is read"),
    ("figure_targets.import_confirm", "POST", "out", ANY_ROLE): (302, _FLASH_AND_BACK),
    **{
        (endpoint, "POST", "unit", role): (422, "another unit's case offers break glass: an empty reason is refused")
        for endpoint in ("cases.break_glass", "api.break_glass")
        for role in (Role.CASEWORKER, Role.SUPERVISOR)
    },
    **{
        (endpoint, method, "unit", role): (404, "aftercare visits are listed by holder and unit: others are not found")
        for endpoint, method in (
            ("aftercare.record_visit", "GET"),
            ("aftercare.record_visit", "POST"),
            ("api.record_aftercare_visit", "POST"),
        )
        for role in (Role.CASEWORKER, Role.SUPERVISOR)
    },
    **{
        (endpoint, "POST", "unit", Role.ADMIN): (404, _RECEIVER_ONLY)
        for endpoint in ("transfers.accept", "transfers.decline")
    },
    ("disaster_assistance.distribution_today", "GET", "out", ANY_ROLE): (
        302,
        "redirects to the dated list, which answers 404 for another agency's site",
    ),
}


def route_table():
    """(rule, method, endpoint) for every route but static files, read from an app on a throwaway database."""
    app = create_app({"TESTING": True, "SECRET_KEY": "matrix", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    return sorted(
        (rule.rule, method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    )


def rule_of(app: Flask, path, method):
    """The app's ``Rule`` object for ``path`` answering ``method``."""
    return next(r for r in app.url_map.iter_rules() if r.rule == path and method in r.methods)


def fill(rule, records, globals_, role):
    """The URL variables (and query) of ``rule`` filled for ``role`` from ``records``; LookupError on an unknown one.

    Returns the values and the keys of the agency records among them.
    """
    values, named = {}, set()
    for arg, key in QUERY.get(rule.endpoint, {}).items():
        if key in records.keys:
            named.add(key)
        values[arg] = records.keys[key] if key in records.keys else globals_.values[key]
    for name in rule.arguments - set(rule.defaults or ()):
        converter = rule._converters[name]
        if type(converter).__name__ == "AnyConverter":  # any(...): its first option in alphabetical order
            values[name] = min(converter.items)
            continue
        key = OVERRIDES.get((rule.endpoint, name)) or VARIABLES.get(name)
        if key is not None:
            value = records.keys[key]
            # Per-user records (own token, own notification): anonymous requests name the caseworker's.
            values[name] = value[role or Role.CASEWORKER] if isinstance(value, dict) else value
            named.add(key)
        elif name in GLOBAL_VARIABLES:
            values[name] = globals_.value(rule.endpoint, name)
        else:
            raise LookupError(f"URL variable {name!r} of {rule.rule} has no record in tests/security/matrix.py")
    return values, named


def expected(permission, role, scope, endpoint, method):
    """The expected answer of a cell and the reason when it is an exception.

    The answer is "anonymous" (login redirect or 401), 403, 404 or "allowed". Exceptions apply only to roles
    holding the permission: keyed by the role, or by ``ANY_ROLE`` for all of them.
    """
    if role is None:
        return "anonymous", None
    if Role(role) not in PERMISSIONS[permission]:
        return 403, None
    key = (endpoint, method, scope.name)
    return (
        EXCEPTIONS.get((*key, role))
        or EXCEPTIONS.get((*key, ANY_ROLE))
        or (dict(scope.limited).get(Role(role), scope.expected), None)
    )
