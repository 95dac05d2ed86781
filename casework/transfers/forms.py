"""Forms for transfers and returns; they only parse what was typed, the rules live in the operations."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

from casework.auth.models import User
from casework.cases.forms import holder_options, unit_options
from casework.extensions import db
from casework.org.models import Agency, Unit, UnitKind
from casework.transfers.labels import HANDOVER_LABELS, TRAVEL_MODE_LABELS


def _stripped(label, **kwargs):
    """A text field whose value is trimmed."""
    return StringField(label, filters=[lambda value: value.strip() if value else value], **kwargs)


def _picked(label):
    """A select filled by ``build``; the operation checks the choice."""
    return SelectField(label, choices=[], validate_choice=False)


def _options(labels, blank):
    """Select options from a label table, led by a blank option."""
    return [SelectChoice("", blank), *(SelectChoice(key.value, label) for key, label in labels.items())]


def agency_options(exclude_id, blank):
    """Options for the agencies of this deployment other than ``exclude_id``, led by a blank option."""
    rows = db.session.execute(sa.select(Agency.id, Agency.name).where(Agency.id != exclude_id).order_by(Agency.name))
    return [SelectChoice("", blank), *(SelectChoice(str(id_), name) for id_, name in rows)]


class OperationForm(FlaskForm):
    """A form whose named fields go to the operation as they are."""

    fields_out = ()

    def values(self):
        """The submitted values as the operation takes them."""
        return {name: self[name].data for name in self.fields_out}


class VersionedForm(OperationForm):
    """A step on a record, at the version the page showed."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])


class TransferForm(OperationForm):
    """Proposing a transfer: to which agency, why, and what goes with the case."""

    fields_out = ("to_agency_id", "reason", "handover_items")
    uuid = HiddenField()
    to_agency_id = _picked(_l("Dinas sosial tujuan"))
    reason = TextAreaField(_l("Alasan pemindahan"))
    handover_items = TextAreaField(_l("Yang diserahkan (dokumen, barang, laporan)"))

    @classmethod
    def build(cls, agency_id, **kwargs):
        """The form offering the other agencies of this deployment."""
        form = cls(**kwargs)
        form.to_agency_id.choices = agency_options(agency_id, _l("— pilih dinas —"))
        return form


class DecisionForm(VersionedForm):
    """The sending supervisor's decision: a note (required to reject)."""

    fields_out = ("decision_note",)
    decision_note = TextAreaField(_l("Catatan / alasan (wajib bila menolak)"))


class DeclineForm(VersionedForm):
    """The receiving agency declines, with a reason."""

    fields_out = ("answer_note",)
    answer_note = TextAreaField(_l("Alasan tidak menerima"))


class AcceptForm(VersionedForm):
    """The receiving agency accepts: who takes the case, and which registry record is the client."""

    fields_out = ("unit_id", "caseworker_id", "client_uuid", "answer_note")
    unit_id = _picked(_l("Unit penanggung jawab"))
    caseworker_id = _picked(_l("Pekerja sosial"))
    client_uuid = _picked(_l("Data klien di dinas ini"))
    answer_note = TextAreaField(_l("Catatan (tidak wajib)"))

    @classmethod
    def build(cls, agency_id, candidates, **kwargs):
        """The form offering the agency's units and case holders, and the clients who may be this person."""
        form = cls(**kwargs)
        form.unit_id.choices = unit_options(agency_id, Unit.kind != UnitKind.PARTNER, _l("— pilih unit —"))
        form.caseworker_id.choices = holder_options(agency_id)
        form.client_uuid.choices = [
            SelectChoice("", _l("Salin sebagai klien baru (atau klien dengan NIK yang sama)")),
            *(SelectChoice(str(client.uuid), _client_label(client)) for client in candidates),
        ]
        return form


def _client_label(client):
    """A registry client as an option: name, birth year and NIK when known."""
    facts = [str(part) for part in (client.birth_year, client.nik) if part]
    return f"{client.full_name} ({', '.join(facts)})" if facts else client.full_name


class ReturnForm(OperationForm):
    """A return-to-origin plan."""

    fields_out = (
        "from_place",
        "from_region_code",
        "to_region_code",
        "to_address",
        "travel_date",
        "travel_mode",
        "escort_user_id",
        "escort_name",
        "handover",
        "family_name",
        "family_relationship",
        "origin_agency_id",
        "origin_agency_name",
        "notes",
    )
    uuid = HiddenField()
    from_place = _stripped(_l("Berangkat dari (tempat sekarang atau pelabuhan/bandara kedatangan)"))
    from_region_code = _stripped(_l("Wilayah keberangkatan (tidak wajib)"))
    to_region_code = _stripped(_l("Desa/kelurahan asal"))
    to_address = _stripped(_l("Alamat di daerah asal"))
    travel_date = _stripped(_l("Tanggal berangkat"))
    travel_mode = SelectField(
        _l("Moda perjalanan"), choices=_options(TRAVEL_MODE_LABELS, _l("— pilih —")), validate_choice=False
    )
    escort_user_id = _picked(_l("Petugas pendamping"))
    escort_name = _stripped(_l("atau nama pendamping lain"))
    handover = SelectField(
        _l("Diserahkan kepada"), choices=_options(HANDOVER_LABELS, _l("— pilih —")), validate_choice=False
    )
    family_name = _stripped(_l("Nama anggota keluarga"))
    family_relationship = _stripped(_l("Hubungan dengan klien"))
    origin_agency_id = _picked(_l("Dinas sosial daerah asal"))
    origin_agency_name = _stripped(_l("atau nama dinas sosial daerah asal"))
    notes = TextAreaField(_l("Catatan"))

    @classmethod
    def build(cls, agency_id, **kwargs):
        """The form offering the agency's active staff as escorts and the other agencies as receivers."""
        form = cls(**kwargs)
        staff = db.session.execute(
            sa.select(User.id, User.full_name)
            .where(User.agency_id == agency_id, User.active.is_(True))
            .order_by(User.full_name)
        )
        form.escort_user_id.choices = [
            SelectChoice("", _l("— tidak ada / pendamping lain —")),
            *(SelectChoice(str(id_), name) for id_, name in staff),
        ]
        form.origin_agency_id.choices = agency_options(agency_id, _l("— tidak ada di sistem ini —"))
        return form


class DepartureForm(VersionedForm):
    """The client set off."""

    fields_out = ("departed_on",)
    departed_on = _stripped(_l("Tanggal berangkat"))


class ArrivalForm(VersionedForm):
    """The client arrived and was received."""

    fields_out = ("arrived_on", "received_by", "arrival_notes")
    arrived_on = _stripped(_l("Tanggal tiba"))
    received_by = _stripped(_l("Diterima oleh (nama dan hubungan / jabatan)"))
    arrival_notes = TextAreaField(_l("Catatan serah terima"))
