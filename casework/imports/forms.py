"""Forms of the import pages: the upload (record type and file)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FileField, SelectField


class UploadForm(FlaskForm):
    """A CSV or XLSX file of one record type, to check (dry run) before importing."""

    record_type = SelectField(_l("Jenis data"))
    file = FileField(_l("Berkas CSV atau XLSX"))
    new_when_unsure = BooleanField(_l("Daftarkan baris yang mirip klien lain sebagai klien baru tanpa bertanya"))
