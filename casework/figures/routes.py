"""Figures pages: indicators, achievement reports and downloads, drill-downs, the SPM index, quality entries.

Reports only read: each view parses the indicator and period (a 422 shows
the form again with the reason), computes the table and renders it. The
quality page saves the entries typed in one form and commits once.
"""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from casework.auth.forms import EmptyForm
from casework.core.errors import ServiceError
from casework.core.masking import may_see_identity
from casework.core.permissions import can, require
from casework.extensions import db
from casework.figures import counted_export, exports, spm
from casework.figures.achievement import TOTAL_ROW, agency_indicators, parse_period, parse_places, report_for
from casework.figures.close_queries import closed_keyed
from casework.figures.drilldown import DENOMINATOR, REALISATION, counted, fact_day, paginate_counted
from casework.figures.forms import AchievementFilterForm, PeriodFilterForm, QualityFilterForm
from casework.figures.labels import DENOMINATOR_LABELS, PERIOD_RULE_LABELS
from casework.figures.targets import REPORTED_BY_LABELS

bp = Blueprint("figures", __name__)


@bp.app_template_filter("figure_percent")
def figure_percent(value, places):
    """A percentage with exactly ``places`` decimals in the page's locale ("107,63"); "—" without one."""
    if value is None:
        return "—"
    return format_decimal(value, format="#,##0" + ("." + "0" * places if places else ""))


@bp.context_processor
def _labels():
    """Label tables and helpers the pages share."""
    return {
        "reported_by_labels": REPORTED_BY_LABELS,
        "denominator_labels": DENOMINATOR_LABELS,
        "period_rule_labels": PERIOD_RULE_LABELS,
        "band_labels": spm.BAND_LABELS,
        "fact_day": fact_day,
    }


@bp.route("/")
@require("figures.view")
def index():
    """The agency's indicators, each linking to its report for this year."""
    indicators = db.session.scalars(agency_indicators(current_user.agency)).all()
    return render_template("figures/index.html", indicators=indicators, filters=PeriodFilterForm())


@bp.route("/achievement")
@require("figures.view")
def report():
    """An indicator's achievement table for a period: per unit realisation, denominator, %, and the total."""
    form = AchievementFilterForm(current_user.agency)
    if not request.args.get("indicator"):
        return render_template("figures/achievement.html", form=form, report=None)
    try:
        shown = report_for(current_user.agency, request.args)
    except ServiceError as error:
        db.session.rollback()
        return render_template("figures/achievement.html", form=form, report=None, error=error), error.status
    return render_template("figures/achievement.html", form=form, report=shown, query=_period_query(shown))


def _period_query(shown):
    """The query arguments that name ``shown`` again (for the drill-down and download links)."""
    return {"indicator": shown.indicator.code, "places": shown.places, **shown.period.as_dict()}


@bp.route("/achievement.<any(csv, xlsx, json):fmt>")
@require("figures.view")
def download(fmt):
    """The report as a CSV, XLSX or JSON file."""
    shown = report_for(current_user.agency, request.args)
    response = Response(exports.render(shown, fmt), content_type=exports.MEDIA_TYPES[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{exports.filename(shown, fmt)}"'
    return response


def _counted():
    """The report, row key, part and select of the rows behind the number the query string names."""
    shown = report_for(current_user.agency, request.args)
    row_key = request.args.get("row", TOTAL_ROW)
    part = request.args.get("part", REALISATION)
    select = counted(current_user.agency, shown.indicator, shown.period, row_key, part, closed_keyed(shown))
    return shown, row_key, part, select


@bp.route("/achievement/counted")
@require("figures.view")
def drilldown():
    """The clients or records behind one number of a report, latest first, as many as the number says."""
    shown, row_key, part, select = _counted()
    row = next((line for line in (*shown.rows, shown.total) if line.key == row_key), None)
    number = None
    if row is not None:
        number = row.denominator if part == DENOMINATOR else row.realisation
    return render_template(
        "figures/counted.html",
        report=shown,
        row=row,
        part=part,
        number=number,
        page=paginate_counted(select),
        query=_period_query(shown),
        show_names=can(current_user, "clients.view"),
        link_cases=can(current_user, "cases.view"),
    )


@bp.route("/achievement/counted.<any(csv, xlsx):fmt>")
@require("figures.view")
def drilldown_download(fmt):
    """Every row behind one number as a CSV or XLSX file, written while it is read (no page limit)."""
    shown, row_key, _part, select = _counted()
    show_names, mask = can(current_user, "clients.view"), not may_see_identity()
    return counted_export.response(shown, select, fmt, row_key, show_names, mask=mask)


@bp.route("/spm")
@require("figures.view")
def spm_index():
    """The SPM index of a period: recipients and quality achievement per service type, index and band."""
    form = PeriodFilterForm()
    try:
        period = parse_period(form.year.data, form.quarter.data, form.month.data)
        places = parse_places(form.places.data)
    except ServiceError as error:
        db.session.rollback()
        return render_template("figures/spm.html", form=form, rows=None, error=error), error.status
    rows, overall = spm.spm_index(current_user.agency, period, places)
    return render_template(
        "figures/spm.html", form=form, rows=rows, overall=overall, period=period, places=places, error=None
    )


def _quality_page(filters, year, quarter, error=None, posted=None, status=200):
    """The quality entry form of a quarter, with what was typed and the reasons after a refusal."""
    agency = current_user.agency
    page = render_template(
        "figures/quality.html",
        filters=filters,
        year=year,
        quarter=quarter,
        types=spm.agency_spm_types(agency),
        entries=spm.quality_entries(agency, year, quarter),
        editable=can(current_user, "figures.manage"),
        error=error,
        posted=posted or {},
        form=EmptyForm(),
    )
    return page, status


def _quality_quarter():
    """The year and quarter of the quality page (the query string's, checked)."""
    filters = QualityFilterForm()
    period = parse_period(filters.year.data, filters.quarter.data)
    return filters, period.year, period.quarter


@bp.get("/quality")
@require("figures.view")
def quality():
    """A quarter's SPM quality results per service type: checklist items meeting the standard of those checked."""
    filters, year, quarter = _quality_quarter()
    return _quality_page(filters, year, quarter)


@bp.post("/quality")
@require("figures.manage")
def save_quality():
    """Saves the quarter's entries; a bad number or an entry changed meanwhile saves none of them."""
    filters, year, quarter = _quality_quarter()
    values = {key: request.form.get(key) for key in request.form if key.split("-")[0] in ("met", "total", "version")}
    try:
        spm.save_quality_quarter(current_user.agency, current_user, year, quarter, values)
    except ServiceError as error:
        db.session.rollback()
        posted = request.form if error.status == 422 else None
        return _quality_page(filters, year, quarter, error, posted, error.status)
    db.session.commit()
    flash(_("Isian mutu triwulan %(q)d tahun %(y)d disimpan.", q=quarter, y=year), "success")
    return redirect(url_for(".quality", year=year, quarter=quarter))
