"""The upload part of a form: a file input whose content the service checks (size, type by content).

A feature's form adds ``upload_field()`` (or subclasses ``UploadForm``),
renders it with ``templates/files/_upload.html`` and hands ``field.data``
(a werkzeug ``FileStorage``) to ``casework.files.services.store_upload``.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput


def upload_field(label=None):
    """A file input; no validators here, since ``store_upload`` checks size and type for pages and API alike."""
    return FileField(label or _l("Berkas"))


class UploadForm(FlaskForm):
    """One file, and the version of the record it is attached to (blank when that record has none)."""

    file = upload_field()
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
