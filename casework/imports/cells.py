"""Parsing the cells of an import row, and the ``Context`` a batch is checked in (agency, actor, cached lookups).

Every parser takes the row and the column id, returns the parsed value (None
when blank or wrong) and notes an Indonesian error on the row when the cell is
wrong, so a type checks every cell of a row and reports them all at once.
Lookups (codes, regions, users, units, stored source keys) are cached per
distinct text for the whole import, so a 100,000-row file costs one query
per distinct value, not per row.
"""

import re
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.auth.models import User
from casework.core.localtime import local_today
from casework.core.validation import YES
from casework.extensions import db
from casework.figures.population import category_finder
from casework.org.models import Unit
from casework.reference.models import Region, Service
from casework.reference.services import dotted_code, normalise_region_name

# Excel counts days from 1899-12-30 (its phantom 29 February 1900 included).
_EXCEL_EPOCH = date(1899, 12, 30)
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_NO = frozenset({"0", "false", "no", "tidak", "t", "n", "off", "-"})
_SEXES = {
    "l": "male",
    "lk": "male",
    "laki-laki": "male",
    "laki laki": "male",
    "pria": "male",
    "male": "male",
    "m": "male",
    "p": "female",
    "pr": "female",
    "perempuan": "female",
    "wanita": "female",
    "female": "female",
    "f": "female",
}


def required(row, column):
    """The cell's text, noting "required" when it is blank."""
    value = row.cell(column)
    if not value:
        row.error(column, _("Wajib diisi."))
    return value


def text_cell(row, column, max_length, is_required=False):
    """The cell's text (None when blank), at most ``max_length`` characters."""
    value = required(row, column) if is_required else row.cell(column)
    if len(value) > max_length:
        row.error(column, _("Paling banyak %(n)d karakter.", n=max_length))
        return None
    return value or None


def parse_date(value):
    """A date from "dd/mm/yyyy" (also "-" or "."), ISO "yyyy-mm-dd", an Excel serial, or a date; None if not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    value = str(value).strip()
    found = _DMY.fullmatch(value)
    try:
        if found:
            day, month, year = (int(part) for part in found.groups())
            return date(year, month, day)
        if value.replace(".0", "", 1).isdigit() and 1 <= float(value) < 2958466:
            return _EXCEL_EPOCH + timedelta(days=int(float(value)))
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def date_cell(row, column, is_required=False, today=None, not_before=None, not_before_message=None):
    """The cell's date (see ``parse_date``), not in the future nor before ``not_before``."""
    value = required(row, column) if is_required else row.cell(column)
    if not value:
        return None
    parsed = parse_date(value)
    if parsed is None:
        row.error(column, _("Tanggal %(value)s tidak valid (tulis HH/BB/TTTT, misalnya 17/08/2024).", value=value))
    elif parsed > (today or local_today()):
        row.error(column, _("Tanggal tidak boleh di masa depan."))
    elif not_before is not None and parsed < not_before:
        row.error(column, not_before_message or _("Tanggal terlalu awal."))
    else:
        return parsed
    return None


def bool_cell(row, column):
    """True for ya/yes/1/true/v, False for blank/tidak/no/0/false; an error for anything else."""
    value = row.cell(column).lower()
    if value in YES or value in ("v", "x", "✓"):
        return True
    if not value or value in _NO:
        return False
    row.error(column, _('Isi "ya" atau "tidak".'))
    return False


def int_cell(row, column, minimum=0, maximum=10**9, is_required=False):
    """A whole number between ``minimum`` and ``maximum`` (None when blank)."""
    value = required(row, column) if is_required else row.cell(column)
    if not value:
        return None
    digits = value[:-2] if value.endswith(".0") else value
    if not (digits.isascii() and digits.lstrip("-").isdigit()) or not minimum <= int(digits) <= maximum:
        row.error(column, _("Harus bilangan bulat antara %(low)d dan %(high)d.", low=minimum, high=maximum))
        return None
    return int(digits)


def sex_cell(row, column):
    """The sex ("male"/"female") from L/P, laki-laki/perempuan, male/female (None when blank)."""
    value = row.cell(column).lower()
    if not value:
        return None
    if value not in _SEXES:
        row.error(column, _("Jenis kelamin tidak dikenal: tulis L (laki-laki) atau P (perempuan)."))
        return None
    return _SEXES[value]


