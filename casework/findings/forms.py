"""Forms of the volunteer's finding page and the staff's complaint page; the rules live in ``services``.

They only parse what was typed, so the phone form and the API go through the
same checks. The village is a list of the villages in the volunteer's scope
(one tap, no codes to type) or, for the agency's whole area, a region
type-ahead; the photos are one multi-file input that opens the back camera.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from casework.clients.labels import SEX_LABELS
from casework.extensions import db
from casework.findings.labels import SOURCE_LABELS, URGENCY_LABELS
from casework.findings.models import ReportUrgency
from casework.reference.models import Category

REPORT_FIELDS = (
    "category_id",
    "description",
    "region_code",
    "place",
    "latitude",
    "longitude",
    "observed_on",
    "urgency",
    "consent_given",
    "person_name",
    "person_sex",
    "person_age",
    "person_details",
)


def _options(labels, blank=None):
    """Options from a label table, led by a blank option labelled ``blank`` when given."""
    options = [SelectChoice(key.value, label) for key, label in labels.items()]
    return [SelectChoice("", blank), *options] if blank else options


def _strip(value):
    """Typed text without surrounding spaces."""
    return value.strip() if value else value


class ReportForm(FlaskForm):
    """What a finding and a complaint share: what, where, when, the person when known, and photos."""

    fields_out = REPORT_FIELDS
    uuid = HiddenField()
    region_code = StringField(_l("Kelurahan/desa (kode atau nama)"), filters=[_strip])
    place = StringField(_l("Alamat atau patokan"), filters=[_strip])
    latitude = HiddenField()
    longitude = HiddenField()
    observed_on = StringField(_l("Tanggal ditemukan"), default=lambda: date.today().isoformat(), filters=[_strip])
    category_id = SelectField(_l("Perkiraan kategori PPKS"), choices=[], validate_choice=False)
    description = TextAreaField(_l("Apa yang ditemukan"))
    urgency = RadioField(
        _l("Seberapa mendesak"),
        choices=_options(URGENCY_LABELS),
        default=ReportUrgency.ROUTINE.value,
        validate_choice=False,
    )
    person_name = StringField(_l("Nama orang itu (bila tahu)"), filters=[_strip])
    person_sex = SelectField(_l("Jenis kelamin"), choices=_options(SEX_LABELS, _l("— tidak tahu —")))
    person_age = StringField(_l("Perkiraan umur (tahun)"), filters=[_strip])
    person_details = TextAreaField(_l("Keterangan lain tentang orang itu"))
    consent_given = BooleanField(_l("Orang itu setuju dilaporkan"))
    photos = MultipleFileField(_l("Foto"))

    @classmethod
    def build(cls, **kwargs):
        """The form offering the active PPKS categories in national order."""
        form = cls(**kwargs)
        categories = db.session.execute(
            sa.select(Category.id, Category.name)
            .where(Category.active.is_(True))
            .order_by(Category.national_ordinal.is_(None), Category.national_ordinal, Category.name)
        )
        form.category_id.choices = [
            SelectChoice("", _l("— belum tahu —")),
            *(SelectChoice(str(id_), name) for id_, name in categories),
        ]
        return form

    def values(self):
        """The submitted values as the service takes them."""
        return {name: self[name].data for name in self.fields_out}

    def chosen_photos(self):
        """The files chosen (an empty file part, sent when none was chosen, is dropped)."""
        return [photo for photo in self.photos.data or () if photo and photo.filename]


class ScopedFindingForm(ReportForm):
    """A finding by a volunteer limited to districts or villages: the village is picked from that scope."""

    region_code = SelectField(_l("Kelurahan/desa"), choices=[], validate_choice=False)


def finding_form(villages, **kwargs):
    """The volunteer's finding form: a list of the (code, name) ``villages`` of their scope, else the type-ahead."""
    if not villages:
        return ReportForm.build(**kwargs)
    form = ScopedFindingForm.build(**kwargs)
    form.region_code.choices = [
        SelectChoice("", _l("— pilih kelurahan/desa —")),
        *(SelectChoice(code, name) for code, name in villages),
    ]
    return form


class ComplaintForm(ReportForm):
    """A complaint from the public: how it came in and who to answer, then the finding's fields."""

    fields_out = (*REPORT_FIELDS, "source", "reporter_name", "reporter_contact")
    source = RadioField(_l("Diterima lewat"), choices=_options(SOURCE_LABELS), validate_choice=False)
    reporter_name = StringField(_l("Nama pelapor"), filters=[_strip])
    reporter_contact = StringField(_l("Kontak pelapor (telepon, WhatsApp, surel atau alamat)"), filters=[_strip])
    observed_on = StringField(
        _l("Tanggal kejadian atau terakhir dilihat"), default=lambda: date.today().isoformat(), filters=[_strip]
    )
    consent_given = BooleanField(_l("Orang yang dilaporkan setuju dilaporkan (bila diketahui)"))
