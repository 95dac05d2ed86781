"""Reading a CSV or XLSX file row by row: one reader for every import (the figures' CSV import too).

CSV: UTF-8 with or without a byte-order mark, columns separated by a comma, a
semicolon (spreadsheets saved with an Indonesian locale) or a tab, whichever
the header line uses. XLSX: the first sheet, or the sheet named for the record
type when there is one, read with openpyxl in read-only mode so a large
workbook is never held in memory. The kind is read from the bytes (an XLSX
is a zip), never from the file name.
"""

import codecs
import csv
import io
from datetime import date, datetime

from flask_babel import gettext as _

_DELIMITERS = ",;\t"
ZIP_MAGIC = b"PK\x03\x04"


class FileProblem(Exception):
    """The file as a whole cannot be read; the message is Indonesian, ``line`` 1 when the header is at fault."""

    def __init__(self, message, line=0):
        """Keeps the message and the line."""
        super().__init__(message)
        self.line = line


def kind_of(head):
    """The kind: "xlsx" when the first bytes are a zip, else "csv" (checked again as UTF-8 text when read)."""
    return "xlsx" if head.startswith(ZIP_MAGIC) else "csv"


def _cell_text(value):
    """A cell's value as the text a CSV would hold: dates ISO, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_lines(stream):
    """(line number, cells) of a binary CSV stream."""
    head = stream.read(4096)
    stream.seek(0)
    try:
        first = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
    except UnicodeDecodeError as error:
        raise FileProblem(_("Berkas harus teks CSV dengan pengodean UTF-8, atau berkas XLSX.")) from error
    header_line = first.splitlines()[0] if first else ""
    delimiter = max(_DELIMITERS, key=header_line.count)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    reader = csv.reader(text, delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, [cell.strip() for cell in cells]
    except UnicodeDecodeError as error:
        raise FileProblem(_("Berkas harus teks CSV dengan pengodean UTF-8, atau berkas XLSX.")) from error
    finally:
        text.detach()


def _xlsx_lines(stream, sheet_name):
    """(row number, cells) of the chosen sheet of an XLSX stream."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:
        raise FileProblem(_("Berkas XLSX tidak dapat dibaca.")) from error
    try:
        names = {name.lower(): name for name in workbook.sheetnames}
        sheet = workbook[names.get((sheet_name or "").lower(), workbook.sheetnames[0])]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(value) for value in values]
    finally:
        workbook.close()


def table_lines(stream, sheet_name=None):
    """(line number, [cell text]) of every line of a CSV or XLSX binary stream, header included."""
    head = stream.read(4)
    stream.seek(0)
    if kind_of(head) == "xlsx":
        return _xlsx_lines(stream, sheet_name)
    return _csv_lines(stream)


def header_key(text):
    """A header cell as it is compared: lower case, single spaces as underscores, no stray "*"."""
    return "_".join(str(text).replace("*", " ").strip().lower().split())


def read_table(stream, columns, required=(), sheet_name=None, aliases=None):
    """The header positions and an iterator over (line, {column: text}) of non-blank data lines.

    ``columns`` are the ids to read; ``aliases`` maps other header texts (an
    Indonesian header) to an id. Columns absent from the header read as "".
    A missing ``required`` column is a ``FileProblem`` naming it.
    """
    lines = table_lines(stream, sheet_name)
    _number, header = next(lines, (1, []))
    known = {header_key(column): column for column in columns}
    known.update({header_key(text): column for text, column in (aliases or {}).items()})
    positions = {}
    for at, text in enumerate(header):
        column = known.get(header_key(text))
        if column is not None and column not in positions:
            positions[column] = at
    missing = [column for column in required if column not in positions]
    if missing:
        raise FileProblem(
            _(
                "Baris judul harus memuat kolom: %(columns)s. Tidak ada: %(missing)s.",
                columns=", ".join(required),
                missing=", ".join(missing),
            ),
            line=1,
        )

    def rows():
        for number, cells in lines:
            if not any(cells):
                continue
            yield number, {column: (cells[at] if at < len(cells) else "") for column, at in positions.items()}

    return positions, rows()
