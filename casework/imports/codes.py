"""The allowed-code lists a template's "Kode" sheet shows, by the name a ``Column.codes`` gives.

Each list is a function of the agency returning (code, meaning) pairs. A record
type needing another list adds one entry to ``CODE_LISTS``.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from casework.aftercare.labels import RESULT_LABELS
from casework.cases.labels import CHANNEL_LABELS, OUTCOME_LABELS, SETTING_LABELS, STAGE_LABELS
from casework.extensions import db
from casework.org.models import Unit
from casework.reference.models import Category, LocalCode, Service
from casework.referrals.labels import DESTINATION_LABELS, NO_CONSENT_LABELS, STATUS_LABELS, URGENCY_LABELS


def _labelled(labels):
    """The pairs of an enum's labels."""
    return lambda agency: [(member.value, str(label)) for member, label in labels.items()]


def _categories(agency):
    """National categories by slug, then every local code set's codes (``set:code`` is never ambiguous)."""
    national = db.session.execute(
        sa.select(Category.slug, Category.name)
        .where(Category.active.is_(True))
        .order_by(Category.national_ordinal, Category.slug)
    ).all()
    local = db.session.execute(
        sa.select(LocalCode.code_set, LocalCode.code, LocalCode.name).order_by(LocalCode.code_set, LocalCode.id)
    ).all()
    return [*national, *((f"{code_set}:{code}", name) for code_set, code, name in local)]


def _services(agency):
    """Active services by slug (their budget code is accepted too)."""
    rows = db.session.execute(
        sa.select(Service.slug, Service.name, Service.budget_code)
        .where(Service.active.is_(True))
        .order_by(Service.name)
    )
    return [(slug, f"{name} ({code})" if code else name) for slug, name, code in rows]


def _units(agency):
    """The agency's active units by code."""
    rows = db.session.execute(
        sa.select(Unit.code, Unit.name).where(Unit.agency_id == agency.id, Unit.active.is_(True)).order_by(Unit.code)
    )
    return [tuple(row) for row in rows]


CODE_LISTS = {
    "categories": (_l("Kategori PPKS (slug nasional atau kode lokal)"), _categories),
    "sexes": (_l("Jenis kelamin"), lambda agency: [("L", _("Laki-laki")), ("P", _("Perempuan"))]),
    "yes_no": (_l("Ya / tidak"), lambda agency: [("ya", _("Ya")), ("tidak", _("Tidak"))]),
    "channels": (_l("Jalur penerimaan"), _labelled(CHANNEL_LABELS)),
    "settings": (_l("Tempat layanan"), _labelled(SETTING_LABELS)),
    "stages": (_l("Tahap kasus"), _labelled(STAGE_LABELS)),
    "outcomes": (_l("Hasil terminasi"), _labelled(OUTCOME_LABELS)),
    "services": (_l("Layanan"), _services),
    "units": (_l("Unit dinas"), _units),
    "referral_destinations": (_l("Jenis tujuan rujukan"), _labelled(DESTINATION_LABELS)),
    "referral_statuses": (_l("Status rujukan"), _labelled(STATUS_LABELS)),
    "urgencies": (_l("Urgensi rujukan"), _labelled(URGENCY_LABELS)),
    "no_consent_reasons": (_l("Alasan tanpa persetujuan"), _labelled(NO_CONSENT_LABELS)),
    "visit_results": (_l("Hasil kunjungan bimbingan lanjut"), _labelled(RESULT_LABELS)),
}


def code_lists(record_type, agency):
    """[(list title, [(code, meaning)])] for the lists the type's columns name, in column order."""
    names = list(dict.fromkeys(column.codes for column in record_type.columns if column.codes))
    return [(str(CODE_LISTS[name][0]), CODE_LISTS[name][1](agency)) for name in names if name in CODE_LISTS]
