"""The dashboard page of each role, and the figures the home pages' panels show.

- Agency head (viewer) and administrator: the SPM index per service type
  with its band, trends by month, figures by district.
- Data officer: the same, with every indicator's achievement for the year
  so far and the state of the monthly closes.
- Supervisor: their unit's caseload by month, its overdue cases, the
  findings waiting in their triage queue.
- Caseworker: their own cases by stage and overdue.

Pages only read. The year comes from the query string (this year by default; a 422 for a bad one).
"""

from datetime import date

from flask import Blueprint, render_template
from flask_login import current_user

from casework.auth.models import Role
from casework.cases.forms import OVERDUE_LABELS
from casework.cases.labels import STAGE_LABELS
from casework.cases.queries import caseload_counts
from casework.core.pagination import COUNT_BOUND
from casework.core.permissions import can, require
from casework.dashboards import panels
from casework.dashboards.queries import months_to_date
from casework.figures import spm
from casework.figures.achievement import Period
from casework.figures.population import population_total
from casework.figures.standard import SPM_RECIPIENTS, spm_code
from casework.findings.figures_routes import YearForm
from casework.findings.queue import queue_counts

bp = Blueprint("dashboards", __name__)


@bp.context_processor
def _labels():
    """Label tables and helpers the dashboard templates share."""
    return {
        "month_label": panels.month_label,
        "stage_labels": STAGE_LABELS,
        "overdue_labels": OVERDUE_LABELS,
        "band_labels": spm.BAND_LABELS,
        "recipients_code": lambda spm_type: spm_code(spm_type.code, SPM_RECIPIENTS),
    }


def _agency_panels(user, year):
    """The agency-wide panels: SPM index per type, trends by month, figures by district."""
    agency, months = user.agency, months_to_date(year)
    return {
        "spm_types": panels.spm_types(agency, year),
        "flow": panels.case_flow(agency, year, months),
        "spm_trend": panels.spm_trend(agency, year, months),
        "outreach": panels.outreach_trend(agency, year, months),
        "districts": panels.districts(agency, year),
    }


def _data_officer_panels(user, year):
    """The agency-wide panels, every indicator's achievement for the year so far, and the months' closes."""
    return {
        **_agency_panels(user, year),
        "achievement": panels.achievement(user.agency, year),
        "closes": panels.closes(user.agency, year, months_to_date(year)),
    }


def _supervisor_panels(user, year):
    """The unit's caseload by month, its overdue cases, and the findings waiting for the supervisor."""
    _stages, overdue_counts = caseload_counts(user.agency, unit_id=user.unit_id)
    waiting = queue_counts(user) if can(user, "findings.triage") else None
    return {
        "caseload": panels.caseload_trend(user.agency, year, months_to_date(year), user.unit_id),
        "overdue": panels.overdue(overdue_counts),
        "findings_waiting": waiting,
        "case_scope": "unit",
    }


def _caseworker_panels(user, _year):
    """The caseworker's own cases by stage, and those overdue."""
    stage_counts, overdue_counts = caseload_counts(user.agency, caseworker_id=user.id)
    return {"stages": panels.own_stages(stage_counts), "overdue": panels.overdue(overdue_counts), "case_scope": "mine"}


# role -> (template, panels); volunteers have no dashboard (no "dashboards.view").
DASHBOARDS = {
    Role.ADMIN: ("agency", _agency_panels),
    Role.VIEWER: ("agency", _agency_panels),
    Role.DATA_OFFICER: ("data_officer", _data_officer_panels),
    Role.SUPERVISOR: ("supervisor", _supervisor_panels),
    Role.CASEWORKER: ("caseworker", _caseworker_panels),
}


@bp.route("/")
@require("dashboards.view")
def index():
    """The signed-in user's dashboard for the year asked for (this year by default)."""
    form = YearForm()
    year = form.chosen()["year"]
    template, build = DASHBOARDS[current_user.role]
    return render_template(
        f"dashboards/{template}.html", form=form, year=year, count_bound=COUNT_BOUND, **build(current_user, year)
    )


@bp.app_template_global("spm_summary")
def spm_summary():
    """The overall SPM index of the signed-in user's agency this year, its band and its recipients %, for home."""
    year = date.today().year
    _rows, overall = spm.spm_index(current_user.agency, Period(year))
    return {
        "year": year,
        "index": overall.index,
        "band": overall.band,
        "band_label": spm.BAND_LABELS[overall.band] if overall.band else None,
        "recipients": overall.recipients.percent,
    }


@bp.app_template_global("population_summary")
def population_summary():
    """(year, persons): the registered PPKS population of the signed-in user's agency this year."""
    year = date.today().year
    return year, population_total(current_user.agency_id, year)
