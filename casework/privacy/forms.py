"""Forms for recording and withdrawing consent and for the retention periods; the rules live in the services."""

import uuid as uuid_module

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from casework.privacy.labels import METHOD_LABELS, PURPOSE_LABELS
from casework.privacy.models import RetentionKind
from casework.privacy.retention import LABELS


class ConsentForm(FlaskForm):
    """One answer for one purpose; the hidden UUID makes a double submit record it once."""

    uuid = HiddenField(default=lambda: str(uuid_module.uuid4()))
    purpose = SelectField(
        _l("Keperluan"),
        choices=[SelectChoice(purpose.value, label) for purpose, label in PURPOSE_LABELS.items()],
        validate_choice=False,
    )
    given = RadioField(
        _l("Jawaban"),
        choices=[SelectChoice("yes", _l("Setuju")), SelectChoice("no", _l("Tidak setuju"))],
        validate_choice=False,
    )
    recorded_on = StringField(_l("Tanggal"), render_kw={"type": "date"})
    method = SelectField(
        _l("Cara"),
        choices=[SelectChoice(method.value, label) for method, label in METHOD_LABELS.items()],
        validate_choice=False,
    )
    note = TextAreaField(_l("Catatan (mis. nama saksi atau wali)"), render_kw={"maxlength": 500, "rows": 2})


class WithdrawForm(FlaskForm):
    """The day an answer is withdrawn from."""

    withdrawn_on = StringField(_l("Ditarik sejak"), render_kw={"type": "date"})


class RetentionForm(FlaskForm):
    """One period per record type."""

    closed_cases = StringField(LABELS[RetentionKind.CLOSED_CASES], render_kw={"inputmode": "numeric"})
    reports = StringField(LABELS[RetentionKind.REPORTS], render_kw={"inputmode": "numeric"})
    import_files = StringField(LABELS[RetentionKind.IMPORT_FILES], render_kw={"inputmode": "numeric"})
