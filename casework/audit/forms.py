"""The audit search page's filters, read from the query string."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length

from casework.admin.forms import FilterForm
from casework.core.errors import ValidationFailed
from casework.core.localtime import local_today
from casework.core.validation import Problems, date_value


def _text(label, limit):
    """A trimmed text filter no longer than the column it searches."""
    return StringField(
        label,
        filters=[lambda value: value.strip() if value else value],
        validators=[Length(max=limit, message=_l("Paling banyak %(max)d karakter."))],
    )


class AuditFilterForm(FilterForm):
    """Who (username), what (action prefix, object type and id), when (local dates) and from where (address)."""

    username = _text(_l("Nama pengguna"), 40)
    action = _text(_l("Tindakan (awalan)"), 60)
    object_type = _text(_l("Jenis objek"), 40)
    object_id = _text(_l("ID objek"), 40)
    date_from = StringField(_l("Dari tanggal"))
    date_to = StringField(_l("Sampai tanggal"))
    address = _text(_l("Alamat IP (awalan)"), 45)

    def filters(self):
        """The chosen filters for ``audit_select``; a 422 naming each bad one."""
        values = self.values()
        problems, today = Problems(), local_today()
        values["date_from"] = date_value(problems, values.get("date_from"), "date_from", today)
        values["date_to"] = date_value(problems, values.get("date_to"), "date_to", today)
        problems.raise_any()
        if values["date_from"] and values["date_to"] and values["date_to"] < values["date_from"]:
            message = _("Tanggal akhir tidak boleh sebelum tanggal awal.")
            raise ValidationFailed(message, fields={"date_to": [message]})
        return values
