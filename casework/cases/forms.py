"""Forms for the case pages: the caseload filters, opening a case, and one form per step of a case.

They only parse what was typed; the rules live in the case operations, shared
with the API. Each step's form carries the case version it was shown at, so a
step taken on a stale page is refused (409) rather than lost or misapplied.
Dates are text in ISO form (the tablet's date picker sends that), checked by
the operations so an impossible date gets a clear message.
"""

from datetime import date

import sqlalchemy as sa
from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

from casework.admin.forms import FilterForm
from casework.auth.models import User
from casework.cases.intake import CASE_HOLDERS, INTAKE_FIELDS
from casework.cases.labels import CHANNEL_LABELS, OUTCOME_LABELS, SETTING_LABELS, STAGE_LABELS
from casework.cases.models import Setting
from casework.cases.queries import OVERDUE_KINDS
from casework.cases.stages import AFTERCARE_MONTHS
from casework.cases.stays import residential_setting
from casework.extensions import db
from casework.files.forms import upload_field
from casework.org.models import Unit, UnitKind

OVERDUE_LABELS = {
    "assessment": _l("Asesmen lewat tenggat"),
    "stay": _l("Lewat batas tinggal"),
    "services": _l("Belum ada layanan"),
}
HOME_SETTINGS = (Setting.FAMILY, Setting.COMMUNITY)


def _choices(labels, blank=None):
    """Select options from a label table, led by a blank option labelled ``blank`` when given."""
    options = [SelectChoice(str(getattr(key, "value", key)), label) for key, label in labels.items()]
    return [SelectChoice("", blank), *options] if blank else options


def _day(label, **kwargs):
    """A date typed or picked as YYYY-MM-DD; the operation checks it."""
    return StringField(label, filters=[lambda value: value.strip() if value else value], **kwargs)


def _today():
    """Today as the date inputs show it."""
    return date.today().isoformat()


def _version():
    """The case version the page was shown at."""
    return IntegerField(widget=HiddenInput(), validators=[Optional()])


def _home_setting(label):
    """A choice of family or community (a residence is entered by admission instead)."""
    return SelectField(
        label, choices=_choices({setting: SETTING_LABELS[setting] for setting in HOME_SETTINGS}), validate_choice=False
    )


def _picked(choices_of):
    """A select of ids from the agency's rows (filled by ``build``); the operation checks the choice."""
    return SelectField(choices_of, choices=[], validate_choice=False)


class CaseloadFilterForm(FilterForm):
    """The caseload's filters: whose cases (tab), stage (open by default), overdue kind, and a search."""

    scope = HiddenField()
    stage = SelectField(
        _l("Tahap"),
        choices=[SelectChoice("", _l("Semua")), SelectChoice("open", _l("Belum diterminasi")), *_choices(STAGE_LABELS)],
        default="open",
        invalid_choice_message=_l("Pilihan tidak dikenal."),
    )
    overdue = SelectField(
        _l("Tenggat"),
        choices=[SelectChoice("", _l("Semua")), *_choices({kind: OVERDUE_LABELS[kind] for kind in OVERDUE_KINDS})],
        default="",
        invalid_choice_message=_l("Pilihan tidak dikenal."),
    )
    q = StringField(_l("Cari nama, NIK atau nomor kasus"), filters=[lambda value: value.strip() if value else value])


class StepForm(FlaskForm):
    """A step on a case: named fields go to the operation as they are, with the case version shown."""

    fields_out = ()
    version = _version()

    def values(self):
        """The submitted values as the operation takes them."""
        return {name: self[name].data for name in self.fields_out}


def unit_options(agency_id, condition, blank):
    """Options for the agency's active units matching ``condition``, led by a blank option."""
    rows = db.session.execute(
        sa.select(Unit.id, Unit.name)
        .where(Unit.agency_id == agency_id, Unit.active.is_(True), condition)
        .order_by(Unit.name)
    )
    return [SelectChoice("", blank), *(SelectChoice(str(id_), name) for id_, name in rows)]


