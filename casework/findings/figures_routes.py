"""Figure pages of findings and complaints: the PSKS contribution, the complaint response rate, response times.

Read-only tables for supervisors, data officers and viewers. The period
filters are read from the query string by the same forms the API uses, so
a page and its endpoint always count the same thing.
"""

from flask import Blueprint, render_template
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import IntegerField, SelectField, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import NumberInput

from casework.admin.forms import FilterForm
from casework.core.i18n import month_name, quarter_name
from casework.core.permissions import require
from casework.findings import figures
from casework.findings.labels import KIND_LABELS
from casework.findings.models import ReportKind

bp = Blueprint("finding_figures", __name__)

YEARS = (2000, 2100)


def _number_or_none(value):
    """A chosen number, or None for the option that chooses nothing."""
    return None if value in (None, "") else int(value)


def _optional_select(label):
    """A select of numbers led by an empty option; an unknown value is refused in Indonesian."""
    return SelectField(
        label,
        coerce=_number_or_none,
        invalid_value_message=_l("Pilihan tidak dikenal."),
        invalid_choice_message=_l("Pilihan tidak dikenal."),
    )


class YearForm(FilterForm):
    """A calendar year (this year when none is given)."""

    year = IntegerField(
        _l("Tahun"),
        validators=[Optional(), NumberRange(*YEARS, message=_l("Tahun harus antara 2000 dan 2100."))],
        invalid_value_message=_l("Isi tahun dengan angka."),
        widget=NumberInput(min=YEARS[0], max=YEARS[1]),
        default=figures.current_year,
    )

    def chosen(self):
        """The chosen filters, this year when the box was left empty; a 422 naming the field when one is invalid."""
        return {"year": figures.current_year(), **self.values()}


class PeriodForm(YearForm):
    """A year, or one month or one quarter of it."""

    month = _optional_select(_l("Bulan"))
    quarter = _optional_select(_l("Triwulan"))

    def __init__(self):
        """Binds the query string; month names come in the active language."""
        super().__init__()
        whole_year = SelectChoice("", _("Setahun penuh"))
        self.month.choices = [whole_year, *(SelectChoice(str(month), month_name(month)) for month in range(1, 13))]
        self.quarter.choices = [whole_year, *(SelectChoice(str(q), quarter_name(q)) for q in figures.QUARTERS)]

    def validate_quarter(self, field):
        """A month or a quarter, never both."""
        if field.data and self.month.data:
            raise ValidationError(_("Pilih bulan atau triwulan, tidak keduanya."))

    def period(self):
        """The chosen period; a 422 naming the field when the filters are invalid."""
        return figures.Period(**self.chosen())


class ResponseTimesForm(YearForm):
    """A year, and findings or complaints only."""

    kind = SelectField(
        _l("Jenis laporan"),
        coerce=lambda value: ReportKind(value) if value else None,
        invalid_value_message=_l("Pilihan tidak dikenal."),
        invalid_choice_message=_l("Pilihan tidak dikenal."),
    )

    def __init__(self):
        """Binds the query string."""
        super().__init__()
        self.kind.choices = [
            SelectChoice("", _("Semua jenis")),
            *(SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()),
        ]


@bp.context_processor
def _figure_helpers():
    """Fixed-decimal formats for the figure tables, and the names of months and quarters."""
    return {
        "percent_text": lambda value: "–" if value is None else format_decimal(value, format="#,##0.00") + "%",
        "tenths_text": lambda value: "–" if value is None else format_decimal(value, format="#,##0.0"),
        "month_name": month_name,
        "quarter_name": quarter_name,
    }


@bp.route("/")
@require("findings.figures")
def contribution():
    """The PSKS contribution: per volunteer and per district, findings reported and the share that reached a case."""
    form = PeriodForm()
    period = form.period()
    context = {
        "form": form,
        "period": period,
        "by_volunteer": figures.contribution_by_volunteer(current_user.agency_id, period),
        "by_district": figures.contribution_by_district(current_user.agency_id, period),
    }
    return render_template("findings/figures/contribution.html", **context)


@bp.route("/complaints")
@require("findings.figures")
def complaints():
    """The complaint response rate per month and quarter of a year, with the year's total."""
    form = YearForm()
    year = form.chosen()["year"]
    response = figures.complaint_response(current_user.agency_id, year)
    return render_template("findings/figures/complaints.html", form=form, year=year, response=response)


@bp.route("/response-times")
@require("findings.figures")
def response_times():
    """Median and 90th-percentile hours to a decision and days to the first visit, per month of receipt."""
    form = ResponseTimesForm()
    chosen = form.chosen()
    times = figures.response_times(current_user.agency_id, chosen["year"], chosen.get("kind"))
    return render_template("findings/figures/response_times.html", form=form, year=chosen["year"], times=times)
