"""Retention periods per agency and record type, with defaults when an agency has set none.

Defaults (``DEFAULTS``): closed cases 10 years after termination, findings and
complaints 5 years after their decision, import files 30 days after upload.
"""

from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from casework.audit.services import record
from casework.core.validation import Problems, whole_number
from casework.extensions import db
from casework.privacy.models import RetentionKind, RetentionSetting

DEFAULTS = {RetentionKind.CLOSED_CASES: 10, RetentionKind.REPORTS: 5, RetentionKind.IMPORT_FILES: 30}
# The periods each kind accepts (years for the first two, days for import files). Closed cases are kept at
# least 3 years: aftercare monitoring lasts up to 36 months after termination, and must not lose its client.
LIMITS = {
    RetentionKind.CLOSED_CASES: (3, 100),
    RetentionKind.REPORTS: (1, 100),
    RetentionKind.IMPORT_FILES: (1, 3650),
}
IN_DAYS = frozenset({RetentionKind.IMPORT_FILES})
LABELS = {
    RetentionKind.CLOSED_CASES: _l("Kasus yang sudah diterminasi (tahun setelah terminasi)"),
    RetentionKind.REPORTS: _l("Temuan dan pengaduan (tahun setelah diputuskan)"),
    RetentionKind.IMPORT_FILES: _l("Berkas impor (hari setelah diunggah)"),
}


def periods(agency_id):
    """{kind: period} of the agency, the default where it has set none."""
    rows = db.session.execute(
        sa.select(RetentionSetting.kind, RetentionSetting.period).where(RetentionSetting.agency_id == agency_id)
    )
    return {**DEFAULTS, **dict(rows.all())}


def years_before(day, years):
    """The same day ``years`` earlier (28 February for a 29 February that year lacks)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28)


def cutoff(kind, period, today):
    """The last day a record ended on and is still kept: older ones are past retention."""
    return today - timedelta(days=period) if kind in IN_DAYS else years_before(today, period)


def save_periods(agency, actor, data):
    """Sets the agency's periods from {kind value: number}; every field checked at once. Returns the changed kinds."""
    problems = Problems()
    wanted = {}
    for kind in RetentionKind:
        low, high = LIMITS[kind]
        message = _("Isi bilangan bulat %(low)d–%(high)d.", low=low, high=high)
        number = whole_number(problems, data.get(kind.value), kind.value, message)
        if number is None and kind.value not in problems.fields:
            problems.add(kind.value, _("Wajib diisi."))
        elif number is not None and not low <= number <= high:
            problems.add(kind.value, message)
            number = None
        wanted[kind] = number
    problems.raise_any()
    current = {row.kind: row for row in db.session.scalars(sa.select(RetentionSetting).filter_by(agency_id=agency.id))}
    changed = {}
    for kind, number in wanted.items():
        row = current.get(kind)
        if row is None:
            db.session.add(RetentionSetting(agency_id=agency.id, kind=kind, period=number, updated_by_id=actor.id))
        elif row.period != number:
            row.period, row.updated_by_id = number, actor.id
        else:
            continue
        changed[kind.value] = number
    db.session.flush()
    if changed:
        record("privacy.retention_updated", agency, actor=actor, **changed)
    return changed
