"""Achievement reports: for an indicator, a year and a period, per unit the realisation, the denominator, the %.

The realisation is counted in SQL from the indicator's measure
(``casework.figures.counting``) and grouped into the rows of its
``reported_by``: the agency as one row; branch offices or panti, each with
the units below it (a case of a sub-district unit counts for its branch
office); district units, by the district (kecamatan) of the case's intake
region. Facts no row owns are shown in a row of their own (``key`` None).

The denominator is the row's annual target, the registered population of its
area, or what the measure counted itself (persons who needed the service,
complaints received). The total row sums the realisations; its denominator
is the agency-wide target or population where one is set, else the sum of
the rows' — so its percentage is a ratio of sums, never a mean of rows.

Every number drills down (``casework.figures.drilldown``) to the rows that
made it: the same facts (``keyed_facts``), filtered to the row, so the list is
exactly as long as the count.
"""

import calendar
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import aliased

from casework.core.errors import NotFound, ValidationFailed
from casework.core.figures import percent
from casework.extensions import db
from casework.figures.counting import FACT_COLUMNS, MEASURES, Window, distinct_facts
from casework.figures.models import DenominatorKind, Indicator, PeriodRule, ReportedBy
from casework.figures.population import DISTRICT_CODE_LENGTH, population_total
from casework.figures.targets import REPORTING_UNIT_KINDS, annual_targets, reporting_units
from casework.org.models import Unit
from casework.reference.models import SpmServiceType

YEARS = (2000, 2100)
PLACES = (0, 4)
DEFAULT_PLACES = 2
# Row keys in URLs: the whole agency's row, the row of facts no unit owns, and the total.
AGENCY_ROW, NO_UNIT_ROW, TOTAL_ROW = "agency", "none", "total"


class Period(NamedTuple):
    """A year, or one quarter or month of it."""

    year: int
    quarter: int | None = None
    month: int | None = None

    @property
    def start(self):
        """The period's first day."""
        if self.month:
            return date(self.year, self.month, 1)
        if self.quarter:
            return date(self.year, 3 * self.quarter - 2, 1)
        return date(self.year, 1, 1)

    @property
    def end(self):
        """The period's last day."""
        last_month = self.month or (3 * self.quarter if self.quarter else 12)
        return date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    @property
    def months(self):
        """The period's month numbers."""
        return tuple(range(self.start.month, self.end.month + 1))

    def window(self, agency_id, indicator):
        """The days ``indicator`` counts for this period: from 1 January when it is cumulative."""
        start = date(self.year, 1, 1) if indicator.period_rule == PeriodRule.CUMULATIVE else self.start
        return Window(agency_id, self.year, start, self.end, indicator.spm_service_type_id)

    def as_dict(self):
        """The period as query arguments (unset parts left out)."""
        return {name: value for name, value in self._asdict().items() if value is not None}


def _number(problems, raw, field, low, high):
    """``raw`` as an integer from ``low`` to ``high``; None when blank; a noted problem otherwise."""
    if raw in (None, ""):
        return None
    text = str(raw).strip()
    if text.isascii() and text.isdigit() and low <= int(text) <= high:
        return int(text)
    problems[field] = [_("Isi angka dari %(low)d sampai %(high)d.", low=low, high=high)]
    return None


def parse_period(year, quarter=None, month=None):
    """The period a request names: a year, with a quarter or a month at most (422 otherwise)."""
    problems = {}
    parsed = _number(problems, year, "year", *YEARS)
    if parsed is None and "year" not in problems:
        problems["year"] = [_("Wajib diisi.")]
    quarter = _number(problems, quarter, "quarter", 1, 4)
    month = _number(problems, month, "month", 1, 12)
    if quarter and month:
        problems["month"] = [_("Pilih triwulan atau bulan, tidak keduanya.")]
    if problems:
        raise ValidationFailed(_("Periksa kembali periode laporan."), fields=problems)
    return Period(parsed, quarter, month)


