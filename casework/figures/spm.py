"""The SPM index per service type and overall, its achievement band, and the quality entries behind it.

Index = recipients achievement × the agency's recipients weight + quality
achievement × its quality weight (80/20 unless the agency set others), from
the exact ratios and rounded half-up once: ``(w_r·n_r·d_q + w_q·n_q·d_r) ÷
(100·d_r·d_q) × 100``. The overall index uses the ratio of the sums over
the agency's service types, like every total. Bands come from the
``SPM_INDEX_BANDS`` setting (minimum index, band code), highest first.
"""

from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from casework.audit.services import record
from casework.core.errors import Conflict, ValidationFailed, check_version, flush_versioned
from casework.core.figures import percent
from casework.core.validation import Problems
from casework.extensions import db
from casework.figures.achievement import DEFAULT_PLACES, TOTAL_ROW, Row, indicator_by_code, served
from casework.figures.models import SpmQualityEntry
from casework.figures.standard import SPM_QUALITY, SPM_RECIPIENTS, spm_code
from casework.reference.models import SpmServiceType

# (minimum index, band): 100 is complete (tuntas), 80 or more achieved (tercapai), the rest not yet.
DEFAULT_BANDS = ((100, "complete"), (80, "achieved"), (0, "not_achieved"))
BAND_LABELS = {
    "complete": _l("Tuntas"),
    "achieved": _l("Tercapai"),
    "not_achieved": _l("Belum tercapai"),
}
MAX_CHECKLIST_ITEMS = 1_000_000


def band(index):
    """The band code of an index (None for no index)."""
    if index is None:
        return None
    for minimum, code in current_app.config.get("SPM_INDEX_BANDS", DEFAULT_BANDS):
        if index >= minimum:
            return code
    return None


def index_value(agency, recipients, quality, places=DEFAULT_PLACES):
    """The index of (realisation, denominator) pairs for recipients and quality; None when either is empty."""
    (met, needed), (good, checked) = recipients, quality
    if not needed or not checked:
        return None
    weighted = agency.spm_weight_recipients * met * checked + agency.spm_weight_quality * good * needed
    return percent(weighted, 100 * needed * checked, places)


class IndexRow(NamedTuple):
    """One service type's (or, with ``spm_type`` None, the overall) SPM achievement."""

    spm_type: SpmServiceType | None
    recipients: object  # the PENERIMA indicator's total Row
    quality: object  # the MUTU indicator's total Row
    index: object
    band: str | None


def agency_spm_types(agency):
    """The SPM service types of the agency's level, in the standard's order."""
    return db.session.scalars(
        sa.select(SpmServiceType).where(SpmServiceType.level == agency.level).order_by(SpmServiceType.ordinal)
    ).all()


def spm_index(agency, period, places=DEFAULT_PLACES):
    """Per SPM type of the agency's level and overall: recipients and quality achievement, index, band.

    A period whose window is a closed month's is read from the close, as every achievement page reads it.
    """
    rows = []
    for spm_type in agency_spm_types(agency):
        recipients, quality = (
            served(agency, indicator_by_code(agency, spm_code(spm_type.code, part)), period, places)
            for part in (SPM_RECIPIENTS, SPM_QUALITY)
        )
        pair = (recipients.total.realisation, recipients.total.denominator or 0)
        quality_pair = (quality.total.realisation, quality.total.denominator or 0)
        value = index_value(agency, pair, quality_pair, places)
        rows.append(IndexRow(spm_type, recipients.total, quality.total, value, band(value)))
    overall = _overall(agency, rows, places)
    return rows, overall


def _overall(agency, rows, places):
    """The overall row: recipients and quality as ratios of the sums over the types."""
    sums = [
        [sum(getattr(row, part).realisation for row in rows), sum(getattr(row, part).denominator or 0 for row in rows)]
        for part in ("recipients", "quality")
    ]
    totals = [Row(TOTAL_ROW, _("Jumlah"), n, d, percent(n, d, places)) for n, d in sums]
    value = index_value(agency, sums[0], sums[1], places)
    return IndexRow(None, totals[0], totals[1], value, band(value))