def enum_cell(row, column, enum_cls, labels=None, is_required=False):
    """The member of ``enum_cls`` named by its code ("walk_in") or its Indonesian label (any case)."""
    value = required(row, column) if is_required else row.cell(column)
    if not value:
        return None
    wanted = value.strip().lower()
    # Codes first: a label is translated text, built only when no code matches.
    for member in enum_cls:
        if wanted == member.value:
            return member
    for member, label in (labels or {}).items():
        if wanted == str(label).lower():
            return member
    codes = ", ".join(member.value for member in enum_cls)
    row.error(column, _("Kode %(value)s tidak dikenal; pilih salah satu: %(codes)s.", value=value, codes=codes))
    return None


class Context:
    """What a batch is checked and applied in: the agency, the actor, today, and lookups cached by text."""

    def __init__(self, agency, actor, today=None, new_when_unsure=False, job=None):
        """Starts with empty caches; ``new_when_unsure`` registers likely duplicates as new (CLI option)."""
        self.job = job
        self.agency = agency
        self.actor = actor
        self.today = today or local_today()
        self.new_when_unsure = new_when_unsure
        self._find_category = None
        self._cache = {}
        # What a record type keeps across the batches of one file (NIKs seen, its name index).
        self.state = {}
        self._roles = {actor.id: actor.role} if actor is not None else {}

    def holds_cases(self, user_id):
        """True when the user (found by ``user``) may hold cases: a caseworker or a supervisor."""
        from casework.cases.intake import CASE_HOLDERS

        return self._roles.get(user_id) in CASE_HOLDERS

    def default_caseworker(self):
        """The actor's id when the actor may hold cases, else None."""
        return self.actor.id if self.holds_cases(self.actor.id) else None

    def _cached(self, kind, text, find):
        """``find(text)`` once per (kind, text): (value, error message)."""
        key = (kind, text)
        if key not in self._cache:
            self._cache[key] = find(text)
        return self._cache[key]

    def _resolve(self, row, column, kind, find, is_required):
        """The cell's looked-up value, noting the lookup's message as the cell's error."""
        value = required(row, column) if is_required else row.cell(column)
        if not value:
            return None
        found, message = self._cached(kind, value, find)
        if message:
            row.error(column, message)
        return found

    def category_of(self, text):
        """(category id, None) for a national slug, a local code (F1) or ``code_set:code``; else (None, message)."""
        if self._find_category is None:
            self._find_category = category_finder()

        def find(code):
            category, message = self._find_category(code)
            return (category.id if category else None), message

        return self._cached("category", text, find)

    def category(self, row, column, is_required=False):
        """The id of the active category named in the cell (see ``category_of``)."""
        return self._resolve(row, column, "category-cell", self.category_of, is_required)

    def service_of(self, text):
        """(the active ``Service`` named by its slug or budget code, None), or (None, message)."""

        def find(code):
            found = db.session.scalars(
                sa.select(Service).where(sa.or_(Service.slug == code.lower(), Service.budget_code == code))
            ).first()
            if found is None or not found.active:
                return None, _("Kode layanan %(code)s tidak dikenal.", code=code)
            return found, None

        return self._cached("service", text, find)

    def service(self, row, column, is_required=False):
        """The active ``Service`` named in the cell (see ``service_of``)."""
        return self._resolve(row, column, "service-cell", self.service_of, is_required)

    def region(self, row, column, levels=(4,), is_required=False):
        """The code of the active region given by Kemendagri code or by exact name, at one of ``levels``.

        A name several regions share is an error listing their codes ("tulis kodenya").
        """
        return self._resolve(
            row, column, ("region", levels), lambda text: _find_region(text, levels, self.region_lookup), is_required
        )

    def prefetch_regions(self, texts):
        """Loads the regions of the dotted codes among ``texts`` not looked up yet, 500 a query (for a batch).

        ``region`` and ``region_lookup`` then answer from the cache instead of one query per code.
        """
        codes = {code for code in map(dotted_code, filter(None, texts)) if code}
        wanted = sorted(code for code in codes if ("region-row", code) not in self._cache)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            self._cache.update((("region-row", code), None) for code in chunk)
            found = db.session.execute(
                sa.select(Region.code, Region.level, Region.retired).where(Region.code.in_(chunk))
            )
            self._cache.update((("region-row", row.code), row) for row in found)

    def user(self, row, column, is_required=False):
        """The id of the agency's active user with this username."""

        def find(text):
            found = db.session.scalar(sa.select(User).where(User.username == text, User.agency_id == self.agency.id))
            if found is None or not found.active:
                return None, _("Pengguna %(name)s tidak dikenal di dinas ini.", name=text)
            self._roles[found.id] = found.role
            return found.id, None

        return self._resolve(row, column, "user", find, is_required)

    def unit(self, row, column, kinds=None, is_required=False):
        """The agency's active ``Unit`` with this code (of one of ``kinds`` when given)."""

        def find(text):
            found = db.session.scalar(
                sa.select(Unit).where(Unit.agency_id == self.agency.id, sa.func.upper(Unit.code) == text.upper())
            )
            if found is None or not found.active:
                return None, _("Kode unit %(code)s tidak dikenal di dinas ini.", code=text)
            if kinds and found.kind not in kinds:
                return None, _("Unit %(code)s bukan jenis yang bisa dipakai di kolom ini.", code=text)
            return found, None

        return self._resolve(row, column, ("unit", tuple(kinds or ())), find, is_required)

    def region_lookup(self, code):
        """The region with this dotted code as (code, level, retired), cached; None when unknown (NIK checks)."""
        key = ("region-row", code)
        if key not in self._cache:
            found = db.session.execute(
                sa.select(Region.code, Region.level, Region.retired).where(Region.code == code)
            ).first()
            self._cache[key] = found
        return self._cache[key]

    def keyed(self, record_type, keys):
        """{source key: record id} for the keys an earlier import of ``record_type`` stored (cached)."""
        from casework.imports.models import ImportKey

        cache = self._cache.setdefault(("keys", record_type), {})
        wanted = [key for key in set(keys) if key and key not in cache]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            cache.update(dict.fromkeys(chunk))
            found = db.session.execute(
                sa.select(ImportKey.source_key, ImportKey.record_id).where(
                    ImportKey.agency_id == self.agency.id,
                    ImportKey.record_type == record_type,
                    ImportKey.source_key.in_(chunk),
                )
            )
            cache.update(dict(found.all()))
        return {key: cache.get(key) for key in keys if key}


