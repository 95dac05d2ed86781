"""Forms of the exit assessment, aftercare visits, the graduation figures and the index variables.

The exit assessment's scores, one per variable of the agency, are plain
inputs named ``score_<code>`` read by the route; the rules live in ``services``.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from casework.aftercare.labels import DECISION_LABELS, RESULT_LABELS
from casework.cases.forms import StepForm


def _choices(labels):
    """Radio options from a label table."""
    return [SelectChoice(key.value, label) for key, label in labels.items()]


def _date(label):
    """A date picked on the tablet (YYYY-MM-DD), today unless changed; the operation checks it."""
    return StringField(label, default=lambda: date.today().isoformat(), filters=[lambda v: v.strip() if v else v])


class ExitAssessmentForm(StepForm):
    """The exit assessment: its date and decision (scores come as ``score_<code>``); ``version`` when replacing."""

    fields_out = ("assessed_on", "decision")
    uuid = HiddenField()
    assessed_on = _date(_l("Tanggal asesmen akhir"))
    decision = RadioField(_l("Keputusan"), choices=_choices(DECISION_LABELS), validate_choice=False)


class VisitForm(StepForm):
    """An aftercare visit made: when, what it found, notes."""

    fields_out = ("visited_on", "result", "notes")
    visited_on = _date(_l("Tanggal kunjungan"))
    result = RadioField(_l("Hasil kunjungan"), choices=_choices(RESULT_LABELS), validate_choice=False)
    notes = TextAreaField(_l("Catatan (tidak wajib)"))


class VariableForm(FlaskForm):
    """A variable of the self-reliance index: code (new ones only), name, weight, maximum score, active."""

    version = HiddenField()
    code = StringField(_l("Kode (huruf kecil, tanpa spasi)"))
    name = StringField(_l("Nama variabel"))
    weight = StringField(_l("Bobot (1–100)"))
    max_score = StringField(_l("Nilai maksimum (1–100)"))
    active = BooleanField(_l("Aktif"), default=True)
