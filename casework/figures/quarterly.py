"""The quarterly SPM report (Permendagri 59/2021, e-SPM): the figures per service type and the data officer's entries.

Per SPM service type of the agency's level the report shows the recipients
(persons who needed the service, persons whose needs were met, achievement),
the quality achievement, the SPM index and its band (``casework.figures.spm``),
all cumulative from 1 January to the quarter's last day, beside what the data
officer enters per type and quarter (``SpmQuarterlyEntry``): the budget
allocation and realisation in rupiah, the problems met and the action plan.

The scheduler drafts each finished quarter (``draft_quarter``): one entry per
type, the allocation carried over from the year's latest earlier quarter, so
the officer only completes it. Entries are versioned (a stale save is a 409)
and every change is audited (amounts and the names of the changed texts, never
the texts themselves).
"""

import re
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.audit.services import record
from casework.core.errors import Conflict, ValidationFailed, check_version, flush_versioned
from casework.core.figures import percent
from casework.core.types import UTCDateTime, utcnow
from casework.core.validation import Problems, text
from casework.extensions import db
from casework.figures import spm
from casework.figures.achievement import DEFAULT_PLACES, Period
from casework.figures.close_queries import latest_close
from casework.figures.standard import spm_code
from casework.reference.models import SpmServiceType

MAX_RUPIAH = 10**15
MAX_TEXT = 2000
AMOUNTS = ("budget_allocation", "budget_realisation")
TEXTS = ("problems", "action_plan")
# Whole rupiah: plain digits, or digits grouped by thousands ("1.250.000", "1,250,000", "1 250 000").
_RUPIAH = re.compile(r"\d+|\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*")


class SpmQuarterlyEntry(db.Model):
    """What the data officer reports for one SPM service type in a quarter, beside the counted figures."""

    __tablename__ = "spm_report_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    year: Mapped[int] = mapped_column(sa.SmallInteger)
    quarter: Mapped[int] = mapped_column(sa.SmallInteger)
    spm_service_type_id: Mapped[int] = mapped_column(sa.ForeignKey("spm_service_type.id"), index=True)
    # Rupiah for the whole year (allocation) and spent up to the quarter's end (realisation).
    budget_allocation: Mapped[int | None] = mapped_column(sa.BigInteger)
    budget_realisation: Mapped[int | None] = mapped_column(sa.BigInteger)
    problems: Mapped[str | None] = mapped_column(sa.String(MAX_TEXT))
    action_plan: Mapped[str | None] = mapped_column(sa.String(MAX_TEXT))
    # None for a draft made by the scheduler and not edited since.
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    spm_service_type: Mapped[SpmServiceType] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint("agency_id", "year", "quarter", "spm_service_type_id"),
        sa.CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
        sa.CheckConstraint(
            f"budget_allocation IS NULL OR budget_allocation BETWEEN 0 AND {MAX_RUPIAH}", name="allocation_range"
        ),
        sa.CheckConstraint(
            f"budget_realisation IS NULL OR budget_realisation BETWEEN 0 AND {MAX_RUPIAH}", name="realisation_range"
        ),
        # Spending cannot exceed the budget allocated (a revised budget is entered as the new allocation).
        sa.CheckConstraint(
            "budget_realisation IS NULL OR budget_allocation IS NULL OR budget_realisation <= budget_allocation",
            name="realisation_within_allocation",
        ),
    )


# ---------------------------------------------------------------- the report


class Line(NamedTuple):
    """One row of the report: an SPM type (``spm_type`` None: all of them) with its figures and budget."""

    spm_type: SpmServiceType | None
    figures: spm.IndexRow
    entry: SpmQuarterlyEntry | None
    allocation: int | None
    realisation: int | None
    budget_percent: object  # Decimal or None

    def code(self, suffix):
        """The code of this type's indicator (``SPM_RECIPIENTS`` or ``SPM_QUALITY``); None for the total."""
        return spm_code(self.spm_type.code, suffix) if self.spm_type else None