def _find_region(text, levels, lookup):
    """(region code, None) for an active region with this code or exact name at ``levels``; else (None, message).

    ``lookup`` finds a region's (code, level, retired) by dotted code (``Context.region_lookup``, cached).
    """
    code = dotted_code(text)
    if code:
        region = lookup(code)
        if region is None or region.retired:
            return None, _("Kode wilayah %(code)s tidak dikenal atau sudah tidak berlaku.", code=text)
        if region.level not in levels:
            return None, _("Wilayah %(code)s bukan tingkat yang diminta di kolom ini.", code=text)
        return region.code, None
    name = normalise_region_name(text)
    matches = db.session.execute(
        sa.select(Region.code, Region.path).where(
            sa.func.lower(Region.name) == text.strip().lower(), Region.level.in_(levels), Region.retired.is_(False)
        )
    ).all()
    if not matches and name:
        matches = db.session.execute(
            sa.select(Region.code, Region.path)
            .join_from(Region, _token_table(), _token_table().c.region_code == Region.code)
            .where(_token_table().c.search_name == name, Region.level.in_(levels), Region.retired.is_(False))
            .distinct()
        ).all()
    if len(matches) == 1:
        return matches[0].code, None
    if not matches:
        return None, _("Wilayah %(name)s tidak ditemukan (tulis nama persis atau kode Kemendagri).", name=text)
    listed = "; ".join(f"{match.code} ({match.path})" for match in matches[:5])
    return None, _("Ada beberapa wilayah bernama %(name)s; tulis kodenya: %(listed)s.", name=text, listed=listed)


def _token_table():
    """The region name token table (its search_name is the normalised whole name)."""
    from casework.reference.models import RegionNameToken

    return RegionNameToken.__table__
