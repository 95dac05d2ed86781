"""Forms for registering and editing a client, and the search box of the registry.

They only parse what was typed; the rules live in ``services``, shared with
the API. Category checkboxes become holdings here: a newly ticked category
starts on the date given, an unticked open one ends on it.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from casework.admin.forms import FilterForm
from casework.clients.labels import DOCUMENT_LABELS, SEX_LABELS
from casework.clients.services import CLIENT_FIELDS
from casework.extensions import db
from casework.files.forms import upload_field
from casework.reference.models import Category


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ClientForm(FlaskForm):
    """A client's identity, documents, addresses and categories."""

    full_name = StringField(_l("Nama lengkap"))
    aliases = StringField(_l("Nama lain / panggilan (pisahkan dengan koma)"))
    sex = SelectField(
        _l("Jenis kelamin"),
        choices=[
            SelectChoice("", _l("— tidak diketahui —")),
            *(SelectChoice(sex.value, label) for sex, label in SEX_LABELS.items()),
        ],
        validate_choice=False,
    )
    birth_date = StringField(_l("Tanggal lahir"))
    birth_year = StringField(_l("Tahun lahir (bila tanggal tidak diketahui)"))
    birth_year_estimated = BooleanField(_l("Tahun lahir perkiraan"))
    place_of_birth = StringField(_l("Tempat lahir"))
    mother_name = StringField(_l("Nama ibu kandung"))
    nik = StringField(_l("NIK"))
    kk_number = StringField(_l("Nomor KK"))
    has_ktp = BooleanField(DOCUMENT_LABELS["has_ktp"])
    has_kk = BooleanField(DOCUMENT_LABELS["has_kk"])
    has_akta = BooleanField(DOCUMENT_LABELS["has_akta"])
    has_kia = BooleanField(DOCUMENT_LABELS["has_kia"])
    phone = TelField(_l("Telepon"))
    address = StringField(_l("Alamat domisili"))
    domicile_region_code = StringField(_l("Wilayah domisili (kelurahan/desa atau kecamatan)"))
    origin_region_code = StringField(_l("Daerah asal (kode wilayah, boleh di luar Kota/Kabupaten ini)"))
    categories = CheckboxListField(_l("Kategori PPKS"), coerce=int, validate_choice=False)
    categories_since = StringField(_l("Kategori berlaku sejak (atau berakhir pada, bila dihapus)"))

    @classmethod
    def build(cls, client=None, **kwargs):
        """The form for a new client or for ``client``, offering the active categories in national order."""
        form = cls(obj=client, **kwargs)
        categories = db.session.execute(
            sa.select(Category.id, Category.name)
            .where(Category.active.is_(True))
            .order_by(Category.national_ordinal.is_(None), Category.national_ordinal, Category.name)
        )
        form.categories.choices = [SelectChoice(str(id_), name) for id_, name in categories]
        if client is not None and not form.is_submitted():
            form.categories.data = [held.category_id for held in client.categories if held.until is None]
            form.sex.data = client.sex.value if client.sex else ""
            form.birth_date.data = client.birth_date.isoformat() if client.birth_date else ""
            form.birth_year.data = "" if client.birth_date or client.birth_year is None else str(client.birth_year)
        return form

    def values(self, client=None):
        """The submitted values as the services take them, with the category holdings they mean."""
        values = {name: self[name].data for name in CLIENT_FIELDS if name != "birth_year"}
        # The year is shown and kept only when the date is unknown.
        values["birth_year"] = self.birth_year.data
        values["categories"] = self._holdings(client)
        return values

    def _holdings(self, client):
        """Ticked categories start on the given date (today when blank); unticked open ones end on it."""
        day = (self.categories_since.data or "").strip() or date.today().isoformat()
        ticked = set(self.categories.data or ())
        holdings = []
        for held in client.categories if client else ():
            open_ = held.until is None
            until = day if open_ and held.category_id not in ticked else held.until
            holdings.append({"category_id": held.category_id, "since": held.since, "until": until})
            if open_:
                ticked.discard(held.category_id)
        holdings += [{"category_id": category_id, "since": day, "until": None} for category_id in sorted(ticked)]
        return holdings


class RegisterForm(ClientForm):
    """A new client: the UUID made when the form opened makes a double submission harmless."""

    uuid = HiddenField()
    confirm_new = BooleanField()


class EditForm(ClientForm):
    """Changing a client; carries the version it was opened at, and (after seeing look-alikes) ``confirm_distinct``."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    confirm_distinct = BooleanField()


class PhotoForm(FlaskForm):
    """A new photo of the client, and the version of the client it replaces the photo of."""

    photo = upload_field(_l("Foto baru"))
    version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class PhotoRemoveForm(FlaskForm):
    """Removing the client's photo, at the version shown."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class MergeForm(FlaskForm):
    """Merging another record into this one: which, at the versions both were shown at, and why."""

    merged_uuid = HiddenField()
    survivor_version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    merged_version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    reason = TextAreaField(_l("Alasan penggabungan"))


class UndoMergeForm(FlaskForm):
    """Undoing a merge, and why."""

    reason = StringField(_l("Alasan pembatalan"))


class SearchForm(FilterForm):
    """The registry's search box: a name or a NIK."""

    q = StringField(_l("Cari nama atau NIK"), filters=[lambda value: value.strip() if value else value])
