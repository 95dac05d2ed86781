"""Forms for the referral pages: proposing one, and the decision forms (one text box and the version shown).

They only parse what was typed; the rules live in ``casework.referrals.services``.
"""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional
from wtforms.widgets import HiddenInput

from casework.cases.forms import unit_options
from casework.cases.models import CaseNeed
from casework.extensions import db
from casework.org.models import Unit, UnitKind
from casework.reference.models import Service
from casework.referrals.labels import DESTINATION_LABELS, NO_CONSENT_LABELS, URGENCY_LABELS

# The consent select: "given", or one of the reasons it could not be obtained.
CONSENT_GIVEN = "given"


def _options(labels):
    """Select options from a label table."""
    return [SelectChoice(key.value, label) for key, label in labels.items()]


class ProposeForm(FlaskForm):
    """A referral proposal: where to, which services, why, how urgent, and the client's consent."""

    uuid = HiddenField()
    destination_kind = SelectField(_l("Tujuan rujukan"), choices=_options(DESTINATION_LABELS), validate_choice=False)
    to_unit_id = SelectField(_l("Unit dinas penerima"), choices=[], validate_choice=False)
    partner_id = SelectField(_l("Mitra penerima"), choices=[], validate_choice=False)
    to_agency_name = StringField(_l("Nama dinas sosial penerima"))
    to_region_code = StringField(_l("Wilayah dinas penerima (kode provinsi atau kota/kabupaten)"))
    service_ids = SelectMultipleField(_l("Layanan yang diminta"), choices=[], validate_choice=False)
    reason = TextAreaField(_l("Alasan rujukan"))
    urgency = SelectField(_l("Tingkat kedaruratan"), choices=_options(URGENCY_LABELS), validate_choice=False)
    consent = SelectField(
        _l("Persetujuan klien"),
        choices=[
            SelectChoice(CONSENT_GIVEN, _l("Klien sudah menyetujui rujukan")),
            *(
                SelectChoice(reason.value, _l("Tanpa persetujuan: %(reason)s", reason=label))
                for reason, label in NO_CONSENT_LABELS.items()
            ),
        ],
        validate_choice=False,
    )
    consent_notes = StringField(_l("Keterangan persetujuan (wajib untuk alasan lain)"))

    @classmethod
    def build(cls, case, **kwargs):
        """The form offering the agency's units, its partners, and the catalogued services (the case's needs first)."""
        form = cls(**kwargs)
        form.to_unit_id.choices = unit_options(case.agency_id, Unit.kind != UnitKind.PARTNER, _l("— pilih unit —"))
        form.partner_id.choices = unit_options(case.agency_id, Unit.kind == UnitKind.PARTNER, _l("— pilih mitra —"))
        needed = sa.select(CaseNeed.service_id).where(CaseNeed.case_id == case.id)
        services = db.session.execute(
            sa.select(Service.id, Service.name)
            .where(Service.active.is_(True))
            .order_by(Service.id.not_in(needed), Service.name)
        )
        form.service_ids.choices = [SelectChoice(str(id_), name) for id_, name in services]
        return form

    @property
    def partner_chosen(self):
        """True when the destination is a partner (its choice is in ``partner_id``)."""
        return self.destination_kind.data == "partner"

    def values(self):
        """The operation's values: the chosen unit or partner as ``to_unit_id``, the consent split in two."""
        given = self.consent.data == CONSENT_GIVEN
        return {
            "destination_kind": self.destination_kind.data,
            "to_unit_id": self.partner_id.data if self.partner_chosen else self.to_unit_id.data,
            "to_agency_name": self.to_agency_name.data,
            "to_region_code": self.to_region_code.data,
            "service_ids": self.service_ids.data,
            "reason": self.reason.data,
            "urgency": self.urgency.data,
            "consent_given": given,
            "no_consent_reason": None if given else self.consent.data,
            "consent_notes": self.consent_notes.data,
        }

    def own_fields(self, fields):
        """A refusal's {field: messages} renamed to this form's fields (the receiver and consent selects)."""
        renamed = {
            "to_unit_id": "partner_id" if self.partner_chosen else "to_unit_id",
            "consent_given": "consent",
            "no_consent_reason": "consent",
        }
        own = {}
        for name, messages in fields.items():
            own.setdefault(renamed.get(name, name), []).extend(messages)
        return own


class DecisionForm(FlaskForm):
    """A decision or answer on a referral: the version shown and one text (note, reason or result)."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional()])
    text = TextAreaField()
    next = HiddenField()


# What each decision's text is called for the operation, and its label on the page.
DECISION_TEXT = {
    "approve": ("note", _l("Catatan persetujuan (tidak wajib)")),
    "reject": ("reason", _l("Alasan penolakan")),
    "accept": ("note", _l("Catatan penerimaan (tidak wajib)")),
    "decline": ("reason", _l("Alasan penolakan")),
    "complete": ("result", _l("Hasil rujukan")),
}
