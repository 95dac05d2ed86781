"""Importing figures from CSV: reading the file, per-row errors, the dry run, and the upload awaiting confirmation.

An import reads the whole file, checks every row and compares it with what is
stored: each row would create, update or leave unchanged one record, found by
its natural key. Nothing is written while any row has an error; a clean file
is applied in one transaction as an upsert, so importing the same file twice
changes nothing the second time.

Web processes keep no memory between requests, so an upload awaiting
confirmation is kept in ``pending_import`` (its bytes, kind and agency); the
confirmation checks it again against the database as it is then.

Each kind of import (targets, population) is an ``ImportSpec``: its columns,
a ``check`` that turns text rows into keyed values or errors, and how stored
rows are found, created and updated.
"""

import hashlib
import io
import uuid as uuid_module
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Mapped, mapped_column

from casework.audit.services import record
from casework.core.errors import NotFound, ValidationFailed
from casework.core.types import UTCDateTime, utcnow
from casework.extensions import db
from casework.imports.reader import FileProblem, read_table

# A province's population file (a few hundred villages × 30 categories) is well under 1 MB.
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 100_000
# An upload nobody confirmed is deleted after this long (when the next upload is stored).
PENDING_TTL = timedelta(days=1)
_YEAR_RANGE = (2000, 2100)


class PendingImport(db.Model):
    """An uploaded CSV file waiting for its dry run to be confirmed."""

    __tablename__ = "pending_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[uuid_module.UUID] = mapped_column(unique=True, default=uuid_module.uuid4)
    agency_id: Mapped[int] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    # The ImportSpec name: "targets", "population" (more record types come later, so no CHECK).
    kind: Mapped[str] = mapped_column(sa.String(30))
    filename: Mapped[str] = mapped_column(sa.String(200))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class RowError(NamedTuple):
    """A problem with a file (``line`` 0 means the file as a whole) or with one cell or row of it."""

    line: int
    column: str | None
    message: str


class Checked(NamedTuple):
    """A row that passed its checks: the file line, its natural key, the values to store, and the text as read."""

    line: int
    key: tuple
    values: dict
    cells: dict


@dataclass(frozen=True)
class ImportSpec:
    """One kind of import: its columns and how rows are checked, found, created and updated."""

    name: str
    columns: tuple
    # check(agency, rows) -> (list of Checked, list of RowError); rows are (line, {column: text}).
    check: Callable
    # existing(agency, keys) -> {key: stored row} for the keys given.
    existing: Callable
    # create(agency, key, values) -> a new row (added to the session by the caller).
    create: Callable
    # The stored row's value of each field in ``values``, to compare before updating.
    current: Callable


@dataclass
class Plan:
    """What importing a file does: per row create, update or unchanged, or the errors that stop it."""

    spec: ImportSpec
    errors: list = field(default_factory=list)
    actions: list = field(default_factory=list)  # (Checked, "create" | "update" | "unchanged", old values)

    @property
    def ok(self):
        """True when the file can be applied."""
        return not self.errors

    def count(self, action):
        """How many rows would (or did) ``action``."""
        return sum(1 for _row, done, _old in self.actions if done == action)

    @property
    def summary(self):
        """Rows per action, for messages, the API and the audit row."""
        return {action: self.count(action) for action in ("create", "update", "unchanged")}


# ---------------------------------------------------------------- reading and checking cells


