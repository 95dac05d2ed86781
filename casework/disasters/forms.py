"""Forms of the disaster pages: an event, a site, the fast household registration, a status step.

They only parse what was typed; the rules live in the services, shared with
the API. The household form is one head row plus member rows
(``members-<n>-<field>``); "Tambah anggota" adds a row in the browser
(``static/js/disaster-register.js``) or, without the script, by posting the
form back with one more row, nothing saved.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields import FieldList, FormField
from wtforms.fields.choices import SelectChoice

from casework.admin.forms import RegionCodesField, attach_errors
from casework.clients.labels import SEX_LABELS
from casework.core.localtime import local_today
from casework.disasters.labels import KIND_LABELS, RELATION_LABELS
from casework.disasters.members import VULNERABLE_FLAGS
from casework.disasters.models import Relation


def _strip(value):
    """Typed text without surrounding spaces."""
    return value.strip() if isinstance(value, str) else value


def _options(labels, blank=None):
    """Options from a label table, led by a blank option labelled ``blank`` when given."""
    options = [SelectChoice(key.value, label) for key, label in labels.items()]
    return [SelectChoice("", blank), *options] if blank else options


class EventForm(FlaskForm):
    """A disaster event: what, when, where, and the emergency-response period."""

    uuid = HiddenField()
    version = HiddenField()
    kind = SelectField(_l("Jenis bencana"), choices=_options(KIND_LABELS, _l("— pilih —")), validate_choice=False)
    name = StringField(_l("Nama kejadian"), filters=[_strip])
    occurred_on = StringField(_l("Tanggal kejadian"), default=lambda: local_today().isoformat(), filters=[_strip])
    villages = RegionCodesField(_l("Kelurahan/desa terdampak (kode, satu per baris)"))
    emergency_from = StringField(_l("Tanggap darurat mulai"), filters=[_strip])
    emergency_until = StringField(_l("Tanggap darurat sampai (bila sudah ditetapkan)"), filters=[_strip])
    description = TextAreaField(_l("Keterangan"))

    def values(self):
        """The submitted values as the service takes them."""
        names = ("kind", "name", "occurred_on", "villages", "emergency_from", "emergency_until", "description")
        return {name: self[name].data for name in names}


class SiteForm(FlaskForm):
    """An evacuation site: name, village, address, capacity, opening day."""

    uuid = HiddenField()
    version = HiddenField()
    name = StringField(_l("Nama tempat pengungsian"), filters=[_strip])
    region_code = StringField(_l("Kelurahan/desa (kode atau nama)"), filters=[_strip])
    address = StringField(_l("Alamat atau patokan"), filters=[_strip])
    capacity = StringField(_l("Daya tampung (orang)"), filters=[_strip])
    opened_on = StringField(_l("Dibuka tanggal"), default=lambda: local_today().isoformat(), filters=[_strip])
    latitude = HiddenField()
    longitude = HiddenField()

    def values(self):
        """The submitted values as the service takes them."""
        names = ("name", "region_code", "address", "capacity", "opened_on", "latitude", "longitude")
        return {name: self[name].data for name in names}


class StepForm(FlaskForm):
    """A status step or a site closing: the version read and the day."""

    version = HiddenField()
    status = HiddenField()
    emergency_until = StringField(_l("Tanggap darurat berakhir tanggal"), filters=[_strip])
    closed_on = StringField(_l("Tanggal"), filters=[_strip])


class ActionForm(FlaskForm):
    """A one-tap action on a person (link a client, open a case): the version read and the choice."""

    version = HiddenField()
    uuid = HiddenField()
    client_uuid = HiddenField()
    confirm_new = HiddenField()
    circumstances = TextAreaField(_l("Keadaan yang perlu ditangani"))


class MemberForm(Form):
    """One member row. ``flags_given`` is set by the page's script, which ticks the age groups itself."""

    name = StringField(_l("Nama"), filters=[_strip])
    sex = SelectField(_l("Jenis kelamin"), choices=_options(SEX_LABELS, _l("—")), validate_choice=False)
    age_years = StringField(_l("Umur (tahun)"), filters=[_strip])
    birth_date = StringField(_l("atau tanggal lahir"), filters=[_strip])
    relation = SelectField(
        _l("Hubungan"),
        choices=_options({key: label for key, label in RELATION_LABELS.items() if key != Relation.HEAD}),
        default=Relation.CHILD.value,
        validate_choice=False,
    )
    nik = StringField(_l("NIK (bila ada)"), filters=[_strip])
    elderly = BooleanField(_l("Lansia"))
    pregnant_or_nursing = BooleanField(_l("Hamil/menyusui"))
    under_five = BooleanField(_l("Balita"))
    disability = BooleanField(_l("Disabilitas"))
    flags_given = HiddenField()

    def values(self, head):
        """The row as the service takes it: unticked groups follow the age unless the script set them."""
        values = {name: self[name].data for name in ("name", "sex", "age_years", "birth_date", "nik")}
        values["relation"] = Relation.HEAD.value if head else self.relation.data
        explicit = self.flags_given.data == "1"
        for key in VULNERABLE_FLAGS:
            values[key] = bool(self[key].data) if explicit else (True if self[key].data else None)
        return values

    def blank(self):
        """True when nothing was typed in the row (the empty row after "Tambah anggota")."""
        return not any(self[name].data for name in ("name", "age_years", "birth_date", "nik"))


class HouseholdForm(FlaskForm):
    """A household: where from, where staying, the KK number, and its members (the first is the head)."""

    uuid = HiddenField()
    site_uuid = SelectField(_l("Tempat pengungsian"), choices=[], validate_choice=False)
    arrived_on = StringField(_l("Tiba tanggal"), default=lambda: local_today().isoformat(), filters=[_strip])
    region_code = StringField(_l("Kelurahan/desa asal (kode atau nama)"), filters=[_strip])
    kk_number = StringField(_l("Nomor KK (bila ada)"), filters=[_strip])
    address = StringField(_l("Alamat rumah"), filters=[_strip])
    members = FieldList(FormField(MemberForm), min_entries=1)

    def offer_sites(self, sites):
        """Offers the event's open sites, and "not at a site" (staying with relatives or at home)."""
        self.site_uuid.choices = [
            SelectChoice("", _l("— tidak mengungsi di tempat pengungsian —")),
            *(SelectChoice(str(site.uuid), site.name) for site in sites),
        ]

    def values(self):
        """The submitted values as the service takes them; blank rows after the head are dropped."""
        rows = [entry.form for entry in self.members]
        members = [row.values(index == 0) for index, row in enumerate(rows) if index == 0 or not row.blank()]
        names = ("site_uuid", "arrived_on", "region_code", "kk_number", "address")
        return {**{name: self[name].data for name in names}, "members": members}

    def place_errors(self, error):
        """Puts the refusal's messages beside the fields (``members.<n>.<field>`` on row n); returns the rest."""
        kept = [index for index, entry in enumerate(self.members) if index == 0 or not entry.form.blank()]
        member_fields, other = {}, {}
        for name, messages in error.fields.items():
            parts = name.split(".")
            if parts[0] == "members" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(kept):
                row = self.members[kept[int(parts[1])]].form
                if parts[2] in row:
                    row[parts[2]].errors = [*row[parts[2]].errors, *messages]
                    member_fields[name] = messages
                    continue
            other[name] = messages
        error.fields = other
        problem = attach_errors(self, error)
        return problem, member_fields