class QuarterlyReport(NamedTuple):
    """The quarterly SPM report of an agency: a line per SPM type, the total line, and where the figures come from."""

    agency: object
    year: int
    quarter: int
    period: Period
    # The latest close of the quarter's last month, the figures' source; None: counted live.
    closed: object
    lines: list
    total: Line
    places: int


def entries(agency, year, quarter):
    """``{spm_service_type_id: SpmQuarterlyEntry}`` of one quarter."""
    rows = db.session.scalars(
        sa.select(SpmQuarterlyEntry).where(
            SpmQuarterlyEntry.agency_id == agency.id,
            SpmQuarterlyEntry.year == year,
            SpmQuarterlyEntry.quarter == quarter,
        )
    )
    return {row.spm_service_type_id: row for row in rows}


def quarterly_report(agency, year, quarter, places=DEFAULT_PLACES):
    """The report of ``quarter`` of ``year``: figures cumulative from 1 January to the quarter's end, and the entries.

    When the quarter's last month is closed, the achievement tables (and so
    the index) are served from its latest close; otherwise they are counted live.
    """
    period = Period(year, quarter)
    closed = latest_close(agency.id, year, period.end.month)
    types, overall = spm.spm_index(agency, period, places)
    stored = entries(agency, year, quarter)
    lines = []
    for figures in types:
        entry = stored.get(figures.spm_type.id)
        allocation = entry.budget_allocation if entry else None
        realisation = entry.budget_realisation if entry else None
        lines.append(
            Line(
                figures.spm_type,
                figures,
                entry,
                allocation,
                realisation,
                _budget_percent(allocation, realisation, places),
            )
        )
    allocation = _sum_known(line.allocation for line in lines)
    realisation = _sum_known(line.realisation for line in lines)
    total = Line(None, overall, None, allocation, realisation, _budget_percent(allocation, realisation, places))
    return QuarterlyReport(agency, year, quarter, period, closed, lines, total, places)


def _sum_known(values):
    """The sum of the values entered; None when none was."""
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def _budget_percent(allocation, realisation, places):
    """Realisation ÷ allocation, as published (half-up); None without both."""
    if realisation is None:
        return None
    return percent(realisation, allocation, places)


# ---------------------------------------------------------------- entering


def _stale_message():
    """The refusal of an entry someone else changed since it was read."""
    return _("Isian laporan triwulan ini baru saja diubah orang lain. Muat ulang halaman, lalu isi lagi.")


