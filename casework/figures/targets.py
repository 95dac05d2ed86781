"""Annual targets per indicator and unit: the model, the queries the figures read, and the operations that set them.

Many official tables report realisation ÷ the year's target (set by decree),
per unit of the indicator's ``reported_by`` (branch offices, panti, district
units) and for the agency as a whole (``unit_id`` NULL). Targets are typed
into a grid (indicators × units, per year) or imported from CSV
``year, unit_code, indicator_code, target``; in the file the agency's own
code stands for the agency as a whole.
"""

from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.audit.services import record
from casework.core.errors import Conflict, NotFound, ValidationFailed, check_version, flush_versioned
from casework.core.types import UTCDateTime, utcnow
from casework.core.validation import Problems
from casework.extensions import db
from casework.figures.csv_import import Checked, ImportSpec, RowError, count_cell, year_cell
from casework.figures.models import DenominatorKind, Indicator, ReportedBy
from casework.org.models import Unit, UnitKind

# The units whose rows an indicator's achievement table has, by its ``reported_by``.
REPORTING_UNIT_KINDS = {
    ReportedBy.AGENCY: (),
    ReportedBy.BRANCH_OFFICE: (UnitKind.BRANCH_OFFICE,),
    ReportedBy.PANTI: (UnitKind.PANTI,),
    ReportedBy.DISTRICT: (UnitKind.DISTRICT_UNIT,),
}
MAX_TARGET = 999_999_999
REPORTED_BY_LABELS = {
    ReportedBy.AGENCY: _l("Seluruh dinas"),
    ReportedBy.BRANCH_OFFICE: _l("Kantor cabang"),
    ReportedBy.PANTI: _l("Panti"),
    ReportedBy.DISTRICT: _l("Unit kecamatan"),
}


class Target(db.Model):
    """The number an indicator should reach in a year, for one unit or (``unit_id`` NULL) the whole agency."""

    __tablename__ = "annual_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    year: Mapped[int]
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicator.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id"), index=True)
    target: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    indicator: Mapped[Indicator] = relationship()
    unit: Mapped[Unit | None] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        sa.UniqueConstraint("agency_id", "year", "indicator_id", "unit_id"),
        # NULLs are distinct in a unique constraint: the agency-wide target needs its own index.
        sa.Index(
            "uq_annual_target_agency_wide",
            "agency_id",
            "year",
            "indicator_id",
            unique=True,
            sqlite_where=sa.text("unit_id IS NULL"),
            postgresql_where=sa.text("unit_id IS NULL"),
        ),
        sa.CheckConstraint(f"target BETWEEN 0 AND {MAX_TARGET}", name="target_range"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
    )


# ---------------------------------------------------------------- queries


def annual_targets(agency_id, year, indicator_id):
    """The year's targets of an indicator: ``{unit_id or None (the agency as a whole): target}``."""
    rows = db.session.execute(
        sa.select(Target.unit_id, Target.target).where(
            Target.agency_id == agency_id, Target.year == year, Target.indicator_id == indicator_id
        )
    )
    return dict(rows.all())


def reporting_units(agency_id, reported_by):
    """The agency's active units that report an indicator reported by ``reported_by``, by name."""
    kinds = REPORTING_UNIT_KINDS[ReportedBy(reported_by)]
    if not kinds:
        return []
    return db.session.scalars(
        sa.select(Unit)
        .where(Unit.agency_id == agency_id, Unit.active.is_(True), Unit.kind.in_(kinds))
        .order_by(Unit.name, Unit.code)
    ).all()


class Grid(NamedTuple):
    """The target grid of one year and reporting level: indicators (rows), units (columns) and the stored targets."""

    year: int
    reported_by: ReportedBy
    indicators: list
    units: list
    targets: dict  # (indicator_id, unit_id or None) -> Target