def parse_places(raw):
    """The decimals a percentage is shown with (``DEFAULT_PLACES`` when blank; 0 to 4)."""
    problems = {}
    places = _number(problems, raw, "places", *PLACES)
    if problems:
        raise ValidationFailed(_("Periksa kembali jumlah desimal."), fields=problems)
    return DEFAULT_PLACES if places is None else places


def agency_indicators(agency):
    """A select of the active indicators the agency reports: the SPM ones of its level, and the others."""
    return (
        sa.select(Indicator)
        .outerjoin(SpmServiceType, SpmServiceType.id == Indicator.spm_service_type_id)
        .where(
            Indicator.active.is_(True),
            sa.or_(Indicator.spm_service_type_id.is_(None), SpmServiceType.level == agency.level),
        )
        .order_by(Indicator.ordinal, Indicator.code)
    )


def indicator_by_code(agency, code):
    """The agency's active indicator ``code``, in any case (404 for an unknown one or another level's SPM one)."""
    wanted = str(code or "").strip().upper()
    indicator = db.session.scalar(agency_indicators(agency).where(sa.func.upper(Indicator.code) == wanted))
    if indicator is None:
        raise NotFound(_("Indikator tidak ditemukan."))
    return indicator


def report_for(agency, args):
    """The achievement table ``args`` name, for the pages, the API and the CLI alike.

    ``args`` maps ``indicator``, ``year``, ``quarter`` or ``month``, and ``places`` to text (a query string).
    A period whose window is a closed month's is served from that close's latest revision (``closed`` set).
    """
    indicator = indicator_by_code(agency, args.get("indicator"))
    period = parse_period(args.get("year"), args.get("quarter"), args.get("month"))
    return served(agency, indicator, period, parse_places(args.get("places")))


def served(agency, indicator, period, places=DEFAULT_PLACES):
    """The indicator's table for ``period`` as every page serves it, live or from a close.

    A period whose window is a closed month's is read from that close's latest revision (``closed`` set; a
    few indexed reads); any other is counted live.
    """
    # Late import: close_queries builds on this module.
    from casework.figures.close_queries import closed_report

    return closed_report(agency, indicator, period, places) or achievement(agency, indicator, period, places)


# ---------------------------------------------------------------- rows and keys


def _unit_rollup(agency_id, kinds):
    """A recursive CTE mapping each unit to the reporting unit (of ``kinds``) it is, or lies below."""
    roots = (
        sa.select(Unit.id.label("unit_id"), Unit.id.label("root_id"))
        .where(Unit.agency_id == agency_id, Unit.kind.in_(kinds))
        .cte("unit_rollup", recursive=True)
    )
    child = aliased(Unit)
    # A reporting unit below another one reports for itself (it is a root of its own).
    return roots.union_all(
        sa.select(child.id, roots.c.root_id).where(child.parent_id == roots.c.unit_id, child.kind.not_in(kinds))
    )


def _district_units(agency_id, kinds):
    """The district units of the agency by the district code they cover (the first one, should two share it)."""
    return (
        sa.select(sa.func.min(Unit.id).label("unit_id"), Unit.region_code.label("region_code"))
        .where(Unit.agency_id == agency_id, Unit.kind.in_(kinds), Unit.region_code.is_not(None))
        .group_by(Unit.region_code)
        .subquery("district_units")
    )


def keyed_facts(agency_id, indicator, period):
    """The indicator's facts for the period, each with ``row_key``: the unit id of its row (None: no unit's)."""
    facts = distinct_facts(MEASURES[indicator.measure], period.window(agency_id, indicator))
    columns = [facts.c[name] for name in FACT_COLUMNS]
    if indicator.reported_by == ReportedBy.AGENCY:
        return sa.select(*columns, sa.cast(sa.null(), sa.Integer).label("row_key")).subquery("keyed")
    kinds = REPORTING_UNIT_KINDS[indicator.reported_by]
    if indicator.reported_by == ReportedBy.DISTRICT:
        districts = _district_units(agency_id, kinds)
        district_code = sa.func.substr(facts.c.region_code, 1, DISTRICT_CODE_LENGTH)
        joined = facts.outerjoin(districts, districts.c.region_code == district_code)
        key = districts.c.unit_id
    else:
        rollup = _unit_rollup(agency_id, kinds)
        joined = facts.outerjoin(rollup, rollup.c.unit_id == facts.c.unit_id)
        key = rollup.c.root_id
    return sa.select(*columns, key.label("row_key")).select_from(joined).subquery("keyed")


