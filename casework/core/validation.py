"""Checking form and API input in services: every problem per field, reported at once."""

from datetime import date

from flask_babel import gettext as _

from casework.core.errors import ValidationFailed


class Problems:
    """Messages per field, so one submission reports every problem at once."""

    def __init__(self):
        """Starts with no problems."""
        self.fields = {}

    def add(self, field, message):
        """Notes a problem with ``field``."""
        self.fields.setdefault(field, []).append(message)

    def take(self, error):
        """Notes the field messages of a refusal raised by another service."""
        for field, messages in error.fields.items():
            self.fields.setdefault(field, []).extend(messages)

    def raise_any(self):
        """Raises ValidationFailed when a problem was noted."""
        if self.fields:
            raise ValidationFailed(_("Periksa kembali isian yang ditandai."), fields=self.fields)


# What a form's ticked box or a JSON client's yes may say.
YES = frozenset({"1", "true", "yes", "ya", "on", "y"})


def flag(value):
    """True for a ticked box or a yes (``True``, "yes", "ya", "on", "1"); False for anything else."""
    return value is True or str(value or "").strip().lower() in YES


def text(problems, values, column, required=False):
    """The trimmed text given for ``column`` (None when blank), checked against the column's length."""
    value = (values.get(column.key) or "").strip()
    if required and not value:
        problems.add(column.key, _("Wajib diisi."))
    elif len(value) > column.type.length:
        problems.add(column.key, _("Paling banyak %(n)d karakter.", n=column.type.length))
    return value or None


def choice(problems, value, field, enum_cls, message=None, required=True):
    """The member of ``enum_cls`` that ``value`` names; None when blank and optional, else a noted problem."""
    if value in (None, "") and not required:
        return None
    try:
        return enum_cls(value)
    except ValueError:
        problems.add(field, message or _("Pilihan tidak dikenal."))
        return None


def whole_number(problems, value, field, message):
    """A positive integer from a number or digits, None when blank; notes ``message`` otherwise."""
    if value in (None, ""):
        return None
    if (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, str) and value.strip().isdigit()):
        number = int(value)
        if number >= 1:
            return number
    problems.add(field, message)
    return None


def date_value(problems, value, field, today, earliest=None, earliest_message=None):
    """A date from a date or an ISO "YYYY-MM-DD" text, not after ``today`` nor before ``earliest``; None when blank."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        parsed = value
    else:
        try:
            parsed = date.fromisoformat(str(value).strip())
        except ValueError:
            problems.add(field, _("Tanggal tidak valid atau tidak ada di kalender (format TTTT-BB-HH)."))
            return None
    if parsed > today:
        problems.add(field, _("Tanggal tidak boleh di masa depan."))
        return None
    if earliest is not None and parsed < earliest:
        problems.add(field, str(earliest_message))  # a lazy message is translated here
        return None
    return parsed


def required_date(problems, values, field, today, earliest=None, earliest_message=None):
    """Like ``date_value`` for ``values[field]``, noting "required" when it is blank."""
    if values.get(field) in (None, ""):
        problems.add(field, _("Wajib diisi."))
        return None
    return date_value(problems, values[field], field, today, earliest, earliest_message)
