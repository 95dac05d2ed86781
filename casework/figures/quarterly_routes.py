"""Pages of the quarterly SPM report: the report with the data officer's entries, its print sheet and its XLSX file.

Each view reads the year and quarter from the query string (a bad one is a
422). The report page saves the quarter's entries typed in one form and
commits once; a refusal shows the form again with what was typed (422) or
the entries as they are now (409).
"""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.auth.forms import EmptyForm
from casework.core.errors import ServiceError
from casework.core.permissions import can, require
from casework.core.types import utcnow
from casework.extensions import db
from casework.figures import quarterly, quarterly_xlsx
from casework.figures.achievement import parse_period
from casework.figures.drilldown import fact_day
from casework.figures.forms import QualityFilterForm
from casework.figures.spm import BAND_LABELS
from casework.figures.standard import SPM_QUALITY, SPM_RECIPIENTS

bp = Blueprint("figures_quarterly", __name__)

ENTRY_FIELDS = ("version", *quarterly.AMOUNTS, *quarterly.TEXTS)


@bp.context_processor
def _helpers():
    """Labels and the drill-down link builder the report's templates share."""
    return {
        "band_labels": BAND_LABELS,
        "counted_url": counted_url,
        "RECIPIENTS": SPM_RECIPIENTS,
        "QUALITY": SPM_QUALITY,
    }


def counted_url(report, line, suffix, part=None):
    """The drill-down of a number of a line: its indicator's total row in the report's period (None: the total line)."""
    code = line.code(suffix)
    if code is None:
        return None
    extra = {"part": part} if part else {}
    return url_for(
        "figures.drilldown", indicator=code, row="total", places=report.places, **report.period.as_dict(), **extra
    )


def _quarter():
    """The filter form and the year and quarter it names (checked: a 422 names the bad field)."""
    filters = QualityFilterForm()
    period = parse_period(filters.year.data, filters.quarter.data)
    return filters, period.year, period.quarter


def _report_page(filters, year, quarter, error=None, posted=None, status=200):
    """The report with the entry form (read-only for those who may not change it)."""
    page = render_template(
        "figures/quarterly/report.html",
        filters=filters,
        report=quarterly.quarterly_report(current_user.agency, year, quarter),
        editable=can(current_user, "figures.manage"),
        error=error,
        posted=posted or {},
        form=EmptyForm(),
    )
    return page, status


@bp.get("/")
@require("figures.view")
def report():
    """The quarter's SPM report: per service type recipients, quality, index, budget, problems and action plan."""
    return _report_page(*_quarter())


@bp.post("/")
@require("figures.manage")
def save():
    """Saves the quarter's entries; a bad value or an entry changed meanwhile saves none of them."""
    filters, year, quarter = _quarter()
    values = {key: request.form.get(key) for key in request.form if key.rsplit("-", 1)[0] in ENTRY_FIELDS}
    try:
        quarterly.save_quarter(current_user.agency, current_user, year, quarter, values)
    except ServiceError as error:
        db.session.rollback()
        posted = request.form if error.status == 422 else None
        return _report_page(filters, year, quarter, error, posted, error.status)
    db.session.commit()
    flash(_("Isian laporan SPM triwulan %(q)d tahun %(y)d disimpan.", q=quarter, y=year), "success")
    return redirect(url_for(".report", year=year, quarter=quarter))


@bp.get("/print")
@require("figures.view")
def print_sheet():
    """The report as one A4 landscape sheet to print, without the app's menus."""
    _filters, year, quarter = _quarter()
    return render_template(
        "figures/quarterly/print.html",
        report=quarterly.quarterly_report(current_user.agency, year, quarter),
        made_on=fact_day(utcnow()),
    )


@bp.get("/report.xlsx")
@require("figures.view")
def download():
    """The report as an XLSX workbook in the submitted layout."""
    _filters, year, quarter = _quarter()
    shown = quarterly.quarterly_report(current_user.agency, year, quarter)
    response = Response(quarterly_xlsx.to_xlsx(shown, fact_day(utcnow())), content_type=quarterly_xlsx.MEDIA_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{quarterly_xlsx.filename(shown)}"'
    return response
