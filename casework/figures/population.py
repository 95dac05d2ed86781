"""The registered PPKS population: aggregate counts per year, region and category, their import and their totals.

Villages report how many people (or households, for categories counted per
family) of each PPKS category they hold; agencies collect the counts per
kelurahan/desa or per kecamatan and import them from CSV
``year, region_code, category_code, count``. The category is a national slug
or one of the agency's local codes (``F7``, or ``kota-f:F7`` when two code
sets share a code); the region a Kemendagri district or village code inside
the agency's area. A village's count rolls up to its district: a district
code is the first 8 characters of its villages' codes ("32.75.01.1001").
So that nothing is counted twice, a district's count of a category comes
either from the district row or from its villages' rows, never both.

Each count keeps the counting unit (person / household) its category had when
it was imported; totals never add persons and households together.
"""

from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.audit.services import record
from casework.core.errors import ValidationFailed
from casework.core.types import UTCDateTime, enum_column, utcnow
from casework.extensions import db
from casework.figures.csv_import import Checked, ImportSpec, RowError, count_cell, year_cell
from casework.reference.models import Category, CountingUnit, LocalCode, Region
from casework.reference.services import dotted_code

DISTRICT_LEVEL, VILLAGE_LEVEL = 3, 4
# "32.75.01": the length of a district code, and of a village code's district part.
DISTRICT_CODE_LENGTH = 8
# Region codes looked up per query while checking a file.
_LOOKUP_BATCH = 1000