def target_grid(agency_id, year, reported_by):
    """The grid of the active indicators reported by ``reported_by``, with the agency-wide column first."""
    reported_by = ReportedBy(reported_by)
    indicators = db.session.scalars(
        sa.select(Indicator)
        .where(
            Indicator.active.is_(True),
            Indicator.reported_by == reported_by,
            Indicator.denominator == DenominatorKind.TARGET,
        )
        .order_by(Indicator.ordinal, Indicator.code)
    ).all()
    stored = db.session.scalars(
        sa.select(Target).where(
            Target.agency_id == agency_id,
            Target.year == year,
            Target.indicator_id.in_([indicator.id for indicator in indicators]),
        )
    )
    targets = {(target.indicator_id, target.unit_id): target for target in stored}
    return Grid(year, reported_by, indicators, reporting_units(agency_id, reported_by), targets)


def list_targets(agency_id, year, indicator_id=None):
    """A select of the agency's targets of ``year`` (of one indicator when given), by indicator and unit."""
    select = (
        sa.select(Target)
        .outerjoin(Target.unit)
        .join(Target.indicator)
        .where(Target.agency_id == agency_id, Target.year == year)
        .order_by(Indicator.ordinal, Indicator.code, Unit.name.is_not(None), Unit.name)
    )
    return select if indicator_id is None else select.where(Target.indicator_id == indicator_id)


# ---------------------------------------------------------------- setting one target


def _stale_message():
    """The refusal of a target changed by someone else since it was read."""
    return _("Target ini baru saja diubah orang lain. Muat ulang halaman, lalu ubah lagi.")


def fits(indicator, unit):
    """True when ``unit`` (None: the agency as a whole) may carry a target of ``indicator``."""
    return unit is None or unit.kind in REPORTING_UNIT_KINDS[indicator.reported_by]


def _indicator_problem(indicator, code):
    """Why ``indicator`` (typed as ``code``) cannot have targets; None when it can."""
    if indicator is None or not indicator.active:
        return _("Kode indikator %(code)s tidak dikenal.", code=code)
    if indicator.denominator != DenominatorKind.TARGET:
        return _("Indikator %(code)s tidak dibandingkan dengan target tahunan.", code=indicator.code)
    return None


def set_target(agency, year, indicator, unit, value, version, actor=None):
    """Sets (``value`` None: removes) a target, read at ``version`` (None when none was stored); returns it or None.

    Refuses a unit outside the agency or of a kind the indicator is not
    reported by (422), and a target changed or added by someone else since it
    was read (409). An unchanged value writes nothing.
    """
    if unit is not None and unit.agency_id != agency.id:
        raise NotFound(_("Unit tidak ditemukan."))
    if problem := _indicator_problem(indicator, indicator.code):
        raise ValidationFailed(problem, fields={"indicator": [problem]})
    if not fits(indicator, unit):
        message = _("Indikator %(code)s tidak dilaporkan per unit %(unit)s.", code=indicator.code, unit=unit.name)
        raise ValidationFailed(message, fields={"unit": [message]})
    if value is not None and not 0 <= value <= MAX_TARGET:
        message = _("Target harus bilangan bulat 0 atau lebih.")
        raise ValidationFailed(message, fields={"target": [message]})
    target = db.session.scalar(
        sa.select(Target).where(
            Target.agency_id == agency.id,
            Target.year == year,
            Target.indicator_id == indicator.id,
            Target.unit_id.is_(None) if unit is None else Target.unit_id == unit.id,
        )
    )
    if target is None:
        if version not in (None, ""):
            raise Conflict(_stale_message())
        if value is None:
            return None
        target = Target(agency_id=agency.id, year=year, indicator=indicator, unit=unit, target=value)
        db.session.add(target)
        record("figures.target_set", target, actor=actor, year=year, indicator=indicator.code, target=[None, value])
        db.session.flush()
        return target
    check_version(target, version, _stale_message())
    if value == target.target:
        return target
    old = target.target
    record("figures.target_set", target, actor=actor, year=year, indicator=indicator.code, target=[old, value])
    if value is None:
        db.session.delete(target)
        db.session.flush()
        return None
    target.target = value
    flush_versioned(_stale_message)
    return target


class GridCell(NamedTuple):
    """One cell of a submitted grid: its field name, what it holds, what the page showed, and the version read."""

    field: str
    indicator_id: int
    unit_id: int | None
    text: str
    shown: str
    version: str


