"""Forms of the tracing and reunification section of the case page; the rules live in ``services``.

Several requests (and visits) share the case page, so each form of one is
prefixed with that record's id, and its labels stay unique on the page.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from casework.cases.forms import StepForm
from casework.tracing.labels import KINSHIP_LABELS, METHOD_LABELS, STATUS_LABELS
from casework.tracing.models import TracingStatus


def _options(labels, blank):
    """Select options from a label table, led by a blank option."""
    return [SelectChoice("", blank), *(SelectChoice(key.value, label) for key, label in labels.items())]


def _date(label):
    """A date picked on the tablet (YYYY-MM-DD), today unless changed; the operation checks it."""
    return StringField(label, default=lambda: date.today().isoformat(), filters=[lambda v: v.strip() if v else v])


def _yes_no(label):
    """A yes / no answer the operation requires."""
    return RadioField(
        label, choices=[SelectChoice("yes", _l("Ya")), SelectChoice("no", _l("Tidak"))], validate_choice=False
    )


def _kinship():
    """The family member's relation to the client."""
    return SelectField(
        _l("Hubungan dengan klien"), choices=_options(KINSHIP_LABELS, _l("— pilih —")), validate_choice=False
    )


class SectionForm(StepForm):
    """A form of the section; ``build`` makes it with what its choices need."""

    @classmethod
    def build(cls, **kwargs):
        """The form; subclasses with choices from the database fill them here."""
        return cls(**kwargs)


class OpenTracingForm(SectionForm):
    """A tracing request: who is sought and where they were last known to be."""

    fields_out = ("sought_name", "kinship", "last_known_place", "last_known_region_code", "opened_on")
    uuid = HiddenField()
    sought_name = StringField(_l("Nama anggota keluarga yang dicari"))
    kinship = _kinship()
    last_known_place = StringField(_l("Tempat terakhir diketahui (alamat, kampung, patokan)"))
    last_known_region_code = StringField(_l("Wilayah terakhir diketahui (kode, boleh kosong)"))
    opened_on = _date(_l("Tanggal mulai penelusuran"))


class LeadForm(SectionForm):
    """A lead followed: when, how, what was done, and the result."""

    fields_out = ("followed_on", "method", "action", "result")
    uuid = HiddenField()
    followed_on = _date(_l("Tanggal"))
    method = SelectField(
        _l("Cara penelusuran"), choices=_options(METHOD_LABELS, _l("— pilih —")), validate_choice=False
    )
    action = StringField(_l("Yang dilakukan (siapa dihubungi, ke mana)"))
    result = TextAreaField(_l("Hasil"))


class CloseTracingForm(SectionForm):
    """The end of a tracing request: found or not found, and when."""

    fields_out = ("status", "closed_on", "result_notes")
    status = RadioField(
        _l("Hasil penelusuran"),
        choices=[
            SelectChoice(status.value, STATUS_LABELS[status]) for status in TracingStatus if status.value != "open"
        ],
        validate_choice=False,
    )
    closed_on = _date(_l("Tanggal ditutup"))
    result_notes = TextAreaField(_l("Keterangan hasil"))


class ReunificationForm(SectionForm):
    """The client's return to a family member, on the caseworker's assessment that the home is safe."""

    fields_out = (
        "member_name",
        "kinship",
        "tracing_request",
        "address",
        "region_code",
        "reunified_on",
        "home_safe",
        "safety_note",
    )
    uuid = HiddenField()
    member_name = StringField(_l("Nama anggota keluarga"))
    kinship = _kinship()
    tracing_request = SelectField(_l("Ditemukan lewat penelusuran"), choices=[], validate_choice=False)
    address = StringField(_l("Alamat keluarga"))
    region_code = StringField(_l("Wilayah (kode kota/kabupaten, kecamatan atau kelurahan/desa)"))
    reunified_on = _date(_l("Tanggal reunifikasi"))
    home_safe = _yes_no(_l("Menurut penilaian pekerja sosial, rumah ini aman bagi klien?"))
    safety_note = TextAreaField(_l("Dasar penilaian keamanan rumah"))

    @classmethod
    def build(cls, found_requests=(), **kwargs):
        """The form offering the case's tracing requests that found someone."""
        form = cls(**kwargs)
        form.tracing_request.choices = [
            SelectChoice("", _l("— tidak lewat penelusuran —")),
            *(SelectChoice(str(found.uuid), found.sought_name) for found in found_requests),
        ]
        return form


class VisitForm(SectionForm):
    """A follow-up visit made: when, what was found, and whether the client is well."""

    fields_out = ("visited_on", "finding", "client_well", "notes")
    visited_on = _date(_l("Tanggal kunjungan"))
    finding = TextAreaField(_l("Temuan kunjungan"))
    client_well = _yes_no(_l("Klien dalam keadaan baik?"))
    notes = TextAreaField(_l("Catatan lain"))
