"""Forms of the triage pages (one per decision) and how triage values are named on screen.

The forms only parse what was typed; the rules live in ``casework.findings.triage``.
Each form carries the report version the page was shown at.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from casework.cases.forms import StepForm, holder_options, unit_options
from casework.clients.labels import SEX_LABELS
from casework.findings.labels import CLOSE_REASON_LABELS
from casework.org.models import Unit, UnitKind

# The report's history, by event kind.
EVENT_LABELS = {
    "received": _l("Laporan diterima"),
    "review_started": _l("Mulai ditinjau"),
    "forwarded_to_unit": _l("Diteruskan ke unit lain"),
    "case_opened": _l("Kasus dibuka dari laporan ini"),
    "case_attached": _l("Digabung ke kasus yang sedang berjalan"),
    "forwarded": _l("Diteruskan ke lembaga lain"),
    "closed": _l("Laporan ditutup"),
    "first_visit": _l("Kunjungan pertama dicatat"),
}


def _note(label=None):
    """An optional note on the decision."""
    return TextAreaField(label or _l("Catatan (tidak wajib)"))


class TriageForm(StepForm):
    """A decision's form; ``build`` makes it with what its choices need from the report."""

    @classmethod
    def build(cls, report, **kwargs):
        """The form; subclasses with choices from the database fill them here."""
        return cls(**kwargs)


class ReviewForm(TriageForm):
    """Starting the review: the version shown, nothing else."""


class OpenCaseForm(TriageForm):
    """Opening a case: for a chosen client, or a new one from the report's person; the caseworker who holds it."""

    fields_out = (
        "client_uuid",
        "full_name",
        "sex",
        "birth_year",
        "birth_year_estimated",
        "confirm_new",
        "unit_id",
        "caseworker_id",
    )
    client_uuid = HiddenField()
    full_name = StringField(_l("Nama lengkap klien baru"))
    sex = SelectField(
        _l("Jenis kelamin"),
        choices=[SelectChoice("", _l("— tidak diketahui —"))]
        + [SelectChoice(key.value, label) for key, label in SEX_LABELS.items()],
        validate_choice=False,
    )
    birth_year = StringField(_l("Tahun lahir"))
    birth_year_estimated = BooleanField(_l("Tahun lahir hanya perkiraan"))
    confirm_new = BooleanField(
        _l("Saya sudah memeriksa calon yang mirip: ini orang lain, daftarkan sebagai klien baru")
    )
    unit_id = SelectField(_l("Unit penanggung jawab"), choices=[], validate_choice=False)
    caseworker_id = SelectField(_l("Pekerja sosial"), choices=[], validate_choice=False)

    @classmethod
    def build(cls, report, **kwargs):
        """The form offering the agency's units and case holders, pre-filled with the report's person."""
        form = cls(**kwargs)
        form.unit_id.choices = unit_options(report.agency_id, Unit.kind != UnitKind.PARTNER, _l("— unit laporan —"))
        form.caseworker_id.choices = holder_options(report.agency_id)
        if not form.is_submitted():
            form.full_name.data = report.person_name
            form.sex.data = report.person_sex.value if report.person_sex else ""
            if report.person_age is not None:
                form.birth_year.data = str(report.observed_on.year - report.person_age)
                form.birth_year_estimated.data = True
        return form


class AttachForm(TriageForm):
    """Attaching the report to an open case, by its number."""

    fields_out = ("case_number", "note")
    case_number = StringField(_l("Nomor kasus (misalnya KS-2026-000123)"))
    note = _note()


class ForwardUnitForm(TriageForm):
    """Moving the report to another unit's queue."""

    fields_out = ("unit_id", "note")
    unit_id = SelectField(_l("Unit tujuan"), choices=[], validate_choice=False)
    note = _note()

    @classmethod
    def build(cls, report, **kwargs):
        """The form offering the agency's other active units (not partners)."""
        form = cls(**kwargs)
        condition = (Unit.kind != UnitKind.PARTNER) & (Unit.id != report.unit_id)
        form.unit_id.choices = unit_options(report.agency_id, condition, _l("— pilih unit —"))
        return form


class ForwardAgencyForm(TriageForm):
    """Handing the report to another agency or service."""

    fields_out = ("name", "note")
    name = StringField(_l("Diteruskan kepada (nama lembaga)"))
    note = _note()


class CloseForm(TriageForm):
    """Closing the report without a case, with a reason."""

    fields_out = ("reason", "duplicate_of", "note")
    reason = SelectField(
        _l("Alasan penutupan"),
        choices=[SelectChoice("", _l("— pilih alasan —"))]
        + [SelectChoice(key.value, label) for key, label in CLOSE_REASON_LABELS.items()],
        validate_choice=False,
    )
    duplicate_of = StringField(_l("Nomor laporan yang sama (untuk laporan ganda)"))
    note = _note(_l("Catatan (wajib untuk alasan lain)"))


class VisitForm(TriageForm):
    """The day someone first went to see the person."""

    fields_out = ("visited_on", "note")
    visited_on = StringField(_l("Tanggal kunjungan pertama"), default=lambda: date.today().isoformat())
    note = _note()


# The decisions by URL name: their form, shown on the report page in this order.
FORMS = {
    "review": ReviewForm,
    "open-case": OpenCaseForm,
    "attach": AttachForm,
    "forward-unit": ForwardUnitForm,
    "forward-agency": ForwardAgencyForm,
    "close": CloseForm,
    "visit": VisitForm,
}
