"""What a record type of the import implements, and the registry of types.

The machinery (``casework.imports.engine``) reads a file into ``Row`` objects
(one per data line: the cells by column id), gives each its source row key and
hash, drops rows whose key was imported before with the same hash
(``unchanged``), and hands the rest to the type in batches:

* ``check(ctx, rows)`` parses and validates each row and resolves its
  references, writing nothing. It sets on every row either errors
  (``row.error(column, message)``) or an ``action`` (create / link / update)
  and ``row.values`` (whatever ``apply`` needs), ``row.target_id`` for link and
  update, and, for clients, ``row.candidates`` (likely duplicates needing a
  decision).
* ``apply(ctx, rows)`` writes the rows check accepted (create / update; link
  rows need nothing written) and sets ``row.target_id`` to the record's id. It
  flushes and never commits: the machinery commits each batch.

The source row key: the cell of the type's ``key_column`` (``kode_sumber``,
the id the old system gave the row) when filled; else the type's
``natural_key(row)`` (e.g. the client's NIK); else the hash of the row's
cells. The machinery stores (agency, record type, key) → (record id, row hash)
after applying; the same key with the same hash is ``unchanged`` on a
re-import, with another hash it is ``row.known`` for ``check`` to update (or
refuse, when the type cannot update). The same key twice in one file is an
error.
"""

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple, Protocol

from flask_babel import lazy_gettext as _l

# The column every type has first: the row's id in the system the data comes from.
KEY_COLUMN = "kode_sumber"


class Action(StrEnum):
    """What importing a row does."""

    CREATE = "create"
    LINK = "link"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"
    SKIP = "skip"


ACTION_LABELS = {
    Action.CREATE: _l("Dibuat baru"),
    Action.LINK: _l("Dikaitkan ke data yang ada"),
    Action.UPDATE: _l("Diperbarui"),
    Action.UNCHANGED: _l("Tidak berubah"),
    Action.ERROR: _l("Salah"),
    Action.SKIP: _l("Dilewati"),
}


@dataclass(frozen=True)
class Column:
    """One column of a record type's file.

    ``id`` is the snake-case name (accepted as a header, used in code and
    errors), ``header`` the Indonesian header of the template (also accepted),
    ``codes`` the name of an allowed-code list of ``casework.imports.codes``
    shown on the template's "Kode" sheet.
    """

    id: str
    header: str
    required: bool = False
    help: str = ""
    codes: str | None = None
    example: str = ""


def key_column(help_text=None):
    """The source row key column every type lists first."""
    return Column(
        KEY_COLUMN,
        _l("Kode sumber"),
        help=help_text
        or _l("Nomor/ID baris di sistem asal. Mengimpor ulang baris dengan kode yang sama tidak menggandakan data."),
        example="A-0001",
    )


class RowError(NamedTuple):
    """A problem: the file line (0 = the whole file), the column id (None = the row), the Indonesian message."""

    line: int
    column: str | None
    message: str


class Candidate(NamedTuple):
    """An existing record a row may be (clients: a likely duplicate), with the matcher's score and reasons."""

    id: int
    label: str
    score: int
    reasons: tuple = ()


@dataclass
class Row:
    """One data line of a file as the machinery and the record type see it."""

    line: int
    cells: dict
    key: str = ""
    hash: str = ""
    # (record id, row hash) stored for this key by an earlier import, when there was one.
    known: tuple | None = None
    action: Action | None = None
    values: dict = field(default_factory=dict)
    target_id: int | None = None
    errors: list = field(default_factory=list)
    candidates: list = field(default_factory=list)
    # The user's decision on candidates: None (none yet), "new", or a candidate id.
    decision: str | int | None = None
    # A short label for the report (a name, a case number).
    label: str = ""

    def cell(self, column):
        """The trimmed text of ``column`` ("" when blank or absent)."""
        return self.cells.get(column, "")

    def error(self, column, message):
        """Notes a problem with ``column`` (None: the row); the row becomes an error row."""
        self.errors.append(RowError(self.line, column, str(message)))
        self.action = Action.ERROR

    @property
    def ok(self):
        """True while no problem was noted."""
        return not self.errors


def row_hash(cells):
    """The hash of the filled cells: the same text gives the same hash whatever the column order."""
    text = "\x1f".join(f"{name}\x1e{value}" for name, value in sorted(cells.items()) if value)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class RecordType(Protocol):
    """A kind of record the import brings in (see the module docstring)."""

    name: str  # "clients": the registry key, the URL part, the CLI command, the template sheet name
    label: str  # "Klien"
    columns: tuple  # of Column, KEY_COLUMN first
    can_update: bool  # whether a changed row with a known key updates the record (else it is an error)

    def natural_key(self, row) -> str | None:
        """The row's key when the key column is blank, or None (then the hash is the key)."""

    def check(self, ctx, rows) -> None:
        """Validates and resolves a batch of rows (see the module docstring); writes nothing."""

    def apply(self, ctx, rows) -> None:
        """Writes a checked batch (create / update), setting ``row.target_id``; flushes, never commits."""


RECORD_TYPES: dict = {}


def register(record_type):
    """Adds a record type to the registry (call at import of its module); returns it."""
    RECORD_TYPES[record_type.name] = record_type
    return record_type