# ---------------------------------------------------------------- quality entries


def _stale_message():
    """The refusal of a quality entry someone else changed since it was read."""
    return _("Isian mutu ini baru saja diubah orang lain. Muat ulang halaman, lalu isi lagi.")


def quality_entries(agency, year, quarter):
    """``{spm_service_type_id: SpmQualityEntry}`` of one quarter."""
    rows = db.session.scalars(
        sa.select(SpmQualityEntry).where(
            SpmQualityEntry.agency_id == agency.id, SpmQualityEntry.year == year, SpmQualityEntry.quarter == quarter
        )
    )
    return {row.spm_service_type_id: row for row in rows}


def _checked_count(problems, raw, field):
    """A whole number of checklist items from 0 up, or None when blank."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and int(text) <= MAX_CHECKLIST_ITEMS:
        return int(text)
    problems.add(field, _("Isi bilangan bulat 0 atau lebih."))
    return None


def save_quality_quarter(agency, actor, year, quarter, values):
    """Saves a quarter's entries typed in one form; any refusal saves none (a 422 names the fields by type).

    ``values`` holds the texts ``met-<type id>``, ``total-<type id>`` and ``version-<type id>``.
    """
    problems = Problems()
    for spm_type in agency_spm_types(agency):
        key = spm_type.id
        try:
            set_quality_entry(
                agency,
                actor,
                year,
                quarter,
                spm_type,
                values.get(f"met-{key}"),
                values.get(f"total-{key}"),
                values.get(f"version-{key}") or None,
            )
        except ValidationFailed as error:
            for field, messages in error.fields.items():
                for message in messages:
                    problems.add(f"{field}-{key}", message)
    problems.raise_any()


def set_quality_entry(agency, actor, year, quarter, spm_type, met, total, version=None):
    """Records (or corrects) a quarter's quality result of one SPM type of the agency's level; returns the entry.

    ``met`` of ``total`` checklist items met the standard; both blank leaves
    an absent entry absent. ``version`` is the entry's as read (None when
    there was none): a change made meanwhile by someone else is a 409.
    """
    problems = Problems()
    if spm_type.level != agency.level:
        problems.add("spm_service_type", _("Jenis layanan SPM ini bukan untuk tingkat dinas Anda."))
    if quarter not in (1, 2, 3, 4):
        problems.add("quarter", _("Pilih triwulan 1 sampai 4."))
    met_value = _checked_count(problems, met, "met")
    total_value = _checked_count(problems, total, "total")
    if (met_value is None) != (total_value is None):
        problems.add("total", _("Isi keduanya: butir yang memenuhi standar dan butir yang diperiksa."))
    elif met_value is not None and met_value > total_value:
        problems.add("met", _("Butir yang memenuhi standar tidak boleh melebihi butir yang diperiksa."))
    problems.raise_any()
    entry = quality_entries(agency, year, quarter).get(spm_type.id)
    if entry is None:
        if version not in (None, ""):
            raise Conflict(_stale_message())
        if met_value is None:
            return None
        entry = SpmQualityEntry(
            agency_id=agency.id,
            year=year,
            quarter=quarter,
            spm_service_type_id=spm_type.id,
            met=met_value,
            total=total_value,
            entered_by_id=actor.id,
        )
        db.session.add(entry)
        db.session.flush()
        record("figures.quality_set", entry, actor=actor, met=[None, met_value], total=[None, total_value])
        return entry
    check_version(entry, version, _stale_message())
    if met_value is None:
        raise ValidationFailed(
            _("Isian mutu yang sudah ada tidak dapat dikosongkan."), fields={"met": [_("Wajib diisi.")]}
        )
    if (entry.met, entry.total) == (met_value, total_value):
        return entry
    record("figures.quality_set", entry, actor=actor, met=[entry.met, met_value], total=[entry.total, total_value])
    entry.met, entry.total, entry.entered_by_id = met_value, total_value, actor.id
    flush_versioned(_stale_message)
    return entry