def holder_options(agency_id):
    """Options for the agency's active caseworkers and supervisors."""
    rows = db.session.execute(
        sa.select(User.id, User.full_name)
        .where(User.agency_id == agency_id, User.active.is_(True), User.role.in_(CASE_HOLDERS))
        .order_by(User.full_name)
    )
    return [SelectChoice("", _l("— pilih pekerja sosial —")), *(SelectChoice(str(id_), name) for id_, name in rows)]


class AssignForm(StepForm):
    """Handing the case to another unit and caseworker."""

    fields_out = ("unit_id", "caseworker_id")
    unit_id = _picked(_l("Unit penanggung jawab"))
    caseworker_id = _picked(_l("Pekerja sosial"))

    @classmethod
    def build(cls, agency_id, **kwargs):
        """The form offering the agency's own active units and case holders."""
        form = cls(**kwargs)
        form.unit_id.choices = unit_options(agency_id, Unit.kind != UnitKind.PARTNER, _l("— pilih unit —"))
        form.caseworker_id.choices = holder_options(agency_id)
        return form


class IntakeForm(AssignForm):
    """Opening a case: the UUID made when the form opened makes a double submission harmless."""

    fields_out = (*INTAKE_FIELDS, "unit_id", "caseworker_id")
    uuid = HiddenField()
    intake_channel = SelectField(
        _l("Cara kasus diterima"), choices=_choices(CHANNEL_LABELS, _l("— pilih —")), validate_choice=False
    )
    intake_date = _day(_l("Tanggal penerimaan"), default=_today)
    intake_region_code = StringField(_l("Wilayah ditemukan (kecamatan atau kelurahan/desa)"))
    intake_place = StringField(_l("Tempat ditemukan (jalan, patokan)"))
    intake_latitude = HiddenField()
    intake_longitude = HiddenField()
    circumstances = TextAreaField(_l("Keadaan saat ditemukan"))


class BeginAssessmentForm(StepForm):
    """Intake → assessment."""

    fields_out = ("started_on",)
    started_on = _day(_l("Asesmen dimulai"), default=_today)


class AssessmentForm(StepForm):
    """Assessment → planning: condition and the services needed, each with a quantity (``quantity-<id>``)."""

    assessed_on = _day(_l("Tanggal asesmen selesai"), default=_today)
    condition = TextAreaField(_l("Kondisi klien"))
    needs = SelectMultipleField(_l("Layanan yang dibutuhkan"), choices=[], validate_choice=False)

    def values(self):
        """The operation's values; each ticked service with the quantity typed beside it."""
        needs = [
            {"service_id": service_id, "quantity": request.form.get(f"{self._prefix}quantity-{service_id}")}
            for service_id in self.needs.data or ()
        ]
        return {"assessed_on": self.assessed_on.data, "condition": self.condition.data, "needs": needs}


class PlanForm(StepForm):
    """Planning → intervention: goals, and a target date per need (``due-<service id>``)."""

    planned_on = _day(_l("Tanggal rencana"), default=_today)
    plan_goals = TextAreaField(_l("Tujuan rencana intervensi"))
    due_dates = HiddenField()

    def values(self):
        """The operation's values, with the target dates typed beside the needs."""
        marker = f"{self._prefix}due-"
        due = {key[len(marker) :]: value for key, value in request.form.items() if key.startswith(marker)}
        return {"planned_on": self.planned_on.data, "plan_goals": self.plan_goals.data, "due_dates": due}