def read_rows(content, columns):
    """The data rows of a CSV or XLSX file as (line, {column: text}) and the file's errors.

    Read by the imports' one reader (``casework.imports.reader``): the header
    names the columns (any order, any case; extra columns are ignored); a
    UTF-8 byte-order mark (Excel) is dropped; the delimiter is a comma,
    semicolon or tab, whichever the header uses; an XLSX file's first sheet
    is read the same way. Blank lines are skipped.
    """
    if len(content) > MAX_BYTES:
        return [], [RowError(0, None, _("Berkas terlalu besar (paling besar %(mb)d MB).", mb=MAX_BYTES // 2**20))]
    try:
        _positions, lines = read_table(io.BytesIO(content), columns, required=columns)
        rows = []
        for line, values in lines:
            if len(rows) == MAX_ROWS:
                return [], [RowError(0, None, _("Berkas terlalu panjang (paling banyak %(n)d baris).", n=MAX_ROWS))]
            rows.append((line, values))
    except FileProblem as problem:
        return [], [RowError(problem.line, None, str(problem))]
    if not rows:
        return [], [RowError(0, None, _("Berkas tidak berisi baris data."))]
    return rows, []


def count_cell(errors, line, values, column):
    """The whole number ≥ 0 in ``values[column]``; None (and an error noted) otherwise."""
    raw = values[column]
    if not raw:
        errors.append(RowError(line, column, _("Wajib diisi.")))
    elif raw.startswith("-") and raw[1:].isdigit():
        errors.append(RowError(line, column, _("Tidak boleh negatif.")))
    elif not (raw.isascii() and raw.isdigit()):
        errors.append(RowError(line, column, _("Harus bilangan bulat tanpa titik, koma atau spasi.")))
    elif len(raw) > 9:
        errors.append(RowError(line, column, _("Angka terlalu besar.")))
    else:
        return int(raw)
    return None


def year_cell(errors, line, values, column="year"):
    """The year in ``values[column]``, between 2000 and 2100; None (and an error noted) otherwise."""
    raw = values[column]
    if raw.isascii() and raw.isdigit() and _YEAR_RANGE[0] <= int(raw) <= _YEAR_RANGE[1]:
        return int(raw)
    errors.append(RowError(line, column, _("Tahun harus 4 angka antara %(low)d dan %(high)d.", low=2000, high=2100)))
    return None


# ---------------------------------------------------------------- planning and applying


def plan(spec, agency, content):
    """The dry run of importing ``content``: per-row errors, or what each row would do. Writes nothing."""
    rows, errors = read_rows(content, spec.columns)
    result = Plan(spec, errors=errors)
    if errors:
        return result
    checked, errors = spec.check(agency, rows)
    first_line = {}
    for row in checked:
        if row.key in first_line:
            message = _("Sama dengan baris %(line)d: setiap data hanya boleh satu kali.", line=first_line[row.key])
            errors.append(RowError(row.line, None, message))
        else:
            first_line[row.key] = row.line
    result.errors = sorted(errors, key=lambda error: (error.line, error.column or ""))
    if result.errors:
        return result
    stored = spec.existing(agency, [row.key for row in checked])
    for row in checked:
        if row.key not in stored:
            result.actions.append((row, "create", None))
            continue
        old = spec.current(stored[row.key])
        result.actions.append((row, "unchanged" if old == row.values else "update", old))
    return result


def apply(spec, agency, content, actor=None):
    """Imports ``content`` (all rows, or nothing when any has an error); audits it and flushes; returns the plan."""
    result = plan(spec, agency, content)
    if not result.ok:
        raise ValidationFailed(_("Berkas berisi kesalahan; tidak ada data yang disimpan."))
    stored = spec.existing(agency, [row.key for row, action, _old in result.actions if action == "update"])
    for row, action, _old in result.actions:
        if action == "create":
            db.session.add(spec.create(agency, row.key, row.values))
        elif action == "update":
            target = stored[row.key]
            for name, value in row.values.items():
                setattr(target, name, value)
    record(
        f"figures.{spec.name}_imported",
        agency,
        actor=actor,
        sha256=hashlib.sha256(content).hexdigest(),
        **result.summary,
    )
    db.session.flush()
    return result


# ---------------------------------------------------------------- the upload awaiting confirmation


def store_pending(spec, agency, content, filename, actor):
    """Keeps an uploaded file for its confirmation; drops unconfirmed uploads older than a day. Returns it."""
    db.session.execute(sa.delete(PendingImport).where(PendingImport.uploaded_at < utcnow() - PENDING_TTL))
    pending = PendingImport(
        agency_id=agency.id,
        kind=spec.name,
        filename=(filename or "")[:200],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by_id=actor.id if actor is not None else None,
    )
    db.session.add(pending)
    db.session.flush()
    return pending


def pending_upload(spec, agency, pending_uuid):
    """The agency's stored upload of this kind with ``pending_uuid``; NotFound when it is gone or another's."""
    try:
        key = uuid_module.UUID(str(pending_uuid))
    except ValueError:
        key = None
    pending = db.session.scalar(sa.select(PendingImport).where(PendingImport.uuid == key)) if key else None
    if pending is None or pending.agency_id != agency.id or pending.kind != spec.name:
        raise NotFound(_("Unggahan ini sudah diproses atau kedaluwarsa. Unggah berkasnya lagi."))
    return pending


def confirm_pending(spec, agency, pending_uuid, actor):
    """Imports a stored upload (checked again now) and deletes it; returns the plan applied."""
    pending = pending_upload(spec, agency, pending_uuid)
    result = apply(spec, agency, pending.content, actor=actor)
    db.session.delete(pending)
    db.session.flush()
    return result
