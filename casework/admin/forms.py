"""Forms for the agency settings, units and user accounts, and the filters of their lists.

The forms only parse what was typed; the rules live in ``services`` so that
pages and the API apply the same ones. A refusal is shown beside its field
with ``attach_errors``.
"""

import re

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Optional
from wtforms.widgets import HiddenInput, NumberInput

from casework.admin.labels import PARTNER_TYPE_LABELS, UNIT_KIND_LABELS
from casework.admin.queries import unit_choices
from casework.admin.services import AGENCY_FIELDS, DEADLINE_DAYS_MAX, DEADLINE_FIELDS, UNIT_FIELDS, USER_FIELDS
from casework.aftercare.schedule import FIELD as AFTERCARE_FIELD
from casework.auth.models import ROLE_LABELS, SCOPE_LABELS, Role, ScopeKind
from casework.core.errors import ValidationFailed
from casework.figures.weights import WEIGHT_FIELDS
from casework.org.models import PartnerType, UnitKind
from casework.reference.labels import GOV_LEVEL_LABELS
from casework.tracing.schedule import FIELD as FOLLOWUP_FIELD


def _choices(labels):
    """Select options from a label table keyed by enum members."""
    return [SelectChoice(member.value, label) for member, label in labels.items()]


def _or_none(coerce):
    """``coerce``, except that an empty choice is None ("none chosen", "no filter")."""
    return lambda value: None if value in (None, "") else coerce(value)


def _version_field():
    """The hidden version an edit started from, so a stale save is caught."""
    return IntegerField(widget=HiddenInput(), validators=[Optional()])


def _days_field(label):
    """A number of days for a case deadline; the service checks its range."""
    return IntegerField(
        label,
        validators=[Optional()],
        invalid_value_message=_l("Isi bilangan bulat."),
        widget=NumberInput(min=1, max=DEADLINE_DAYS_MAX),
    )


def attach_errors(form, error):
    """Puts a service refusal's messages beside the form's fields; returns what to show above the form.

    That is the refusal's own message when it concerns no field of this form
    (a stale edit, a guard such as the last administrator), else None.
    """
    unplaced = not error.fields
    for name, messages in error.fields.items():
        if name in form:
            form[name].errors = [*form[name].errors, *messages]
        else:
            unplaced = True
    return error.message if unplaced else None


class RegionCodesField(TextAreaField):
    """Region codes typed one per line or separated by commas; ``data`` is a list."""

    def _value(self):
        """The codes one per line, as the textarea shows them."""
        return "\n".join(self.data or ())

    def process_formdata(self, valuelist):
        """Splits the typed text into codes."""
        if valuelist:
            self.data = [code for code in re.split(r"[\s,;]+", valuelist[0]) if code]


class ServiceForm(FlaskForm):
    """A form whose fields are named as the arguments of the service operation it feeds."""

    service_fields = ()

    def values(self):
        """The submitted values, keyed as the service takes them."""
        return {name: self[name].data for name in self.service_fields}


class AgencyForm(ServiceForm):
    """The agency's own settings."""

    service_fields = (*AGENCY_FIELDS, *DEADLINE_FIELDS, FOLLOWUP_FIELD, AFTERCARE_FIELD, *WEIGHT_FIELDS)
    name = StringField(_l("Nama dinas"))
    level = SelectField(_l("Tingkat"), choices=_choices(GOV_LEVEL_LABELS), validate_choice=False)
    region_code = StringField(_l("Wilayah (kode Kemendagri provinsi atau kota/kabupaten)"))
    address = StringField(_l("Alamat"))
    phone = TelField(_l("Telepon"))
    stay_limit_days = _days_field(_l("Batas lama tinggal di rumah singgah / shelter (hari)"))
    assessment_due_days = _days_field(_l("Tenggat asesmen sejak penerimaan (hari)"))
    service_due_days = _days_field(_l("Tenggat layanan pertama sejak rencana (hari)"))
    referral_due_days = _days_field(_l("Tenggat keputusan dan jawaban rujukan (hari)"))
    head_name = StringField(_l("Nama kepala dinas (penanda tangan surat)"))
    followup_visit_days = StringField(_l("Kunjungan lanjutan setelah reunifikasi (hari ke-, dipisah koma)"))
    aftercare_visit_months = StringField(_l("Kunjungan bimbingan lanjut setelah terminasi (bulan ke-, dipisah koma)"))
    spm_weight_recipients = StringField(_l("Bobot capaian penerima dalam indeks SPM (%)"))
    spm_weight_quality = StringField(_l("Bobot capaian mutu dalam indeks SPM (%)"))


class UnitForm(ServiceForm):
    """A unit or partner organisation; made by ``build``, which offers the agency's units as parents."""

    service_fields = UNIT_FIELDS
    code = StringField(_l("Kode"))
    name = StringField(_l("Nama"))
    kind = SelectField(_l("Jenis"), choices=_choices(UNIT_KIND_LABELS), validate_choice=False)
    partner_type = SelectField(
        _l("Jenis mitra (untuk organisasi mitra)"),
        choices=[SelectChoice("", _l("— bukan mitra —")), *_choices(PARTNER_TYPE_LABELS)],
        validate_choice=False,
    )
    capacity = IntegerField(
        _l("Kapasitas (untuk panti, rumah singgah, shelter)"),
        validators=[Optional()],
        invalid_value_message=_l("Isi bilangan bulat."),
        widget=NumberInput(min=1),
    )
    region_code = StringField(_l("Wilayah (kode Kemendagri, boleh kosong)"))
    parent_id = SelectField(
        _l("Unit induk"),
        coerce=_or_none(int),
        validate_choice=False,
        invalid_value_message=_l("Pilihan tidak dikenal."),
    )
    address = StringField(_l("Alamat"))
    phone = TelField(_l("Telepon"))
    version = _version_field()

    @classmethod
    def build(cls, agency_id, unit=None, **kwargs):
        """The form for a new unit or for ``unit``, offering the agency's other units as parents."""
        form = cls(obj=unit, **kwargs)
        own = [SelectChoice(str(id_), name) for id_, name in unit_choices(agency_id) if unit is None or id_ != unit.id]
        form.parent_id.choices = [SelectChoice("", _("— tanpa induk —")), *own]
        return form


