"""The lists' files through the API: ``GET /api/v1/exports/<list>?format=csv|xlsx`` with the list's filters.

Same selects, permissions, masking and audit as the page links
(``casework.exports.routes``); the body is the file, streamed.
"""

from casework.api import bp
from casework.api.openapi import documented
from casework.cases.delivery_list import filtered_deliveries
from casework.core.permissions import require
from casework.exports import selects, specs
from casework.exports.lists import file_format, respond
from casework.referrals.list_routes import filtered_referrals

FILE = {
    "type": "string",
    "format": "binary",
    "description": "The list as a file: CSV (UTF-8, a heading line) or XLSX (`format`), every row the filters "
    "select, in the list's order. Names, NIK, KK, phone and address are masked without `clients.identity`.",
}


@bp.get("/exports/clients")
@require("clients.view")
@documented(FILE, filters=("format", "q"))
def export_clients():
    """The client registry as a CSV or XLSX file; ``q`` searches as the list does."""
    return respond(specs.CLIENTS, selects.clients(), file_format())


@bp.get("/exports/cases")
@require("cases.view")
@documented(FILE, filters=("format", "scope", "stage", "overdue", "q"))
def export_cases():
    """The caseload (``scope`` mine/unit/all, ``stage``, ``overdue``, ``q``) as a CSV or XLSX file."""
    return respond(specs.CASES, selects.cases(), file_format())


@bp.get("/exports/deliveries")
@require("cases.view")
@documented(FILE, filters=("format", "date_from", "date_to", "service", "unit"))
def export_deliveries():
    """The service deliveries (dates ISO, ``service`` and ``unit`` ids) as a CSV or XLSX file."""
    return respond(specs.DELIVERIES, filtered_deliveries(), file_format())


@bp.get("/exports/referrals")
@require("cases.view")
@documented(FILE, filters=("format", "direction", "status"))
def export_referrals():
    """The referrals (``direction`` out/in, ``status``) as a CSV or XLSX file."""
    return respond(specs.REFERRALS, filtered_referrals(), file_format())


@bp.get("/exports/triage")
@require("findings.triage")
@documented(FILE, filters=("format",))
def export_triage():
    """The user's triage queue of findings and complaints as a CSV or XLSX file."""
    return respond(specs.REPORTS, selects.triage(), file_format())