class DeliveryForm(StepForm):
    """A service delivered: which (the case's needs first), when, how much, by whom."""

    fields_out = ("service_id", "delivered_on", "quantity", "unit_label", "provider_unit_id", "provider_name", "notes")
    uuid = HiddenField()
    service_id = _picked(_l("Layanan"))
    delivered_on = _day(_l("Tanggal diberikan"), default=_today)
    quantity = StringField(_l("Jumlah"), default="1")
    unit_label = StringField(_l("Satuan (boleh kosong)"))
    provider_unit_id = _picked(_l("Pemberi layanan (dari direktori)"))
    provider_name = StringField(_l("atau nama pemberi layanan lain"))
    notes = TextAreaField(_l("Keterangan"))

    @classmethod
    def build(cls, agency_id, needs, others, **kwargs):
        """The form offering the case's needed services first, then the other catalogued ones."""
        form = cls(**kwargs)
        form.service_id.choices = [
            SelectChoice("", _l("— pilih layanan —")),
            *(SelectChoice(str(service.id), service.name) for service in needs),
            *(SelectChoice(str(service.id), service.name) for service in others),
        ]
        form.provider_unit_id.choices = unit_options(agency_id, sa.true(), _l("— dari dinas / tidak ada —"))
        return form


def _months_choices():
    """The aftercare periods a case may be monitored for."""
    return [SelectChoice(str(months), _l("%(n)d bulan", n=months)) for months in AFTERCARE_MONTHS]


class TerminateForm(StepForm):
    """Proposing to end the case with an outcome, and the aftercare that starts once a supervisor approves."""

    fields_out = ("outcome", "terminated_on", "termination_notes", "aftercare_months")
    uuid = HiddenField()
    outcome = SelectField(
        _l("Hasil terminasi"), choices=_choices(OUTCOME_LABELS, _l("— pilih —")), validate_choice=False
    )
    terminated_on = _day(_l("Tanggal terminasi"), default=_today)
    termination_notes = TextAreaField(_l("Catatan terminasi"))
    aftercare_months = SelectField(
        _l("Bimbingan lanjut setelah terminasi"),
        choices=[
            SelectChoice("", _l("Tanpa bimbingan lanjut")),
            *_months_choices(),
        ],
        default="12",
        validate_choice=False,
    )


class AftercareForm(StepForm):
    """Monitoring after termination, for a number of months."""

    fields_out = ("months",)
    months = SelectField(
        _l("Lama bimbingan lanjut"),
        choices=_months_choices(),
        validate_choice=False,
    )


class AdmitForm(StepForm):
    """Admission to a rumah singgah, shelter or panti."""

    fields_out = ("unit_id", "admitted_on", "discharged_on")
    unit_id = _picked(_l("Rumah singgah / shelter / panti"))
    admitted_on = _day(_l("Tanggal masuk"), default=_today)
    discharged_on = _day(_l("Tanggal keluar (bila sudah)"))

    @classmethod
    def build(cls, agency_id, **kwargs):
        """The form offering the agency's residences (its own, and partner panti)."""
        form = cls(**kwargs)
        units = db.session.scalars(
            sa.select(Unit).where(Unit.agency_id == agency_id, Unit.active.is_(True)).order_by(Unit.name)
        )
        form.unit_id.choices = [
            SelectChoice("", _l("— pilih tempat —")),
            *(SelectChoice(str(unit.id), unit.name) for unit in units if residential_setting(unit)),
        ]
        return form


class DischargeForm(StepForm):
    """Leaving the residence for a family or community setting."""

    fields_out = ("discharged_on", "setting")
    discharged_on = _day(_l("Tanggal keluar"), default=_today)
    setting = _home_setting(_l("Selanjutnya dilayani di"))


class SettingForm(StepForm):
    """Moving between family and community settings."""

    fields_out = ("setting",)
    setting = _home_setting(_l("Tempat layanan"))


class NoteForm(StepForm):
    """A note on the case (no version needed: a note changes nothing else)."""

    fields_out = ("body",)
    uuid = HiddenField()
    body = TextAreaField(_l("Catatan baru"))


class AttachmentForm(StepForm):
    """A photo or scanned letter for the case, with an optional caption (no version: it changes nothing else)."""

    fields_out = ("caption",)
    uuid = HiddenField()
    file = upload_field(_l("Foto atau surat"))
    caption = StringField(_l("Keterangan (tidak wajib)"))
