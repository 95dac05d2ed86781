"""Download links of every list: ``/exports/<list>.csv`` and ``.xlsx``, with the list's own filters and permission.

Each view builds the select its list page builds from the same query string
(``casework.exports.selects`` or the feature's own), then ``lists.respond``
audits and streams it. The masking helpers the list templates use to hide
identities from roles without ``clients.identity`` are registered here too.
"""

from flask import Blueprint

from casework.cases.delivery_list import filtered_deliveries
from casework.core.masking import masked, may_see_identity
from casework.core.permissions import require
from casework.exports import figure_tables, selects, specs
from casework.exports.lists import respond
from casework.referrals.list_routes import filtered_referrals

bp = Blueprint("exports", __name__)
FORMAT = "<any(csv, xlsx):fmt>"


@bp.app_template_global("masked")
def masked_value(field, value):
    """``value`` of the sensitive ``field`` as the signed-in user may read it (see ``casework.core.masking``)."""
    return masked(field, value, may_see_identity())


@bp.route(f"/clients.{FORMAT}")
@require("clients.view")
def clients(fmt):
    """The client registry as the list's search selects it, every page, as a CSV or XLSX file."""
    return respond(specs.CLIENTS, selects.clients(), fmt)


@bp.route(f"/cases.{FORMAT}")
@require("cases.view")
def cases(fmt):
    """The caseload of the chosen tab and filters, every page, as a CSV or XLSX file."""
    return respond(specs.CASES, selects.cases(), fmt)


@bp.route(f"/deliveries.{FORMAT}")
@require("cases.view")
def deliveries(fmt):
    """The service deliveries the filters select, every page, as a CSV or XLSX file."""
    return respond(specs.DELIVERIES, filtered_deliveries(), fmt)


@bp.route(f"/referrals.{FORMAT}")
@require("cases.view")
def referrals(fmt):
    """The referrals of the chosen direction and status, every page, as a CSV or XLSX file."""
    return respond(specs.REFERRALS, filtered_referrals(), fmt)


@bp.route(f"/triage.{FORMAT}")
@require("findings.triage")
def triage(fmt):
    """The user's triage queue of findings and complaints, as a CSV or XLSX file."""
    return respond(specs.REPORTS, selects.triage(), fmt)


@bp.route(f"/findings-contribution.{FORMAT}")
@require("findings.figures")
def findings_contribution(fmt):
    """The PSKS contribution per volunteer and per district for the period chosen, as a CSV or XLSX file."""
    return figure_tables.contribution(fmt)


@bp.route(f"/complaint-response.{FORMAT}")
@require("findings.figures")
def complaint_response(fmt):
    """The complaint response rate per month and quarter of the year chosen, as a CSV or XLSX file."""
    return figure_tables.complaint_response(fmt)
