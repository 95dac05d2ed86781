"""Forms of the target and population pages: the CSV upload, and the year and area the pages show."""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import NumberInput

from casework.admin.forms import FilterForm
from casework.figures.models import ReportedBy
from casework.figures.targets import REPORTED_BY_LABELS


class ImportForm(FlaskForm):
    """A CSV file to check (the dry run) before it is imported."""

    file = FileField(_l("Berkas CSV"))


def _year_field():
    """The year a page shows; this year when none is given."""
    return IntegerField(
        _l("Tahun"),
        default=lambda: date.today().year,
        validators=[Optional(), NumberRange(min=2000, max=2100)],
        widget=NumberInput(min=2000, max=2100),
        invalid_value_message=_l("Isi tahun 4 angka."),
    )


class _Filters(FilterForm):
    """Filters read from the query string."""

    def year_value(self):
        """The year asked for, or this year when it is missing or invalid."""
        return self.year.data if self.validate() and self.year.data else date.today().year


class TargetFilterForm(_Filters):
    """The year and reporting level of the target grid."""

    year = _year_field()
    level = SelectField(
        _l("Dilaporkan per"),
        choices=[SelectChoice(member.value, label) for member, label in REPORTED_BY_LABELS.items()],
        default=ReportedBy.AGENCY.value,
    )

    def level_value(self):
        """The reporting level asked for; the agency when it is missing or unknown."""
        return ReportedBy(self.level.data) if self.level.data in set(ReportedBy) else ReportedBy.AGENCY


class PopulationFilterForm(_Filters):
    """The year and, optionally, the regency or district the population table shows."""

    year = _year_field()
    within = StringField(_l("Wilayah (kode kota/kabupaten atau kecamatan, boleh kosong)"))
