"""Forms of the reference-data pages.

The forms only read the submitted values; the rules (required fields,
lengths, allowed values, uniqueness) live in the edit functions of
``casework.reference.services``, so every way in is checked the same way.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from casework.reference.labels import COUNTING_UNIT_LABELS, LEVEL_LABELS, SPM_GROUP_LABELS


def _choices(labels):
    """Select options from an enum's labels."""
    return [SelectChoice(member.value, label) for member, label in labels.items()]


class RegionSearchForm(FlaskForm):
    """Search or browse regions (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField(_l("Nama wilayah"))
    level = SelectField(
        _l("Tingkat"),
        choices=[
            SelectChoice("", _l("Semua tingkat")),
            *(SelectChoice(str(n), label) for n, label in LEVEL_LABELS.items()),
        ],
        validate_choice=False,
    )
    within = StringField(_l("Di dalam kode wilayah"), description=_l("Misalnya 32.75 untuk Kota Bekasi."))


class CategoryForm(FlaskForm):
    """An administrator's changes to a category."""

    name = StringField(_l("Nama"))
    name_en = StringField(_l("Nama dalam bahasa Inggris"))
    counting_unit = SelectField(
        _l("Satuan hitung"),
        choices=_choices(COUNTING_UNIT_LABELS),
        validate_choice=False,
    )
    spm_group = SelectField(
        _l("Kelompok SPM"),
        choices=[SelectChoice("", _l("Tidak termasuk kelompok SPM")), *_choices(SPM_GROUP_LABELS)],
        validate_choice=False,
    )
    sensitive = BooleanField(_l("Sensitif (akses dibatasi)"))
    active = BooleanField(_l("Aktif (dapat dipilih untuk kasus baru)"))


class ServiceForm(FlaskForm):
    """An administrator's changes to a service."""

    name = StringField(_l("Nama"))
    name_en = StringField(_l("Nama dalam bahasa Inggris"))
    budget_code = StringField(
        _l("Kode subkegiatan anggaran"),
        description=_l("Pemetaan kode ke layanan perlu dikonfirmasi oleh bidang perencanaan instansi."),
    )
    default_unit = StringField(_l("Satuan"), description=_l("Misalnya hari, paket, unit, kali."))
    max_days = StringField(
        _l("Batas hari"), description=_l("Kosongkan bila tidak dibatasi."), render_kw={"inputmode": "numeric"}
    )
    active = BooleanField(_l("Aktif (dapat dicatat pada kasus)"))


class LocalCodeForm(FlaskForm):
    """A local code and the national category it maps onto; the route fills the category choices."""

    code_set = StringField(_l("Kumpulan kode"), description=_l("Misalnya kota-f."))
    code = StringField(_l("Kode"))
    name = StringField(_l("Nama"))
    category_id = SelectField(_l("Kategori nasional"), validate_choice=False)


class NamesForm(FlaskForm):
    """An administrator's changes to a PSKS type or an SPM service type: its names."""

    name = StringField(_l("Nama"))
    name_en = StringField(_l("Nama dalam bahasa Inggris"))


class PackageItemForm(FlaskForm):
    """A service to add to an SPM package; the route fills the choices."""

    service_id = SelectField(_l("Layanan"), validate_choice=False)