def _rupiah(problems, raw, field):
    """Whole rupiah from 0 up (thousands may be grouped), or None when blank."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        return None
    if text.isascii() and _RUPIAH.fullmatch(text):
        value = int(re.sub(r"\D", "", text))
        if value <= MAX_RUPIAH:
            return value
    problems.add(field, _("Isi rupiah bulat 0 atau lebih, tanpa sen."))
    return None


def _parse(values):
    """The four fields of an entry from their texts; a 422 naming each bad field."""
    problems = Problems()
    parsed = {field: _rupiah(problems, values.get(field), field) for field in AMOUNTS}
    parsed.update({field: text(problems, values, SpmQuarterlyEntry.__table__.c[field]) for field in TEXTS})
    allocation, realisation = parsed["budget_allocation"], parsed["budget_realisation"]
    if realisation is not None and allocation is None and "budget_allocation" not in problems.fields:
        problems.add("budget_allocation", _("Isi alokasi anggaran bila realisasinya diisi."))
    elif realisation is not None and allocation is not None and realisation > allocation:
        problems.add("budget_realisation", _("Realisasi anggaran tidak boleh melebihi alokasinya."))
    problems.raise_any()
    return parsed


def set_entry(agency, actor, year, quarter, spm_type, values, version=None):
    """Records (or corrects) a quarter's entry of one SPM type of the agency's level; returns it (None: none kept).

    ``values`` maps ``budget_allocation``, ``budget_realisation``,
    ``problems`` and ``action_plan`` to texts (blank: none). ``version`` is
    the entry's as read (None when there was none): a change made meanwhile
    is a 409. All blank leaves an absent entry absent.
    """
    problems = Problems()
    if spm_type.level != agency.level:
        problems.add("spm_service_type", _("Jenis layanan SPM ini bukan untuk tingkat dinas Anda."))
    if quarter not in (1, 2, 3, 4):
        problems.add("quarter", _("Pilih triwulan 1 sampai 4."))
    problems.raise_any()
    parsed = _parse(values)
    entry = entries(agency, year, quarter).get(spm_type.id)
    if entry is None:
        if version not in (None, ""):
            raise Conflict(_stale_message())
        if all(value is None for value in parsed.values()):
            return None
        entry = SpmQuarterlyEntry(
            agency_id=agency.id, year=year, quarter=quarter, spm_service_type_id=spm_type.id, updated_by_id=actor.id
        )
        db.session.add(entry)
    else:
        check_version(entry, version, _stale_message())
    changes = {
        field: [getattr(entry, field), value] for field, value in parsed.items() if getattr(entry, field) != value
    }
    if not changes and entry.id is not None:
        return entry
    for field, value in parsed.items():
        setattr(entry, field, value)
    entry.updated_by_id = actor.id
    flush_versioned(_stale_message)
    # Amounts are not personal data; the texts may name people, so only which ones changed is kept.
    record(
        "figures.quarterly_set",
        entry,
        actor=actor,
        **{field: change for field, change in changes.items() if field in AMOUNTS},
        texts_changed=sorted(field for field in changes if field in TEXTS),
    )
    return entry


def save_quarter(agency, actor, year, quarter, values):
    """Saves a quarter's entries typed in one form; any refusal saves none (a 422 names the fields by type).

    ``values`` holds the texts ``<field>-<type id>`` and ``version-<type id>``.
    """
    problems = Problems()
    # A savepoint: the types saved before a refusal are undone with it.
    with db.session.begin_nested():
        for spm_type in spm.agency_spm_types(agency):
            key = spm_type.id
            own = {field: values.get(f"{field}-{key}") for field in (*AMOUNTS, *TEXTS)}
            try:
                set_entry(agency, actor, year, quarter, spm_type, own, values.get(f"version-{key}") or None)
            except ValidationFailed as error:
                for field, messages in error.fields.items():
                    for message in messages:
                        problems.add(f"{field}-{key}", message)
        problems.raise_any()


def draft_quarter(agency, year, quarter):
    """Adds the quarter's missing entries, one per SPM type, carrying over the year's latest allocation; the count.

    Run by the scheduler after each quarter; running it again adds nothing.
    """
    existing = entries(agency, year, quarter)
    earlier = (
        sa.select(SpmQuarterlyEntry.spm_service_type_id, SpmQuarterlyEntry.budget_allocation)
        .where(
            SpmQuarterlyEntry.agency_id == agency.id,
            SpmQuarterlyEntry.year == year,
            SpmQuarterlyEntry.quarter < quarter,
            SpmQuarterlyEntry.budget_allocation.is_not(None),
        )
        .order_by(SpmQuarterlyEntry.quarter)
    )
    # Ordered by quarter, so the latest earlier allocation of each type wins.
    allocations = dict(db.session.execute(earlier).all())
    added = [
        SpmQuarterlyEntry(
            agency_id=agency.id,
            year=year,
            quarter=quarter,
            spm_service_type_id=spm_type.id,
            budget_allocation=allocations.get(spm_type.id),
        )
        for spm_type in spm.agency_spm_types(agency)
        if spm_type.id not in existing
    ]
    if added:
        db.session.add_all(added)
        db.session.flush()
        record("figures.quarterly_drafted", None, agency_id=agency.id, year=year, quarter=quarter, entries=len(added))
    return len(added)
