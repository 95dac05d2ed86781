"""The break-glass form: the reason for emergency access (checked by ``services.break_glass``)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField


class BreakGlassForm(FlaskForm):
    """Why the user needs to read a restricted case now."""

    reason = TextAreaField(_l("Alasan akses darurat"))
