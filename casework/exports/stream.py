"""Any list as a CSV or XLSX file, written as it is read: memory does not grow with the rows.

Rows come from the database in batches (``yield_per``: a server-side cursor
on PostgreSQL, SQLite's own stepping) and are written out as they come: CSV
straight into the streamed response (``stream_with_context``), XLSX into an
openpyxl write-only workbook on a temporary file (its rows go to disk, not
memory), which is then sent in chunks. A list ordered outside the database (a
name search ranked by the matcher, ``Ranked``) is read by its ids, a batch of
ids at a time, in rank order.

Cells that a spreadsheet would run as a formula (text starting with ``=``,
``+``, ``-``, ``@``) are written as text with a leading apostrophe, and
instants are written in the agency's local time.
"""

import csv
import io
import tempfile
from datetime import date, datetime

from flask import Response, send_file, stream_with_context
from openpyxl import Workbook

from casework.core.localtime import local_zone
from casework.core.pagination import Ranked
from casework.extensions import db

FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
# Rows fetched (and, for CSV, sent) at a time.
BATCH_SIZE = 2_000
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text):
    """Text a spreadsheet shows as written: a leading formula character is escaped with an apostrophe."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def cell(value):
    """A value as a file cell: local naive time for instants, safe text, numbers and dates as they are."""
    if isinstance(value, datetime):
        return value.astimezone(local_zone()).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, str):
        return safe_text(value)
    return value


def _csv_cell(value):
    """A cell as CSV text: dates as ISO dates, times to the second, nothing as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    return value.isoformat() if isinstance(value, date) else value


def batches(select, line=tuple, batch_size=None):
    """The lines of cells of ``select`` (or a ``Ranked``), ``batch_size`` rows at a time; ``line`` makes a row cells.

    Nothing is read until the first batch is asked for, so a streamed response
    reads its rows while it sends them.
    """
    batch_size = batch_size or BATCH_SIZE
    if isinstance(select, Ranked):
        yield from _ranked_batches(select, line, batch_size)
        return
    # Plain rows through the session's connection: no ORM loading machinery per row.
    result = db.session.connection().execute(select, execution_options={"yield_per": batch_size})
    for batch in result.partitions():
        yield [[cell(value) for value in line(row)] for row in batch]


def _ranked_batches(ranked, line, batch_size):
    """A ``Ranked`` list's rows in rank order, ``batch_size`` ids at a time (its select reads the key first).

    A row gone since the ranking is skipped.
    """
    for start in range(0, len(ranked.ids), batch_size):
        ids = ranked.ids[start : start + batch_size]
        by_id = {row[0]: row for row in db.session.execute(ranked.select.where(ranked.key.in_(ids)))}
        yield [[cell(value) for value in line(by_id[row_id])] for row_id in ids if row_id in by_id]


def csv_chunks(headings, lines):
    """The CSV file as UTF-8 byte chunks: a heading line, then one chunk per batch of ``lines``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    for batch in lines:
        writer.writerows([_csv_cell(value) for value in line] for line in batch)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def write_xlsx(file, sheet_title, headings, lines, preamble=()):
    """Writes a one-sheet write-only workbook to ``file``: the ``preamble`` lines, the headings, every line."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    for heading_line in preamble:
        sheet.append(heading_line)
    sheet.append(headings)
    for batch in lines:
        for line in batch:
            sheet.append(line)
    workbook.save(file)


def xlsx_bytes(sheet_title, headings, lines, preamble=()):
    """A small table's workbook as bytes (for files kept in memory by design, e.g. one achievement table)."""
    buffer = io.BytesIO()
    write_xlsx(buffer, sheet_title, headings, lines, preamble)
    return buffer.getvalue()


def download(name, fmt, headings, lines, sheet_title, preamble=()):
    """``lines`` as a download named ``name``: CSV streamed while read, XLSX built on a temporary file, then sent.

    ``lines`` is an iterator of batches (see ``batches``); for CSV it is read
    inside the request context after the view returned.
    """
    if fmt == "csv":
        streamed = Response(stream_with_context(csv_chunks(headings, lines)), content_type=MEDIA_TYPES[fmt])
        streamed.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return streamed
    # Nameless on disk; closed by the response once sent (here, should writing fail).
    file = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        write_xlsx(file, sheet_title, headings, lines, preamble)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return send_file(file, mimetype=MEDIA_TYPES[fmt], as_attachment=True, download_name=name)