class UserForm(ServiceForm):
    """An account; made by ``build``, which offers the agency's units."""

    service_fields = USER_FIELDS
    username = StringField(_l("Nama pengguna"))
    full_name = StringField(_l("Nama lengkap"))
    email = EmailField(_l("Email (boleh kosong)"))
    phone = TelField(_l("Telepon (boleh kosong)"))
    # Most new accounts are caseworkers; an administrator is never the unnoticed default.
    role = SelectField(_l("Peran"), choices=_choices(ROLE_LABELS), default=Role.CASEWORKER.value, validate_choice=False)
    unit_id = SelectField(
        _l("Unit"), coerce=_or_none(int), validate_choice=False, invalid_value_message=_l("Pilihan tidak dikenal.")
    )
    scope_kind = RadioField(
        _l("Cakupan wilayah"), choices=_choices(SCOPE_LABELS), default=ScopeKind.AGENCY.value, validate_choice=False
    )
    region_codes = RegionCodesField(_l("Kode kecamatan atau kelurahan/desa (satu per baris atau dipisah koma)"))

    @classmethod
    def build(cls, agency_id, user=None, **kwargs):
        """The form for a new account or for ``user``, offering the agency's active units."""
        form = cls(obj=user, **kwargs)
        form.unit_id.choices = [
            SelectChoice("", _("— pilih unit —")),
            *(SelectChoice(str(id_), name) for id_, name in unit_choices(agency_id, staffed=True)),
        ]
        return form


class UserCreateForm(UserForm):
    """A new account with its initial password."""

    service_fields = (*USER_FIELDS, "password")
    password = PasswordField(_l("Kata sandi awal"))
    confirm = PasswordField(
        _l("Ulangi kata sandi awal"), validators=[EqualTo("password", _l("Kedua kata sandi tidak sama."))]
    )


class UserEditForm(UserForm):
    """Changing an account; the password has its own form."""

    version = _version_field()


class PasswordResetForm(FlaskForm):
    """An administrator setting a new password for someone else."""

    password = PasswordField(_l("Kata sandi baru"), validators=[DataRequired(_l("Isi kata sandi baru."))])
    confirm = PasswordField(
        _l("Ulangi kata sandi baru"), validators=[EqualTo("password", _l("Kedua kata sandi tidak sama."))]
    )


# --- List filters -----------------------------------------------------------------------------------


def _yes_no(value):
    """'1' is True, '0' is False; anything else is refused."""
    if value not in ("1", "0"):
        raise ValueError(value)
    return value == "1"


def _with_all(choices):
    """Filter options led by the one that filters nothing."""
    return [SelectChoice("", _l("Semua")), *choices]


def _filter(label, choices, coerce):
    """A filter select led by an "all" option; an unknown value is refused in Indonesian."""
    return SelectField(
        label,
        choices=_with_all(choices),
        coerce=_or_none(coerce),
        invalid_value_message=_l("Pilihan tidak dikenal."),
        invalid_choice_message=_l("Pilihan tidak dikenal."),
    )


def _status_filter():
    """Active, inactive or both."""
    return _filter(_l("Status"), [SelectChoice("1", _l("Aktif")), SelectChoice("0", _l("Nonaktif"))], _yes_no)


def _search_field(label):
    """The free-text search box of a list."""
    return StringField(label, filters=[lambda value: value.strip() if value else value])


class FilterForm(FlaskForm):
    """Filters read from the query string, shared by a list page and its API endpoint."""

    class Meta:
        """Filters only read, so they carry no CSRF token."""

        csrf = False

    def __init__(self):
        """Binds the form to the query string."""
        super().__init__(formdata=request.args)

    def values(self):
        """The chosen filters as keyword arguments for a list query; refused with a 422 when invalid."""
        if not self.validate():
            raise ValidationFailed(_("Filter tidak valid."), fields=self.errors)
        return {name: field.data for name, field in self._fields.items() if field.data not in (None, "")}


class UnitFilterForm(FilterForm):
    """Units by kind, status and name."""

    kind = _filter(_l("Jenis"), _choices(UNIT_KIND_LABELS), UnitKind)
    active = _status_filter()
    q = _search_field(_l("Cari nama"))


class DirectoryFilterForm(FilterForm):
    """The directory by kind, partner type and name (active units only)."""

    kind = _filter(_l("Jenis"), _choices(UNIT_KIND_LABELS), UnitKind)
    partner_type = _filter(_l("Jenis mitra"), _choices(PARTNER_TYPE_LABELS), PartnerType)
    q = _search_field(_l("Cari nama"))


class UserFilterForm(FilterForm):
    """Users by role, unit, status, and name or username; ``unit_id`` choices come from the agency."""

    role = _filter(_l("Peran"), _choices(ROLE_LABELS), Role)
    unit_id = _filter(_l("Unit"), [], int)
    active = _status_filter()
    q = _search_field(_l("Cari nama atau nama pengguna"))

    def __init__(self, agency_id):
        """Binds the form to the query string, offering the agency's own units."""
        super().__init__()
        self.unit_id.choices = _with_all(SelectChoice(str(id_), name) for id_, name in unit_choices(agency_id))
