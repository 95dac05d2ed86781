"""Forms of the figures pages: which indicator and period a report shows, and the quarter's quality entries."""

from datetime import date

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from casework.admin.forms import FilterForm
from casework.extensions import db
from casework.figures.achievement import DEFAULT_PLACES, PLACES, agency_indicators


def _quarter_field():
    """A quarter, or none (the year, or a month)."""
    return SelectField(
        _l("Triwulan"),
        choices=[SelectChoice("", _l("— setahun / per bulan —"))]
        + [SelectChoice(str(q), _l("Triwulan %(q)d", q=q)) for q in range(1, 5)],
        default="",
    )


def _month_choices():
    """The twelve months by their Indonesian names (in the page's language)."""
    return [SelectChoice("", _l("— tidak per bulan —"))] + [
        SelectChoice(str(month), format_date(date(2000, month, 1), "MMMM")) for month in range(1, 13)
    ]


class PeriodFilterForm(FilterForm):
    """A year, with a quarter or a month, and the decimals shown. The service checks the values (422)."""

    year = StringField(_l("Tahun"), default=lambda: str(date.today().year))
    quarter = _quarter_field()
    month = SelectField(_l("Bulan"), default="")
    places = SelectField(
        _l("Desimal"),
        choices=[SelectChoice(str(n), str(n)) for n in range(PLACES[0], PLACES[1] + 1)],
        default=str(DEFAULT_PLACES),
    )

    def __init__(self):
        """Binds to the query string; month names follow the page's language."""
        super().__init__()
        self.month.choices = _month_choices()


class AchievementFilterForm(PeriodFilterForm):
    """An indicator of the agency, and the period."""

    indicator = SelectField(_l("Indikator"))

    def __init__(self, agency):
        """Offers the agency's indicators, by code and name."""
        super().__init__()
        self.indicator.choices = [
            SelectChoice(indicator.code, f"{indicator.code} — {indicator.name}")
            for indicator in db.session.scalars(agency_indicators(agency))
        ]


class QualityFilterForm(FilterForm):
    """The year and quarter whose quality results are entered."""

    year = StringField(_l("Tahun"), default=lambda: str(date.today().year))
    quarter = SelectField(
        _l("Triwulan"),
        choices=[SelectChoice(str(q), _l("Triwulan %(q)d", q=q)) for q in range(1, 5)],
        default=lambda: str((date.today().month - 1) // 3 + 1),
    )