class PopulationCount(db.Model):
    """How many PPKS of one category a district or village registered in a year."""

    __tablename__ = "population_count"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"))
    year: Mapped[int]
    region_code: Mapped[str] = mapped_column(sa.ForeignKey("region.code"), index=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("category.id"), index=True)
    count: Mapped[int]
    counting_unit: Mapped[CountingUnit] = mapped_column(enum_column(CountingUnit, "counting_unit"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    category: Mapped[Category] = relationship()
    region: Mapped[Region] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("agency_id", "year", "region_code", "category_id"),
        sa.CheckConstraint("count BETWEEN 0 AND 999999999", name="count_range"),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
    )


def district_code(column):
    """The district part of a district or village code, in SQL."""
    return sa.func.substr(column, 1, DISTRICT_CODE_LENGTH)


def _within(column, prefix):
    """A SQL condition: the region code ``column`` is the region ``prefix`` or lies inside it."""
    code = dotted_code(prefix)
    if code is None:
        message = _("Kode wilayah %(code)s tidak valid.", code=prefix)
        raise ValidationFailed(message, fields={"region_prefix": [message]})
    return sa.or_(column == code, column.like(f"{code}.%"))


def _filtered(select, agency_id, year, region_prefix, category_ids):
    """``select`` limited to the agency's counts of ``year``, inside ``region_prefix``, of ``category_ids``."""
    select = select.where(PopulationCount.agency_id == agency_id, PopulationCount.year == year)
    if region_prefix:
        select = select.where(_within(PopulationCount.region_code, region_prefix))
    if category_ids is not None:
        select = select.where(PopulationCount.category_id.in_(category_ids))
    return select


def population_total(agency_id, year, region_prefix=None, category_ids=None, counting_unit=CountingUnit.PERSON):
    """The registered population of a year: the sum of the counts in ``counting_unit`` (persons by default).

    ``region_prefix`` (a district or regency code) keeps the regions inside
    it, ``category_ids`` those categories; ``counting_unit`` None adds both
    units, which only makes sense when the caller knows no category is counted
    per household.
    """
    select = sa.select(sa.func.coalesce(sa.func.sum(PopulationCount.count), 0))
    select = _filtered(select, agency_id, year, region_prefix, category_ids)
    if counting_unit is not None:
        select = select.where(PopulationCount.counting_unit == CountingUnit(counting_unit))
    return int(db.session.scalar(select))


class PopulationTable(NamedTuple):
    """Counts by district (rows) and category (columns) with row, column and grand totals, each per counting unit."""

    districts: list  # (code, name), by code
    categories: list  # (Category, CountingUnit), national order
    cells: dict  # (district code, category id, unit) -> count
    row_totals: dict  # (district code, unit) -> count
    column_totals: dict  # (category id, unit) -> count
    totals: dict  # unit -> count
    units: list  # the counting units present, persons first


def population_table(agency_id, year, region_prefix=None):
    """The year's counts by district × category, with totals; each a GROUP BY of one query."""
    district = district_code(PopulationCount.region_code)
    no_text, no_id = sa.cast(sa.null(), sa.String), sa.cast(sa.null(), sa.Integer)
    total = sa.func.sum(PopulationCount.count)
    unit = PopulationCount.counting_unit
    groupings = (
        ((district, PopulationCount.category_id), (district, PopulationCount.category_id, unit)),
        ((district, no_id), (district, unit)),
        ((no_text, PopulationCount.category_id), (PopulationCount.category_id, unit)),
        ((no_text, no_id), (unit,)),
    )
    parts = [
        _filtered(sa.select(*columns, unit, total), agency_id, year, region_prefix, None).group_by(*group_by)
        for columns, group_by in groupings
    ]
    cells, row_totals, column_totals, totals = {}, {}, {}, {}
    for code, category_id, counting_unit, count in db.session.execute(sa.union_all(*parts)):
        counting_unit = CountingUnit(counting_unit)
        if code is not None and category_id is not None:
            cells[code, category_id, counting_unit] = count
        elif code is not None:
            row_totals[code, counting_unit] = count
        elif category_id is not None:
            column_totals[category_id, counting_unit] = count
        else:
            totals[counting_unit] = count
    codes = sorted({code for code, _unit in row_totals})
    names = dict(db.session.execute(sa.select(Region.code, Region.name).where(Region.code.in_(codes))).all())
    categories = db.session.scalars(
        sa.select(Category)
        .where(Category.id.in_({category_id for category_id, _unit in column_totals}))
        .order_by(Category.national_ordinal.is_(None), Category.national_ordinal, Category.name)
    ).all()
    return PopulationTable(
        districts=[(code, names.get(code, code)) for code in codes],
        categories=[
            (category, counting_unit)
            for category in categories
            for counting_unit in CountingUnit
            if (category.id, counting_unit) in column_totals
        ],
        cells=cells,
        row_totals=row_totals,
        column_totals=column_totals,
        totals=totals,
        units=[counting_unit for counting_unit in CountingUnit if counting_unit in totals],
    )


def population_years(agency_id):
    """The years the agency has counts for, latest first."""
    return db.session.scalars(
        sa.select(PopulationCount.year)
        .where(PopulationCount.agency_id == agency_id)
        .distinct()
        .order_by(PopulationCount.year.desc())
    ).all()


def delete_year(agency, year, actor=None):
    """Deletes the agency's counts of ``year`` (to import a corrected file from scratch); returns how many."""
    deleted = db.session.execute(
        sa.delete(PopulationCount).where(PopulationCount.agency_id == agency.id, PopulationCount.year == year)
    ).rowcount
    record("figures.population_deleted", agency, actor=actor, year=year, rows=deleted)
    db.session.flush()
    return deleted


# ---------------------------------------------------------------- the CSV import


def _regions(codes):
    """The regions with the given dotted codes, by code."""
    codes = sorted(codes)
    found = {}
    for start in range(0, len(codes), _LOOKUP_BATCH):
        batch = codes[start : start + _LOOKUP_BATCH]
        found.update(
            (region.code, region) for region in db.session.scalars(sa.select(Region).where(Region.code.in_(batch)))
        )
    return found


def category_finder():
    """A function from a category code (national slug, local code, or ``set:code``) to (category, error message)."""
    by_slug = {category.slug: category for category in db.session.scalars(sa.select(Category))}
    local = {}
    for local_code in db.session.scalars(sa.select(LocalCode)):
        local.setdefault(local_code.code.upper(), []).append(local_code)
        local[f"{local_code.code_set}:{local_code.code}".upper()] = [local_code]

    def find(code):
        category = by_slug.get(code.lower())
        matches = local.get(code.upper(), [])
        if category is None and len(matches) > 1:
            sets = ", ".join(f"{match.code_set}:{match.code}" for match in matches)
            return None, _(
                "Kode %(code)s ada di beberapa kumpulan kode; tulis salah satu: %(sets)s.", code=code, sets=sets
            )
        if category is None and matches:
            category = db.session.get(Category, matches[0].category_id)
        if category is None or not category.active:
            return None, _("Kode kategori %(code)s tidak dikenal (slug nasional atau kode lokal).", code=code)
        return category, None

    return find


def _region_problem(region, code, area):
    """Why ``region`` (typed as ``code``) cannot hold a count of the agency whose area is ``area``; None if it can."""
    if region is None:
        return _("Kode wilayah %(code)s tidak dikenal.", code=code)
    if region.retired:
        return _("Kode wilayah %(code)s sudah tidak berlaku (%(version)s).", code=code, version=region.table_version)
    if region.level not in (DISTRICT_LEVEL, VILLAGE_LEVEL):
        return _("Kode wilayah %(code)s harus kecamatan atau kelurahan/desa.", code=code)
    if not region.code.startswith(f"{area.code}."):
        return _(
            "Wilayah %(code)s (%(name)s) di luar wilayah dinas (%(area)s).", code=code, name=region.name, area=area.name
        )
    return None


def _check_rows(agency, rows):
    """Checks ``year, region_code, category_code, count`` rows; returns (Checked rows, errors)."""
    regions = _regions({dotted_code(cells["region_code"]) for _line, cells in rows} - {None})
    find_category = category_finder()
    checked, errors = [], []
    for line, cells in rows:
        before = len(errors)
        year = year_cell(errors, line, cells)
        count = count_cell(errors, line, cells, "count")
        code = dotted_code(cells["region_code"])
        if not cells["region_code"]:
            errors.append(RowError(line, "region_code", _("Wajib diisi.")))
        elif problem := _region_problem(regions.get(code), code or cells["region_code"], agency.region):
            errors.append(RowError(line, "region_code", problem))
        category, problem = (
            find_category(cells["category_code"]) if cells["category_code"] else (None, _("Wajib diisi."))
        )
        if problem:
            errors.append(RowError(line, "category_code", problem))
        if len(errors) == before:
            values = {"count": count, "counting_unit": category.counting_unit}
            checked.append(Checked(line, (year, code, category.id), values, cells))
    return checked, errors + _mixed_levels(agency, checked)


def _mixed_levels(agency, checked):
    """Errors for rows that would count a district's category twice: from the district and from its villages."""
    levels = {}
    stored = sa.select(PopulationCount.year, PopulationCount.region_code, PopulationCount.category_id).where(
        PopulationCount.agency_id == agency.id, PopulationCount.year.in_({row.key[0] for row in checked})
    )
    for year, code, category_id in [*db.session.execute(stored), *(row.key for row in checked)]:
        group = (year, code[:DISTRICT_CODE_LENGTH], category_id)
        levels.setdefault(group, set()).add(len(code) > DISTRICT_CODE_LENGTH)
    errors = []
    for row in checked:
        year, code, category_id = row.key
        if len(levels[year, code[:DISTRICT_CODE_LENGTH], category_id]) > 1:
            message = _(
                "Kecamatan %(district)s punya jumlah kategori ini per kecamatan dan per kelurahan/desa untuk %(year)d; "
                "isi salah satu saja agar tidak terhitung dua kali.",
                district=code[:DISTRICT_CODE_LENGTH],
                year=year,
            )
            errors.append(RowError(row.line, "region_code", message))
    return errors


def _existing(agency, keys):
    """The agency's stored counts for the (year, region_code, category_id) ``keys``."""
    stored = db.session.scalars(
        sa.select(PopulationCount).where(
            PopulationCount.agency_id == agency.id, PopulationCount.year.in_({key[0] for key in keys})
        )
    )
    wanted = set(keys)
    return {key: count for count in stored if (key := (count.year, count.region_code, count.category_id)) in wanted}


def _create(agency, key, values):
    """A new count for ``key``."""
    year, region_code, category_id = key
    return PopulationCount(agency_id=agency.id, year=year, region_code=region_code, category_id=category_id, **values)


IMPORT = ImportSpec(
    name="population",
    columns=("year", "region_code", "category_code", "count"),
    check=_check_rows,
    existing=_existing,
    create=_create,
    current=lambda count: {"count": count.count, "counting_unit": count.counting_unit},
)