def save_grid(agency, grid, cells, actor=None):
    """Saves the cells of ``grid`` the user changed (their text differs from what the page showed); returns how many.

    Every cell's number is checked first, so one submission reports every bad
    cell and saves nothing; a cell someone else changed meanwhile is a 409.
    """
    indicators = {indicator.id: indicator for indicator in grid.indicators}
    units = {unit.id: unit for unit in grid.units} | {None: None}
    problems = Problems()
    changes = []
    for cell in cells:
        if cell.text.strip() == cell.shown.strip():
            continue
        if cell.indicator_id not in indicators or cell.unit_id not in units:
            raise NotFound(_("Sel target ini tidak ada di tabel."))
        text = cell.text.strip()
        if text and not (text.isascii() and text.isdigit() and int(text) <= MAX_TARGET):
            problems.add(cell.field, _("Isi bilangan bulat 0 atau lebih, atau kosongkan."))
            continue
        changes.append((cell, int(text) if text else None))
    problems.raise_any()
    for cell, value in changes:
        set_target(agency, grid.year, indicators[cell.indicator_id], units[cell.unit_id], value, cell.version, actor)
    return len(changes)


# ---------------------------------------------------------------- the CSV import


def _check_rows(agency, rows):
    """Checks ``year, unit_code, indicator_code, target`` rows; returns (Checked rows, errors)."""
    indicators = {indicator.code.upper(): indicator for indicator in db.session.scalars(sa.select(Indicator))}
    own = sa.select(Unit).where(Unit.agency_id == agency.id, Unit.kind != UnitKind.PARTNER)
    units = {unit.code.upper(): unit for unit in db.session.scalars(own)}
    checked, errors = [], []
    for line, cells in rows:
        before = len(errors)
        year = year_cell(errors, line, cells)
        target = count_cell(errors, line, cells, "target")
        indicator = indicators.get(cells["indicator_code"].upper())
        problem = (
            _indicator_problem(indicator, cells["indicator_code"]) if cells["indicator_code"] else _("Wajib diisi.")
        )
        if problem:
            errors.append(RowError(line, "indicator_code", problem))
            indicator = None
        unit_code = cells["unit_code"].upper()
        unit = None if unit_code == agency.code.upper() else units.get(unit_code)
        if not unit_code:
            errors.append(RowError(line, "unit_code", _("Wajib diisi.")))
        elif unit_code != agency.code.upper() and (unit is None or not unit.active):
            message = _(
                "Kode unit %(code)s tidak dikenal; isi kode unit aktif, atau %(agency)s untuk seluruh dinas.",
                code=cells["unit_code"],
                agency=agency.code,
            )
            errors.append(RowError(line, "unit_code", message))
        elif indicator is not None and not fits(indicator, unit):
            message = _("Indikator %(code)s tidak dilaporkan per unit %(unit)s.", code=indicator.code, unit=unit.code)
            errors.append(RowError(line, "unit_code", message))
        if len(errors) == before:
            key = (year, unit.id if unit else None, indicator.id)
            checked.append(Checked(line, key, {"target": target}, cells))
    return checked, errors


def _existing(agency, keys):
    """The agency's stored targets for the (year, unit_id, indicator_id) ``keys``."""
    years = {key[0] for key in keys}
    stored = db.session.scalars(sa.select(Target).where(Target.agency_id == agency.id, Target.year.in_(years)))
    wanted = set(keys)
    return {key: target for target in stored if (key := (target.year, target.unit_id, target.indicator_id)) in wanted}


def _create(agency, key, values):
    """A new target for ``key``."""
    year, unit_id, indicator_id = key
    return Target(agency_id=agency.id, year=year, unit_id=unit_id, indicator_id=indicator_id, **values)


IMPORT = ImportSpec(
    name="targets",
    columns=("year", "unit_code", "indicator_code", "target"),
    check=_check_rows,
    existing=_existing,
    create=_create,
    current=lambda target: {"target": target.target},
)