class Row(NamedTuple):
    """One line of an achievement table."""

    key: str  # for URLs: a unit id, AGENCY_ROW, NO_UNIT_ROW or TOTAL_ROW
    label: str
    realisation: int
    denominator: int | None
    percent: object  # Decimal or None


class Achievement(NamedTuple):
    """An indicator's achievement for a period: its rows, the total row, and the decimals shown."""

    indicator: Indicator
    period: Period
    window: Window
    rows: list
    total: Row
    places: int
    # Set when served from a monthly close: casework.figures.close_queries.ClosedState (revision, date, late items).
    closed: object = None


def _denominators(agency, indicator, period, units):
    """``(per unit id or None, for the total)`` targets or populations; measures count their own (None here)."""
    if indicator.denominator == DenominatorKind.TARGET:
        targets = annual_targets(agency.id, period.year, indicator.id)
        if indicator.reported_by == ReportedBy.AGENCY:
            return {None: targets.get(None)}, targets.get(None)
        return {unit.id: targets.get(unit.id) for unit in units}, targets.get(None)
    if indicator.denominator == DenominatorKind.POPULATION:
        whole = population_total(agency.id, period.year)
        if indicator.reported_by == ReportedBy.AGENCY:
            return {None: whole}, whole
        return {
            unit.id: population_total(agency.id, period.year, region_prefix=unit.region_code)
            if unit.region_code
            else None
            for unit in units
        }, whole
    return {}, None


def achievement(agency, indicator, period, places=DEFAULT_PLACES):
    """The achievement table of ``indicator`` for ``period`` in ``agency``: rows per unit and a total row."""
    keyed = keyed_facts(agency.id, indicator, period)
    sums = {
        key: (realisation or 0, denominator or 0)
        for key, realisation, denominator in db.session.execute(
            sa.select(keyed.c.row_key, sa.func.sum(keyed.c.numerator), sa.func.sum(keyed.c.denominator)).group_by(
                keyed.c.row_key
            )
        )
    }
    units = _row_units(agency, indicator, sums)
    given, given_total = _denominators(agency, indicator, period, units)
    own = indicator.denominator == DenominatorKind.MEASURE

    def row(key, unit_key, label):
        realisation, measured = sums.get(unit_key, (0, 0))
        denominator = measured if own else given.get(unit_key)
        return Row(key, label, realisation, denominator, percent(realisation, denominator, places))

    if indicator.reported_by == ReportedBy.AGENCY:
        rows = [row(AGENCY_ROW, None, agency.name)]
    else:
        rows = [row(str(unit.id), unit.id, unit.name) for unit in units]
        if None in sums:
            rows.append(row(NO_UNIT_ROW, None, _("Di luar unit pelapor")))
    realisation = sum(line.realisation for line in rows)
    if own or given_total is None:
        known = [line.denominator for line in rows if line.denominator is not None]
        denominator = sum(known) if known else None
    else:
        denominator = given_total
    total = Row(TOTAL_ROW, _("Jumlah"), realisation, denominator, percent(realisation, denominator, places))
    return Achievement(indicator, period, period.window(agency.id, indicator), rows, total, places)


def _row_units(agency, indicator, sums):
    """The reporting units with a row: the active ones, and any other one holding a count."""
    if indicator.reported_by == ReportedBy.AGENCY:
        return []
    units = list(reporting_units(agency.id, indicator.reported_by))
    listed = {unit.id for unit in units}
    extra = [key for key in sums if key is not None and key not in listed]
    if extra:
        units.extend(db.session.scalars(sa.select(Unit).where(Unit.id.in_(extra)).order_by(Unit.name)))
    return units
