"""Every row behind one number as a CSV or XLSX file, written as it is read: memory does not grow with the rows.

The page lists the rows behind a number a page at a time; a file holds all
of them (a year of the documents figure in a large agency is hundreds of
thousands). Rows come from the database in batches (``yield_per``: a
server-side cursor on PostgreSQL, SQLite's own stepping) and are written out
as they come: CSV straight into the streamed response, XLSX into an openpyxl
write-only workbook on a temporary file (its rows go to disk, not memory),
which is then sent in chunks. The CLI writes the same files
(``flask casework report counted``).
"""

import csv
import io
import tempfile
from datetime import date

from flask import Response, send_file, stream_with_context
from flask_babel import gettext as _
from openpyxl import Workbook

from casework.extensions import db
from casework.figures import exports
from casework.figures.drilldown import fact_day

FORMATS = ("csv", "xlsx")
# Rows fetched (and, for CSV, sent) at a time.
BATCH_SIZE = 2_000


def headings(show_names):
    """The column headings; the client's name only for users who may read the client registry."""
    names = [_("Klien")] if show_names else []
    return [_("ID"), _("Tanggal"), _("Kasus"), *names, _("Dihitung"), _("Penyebut")]


def _file_columns(select, show_names):
    """``select`` reduced to the columns of the file, in its order (the case UUID and the like cost time)."""
    names = ("item_id", "on", "case_number", *(("client_name",) if show_names else ()), "numerator", "denominator")
    return select.with_only_columns(*(select.selected_columns[name] for name in names))


def _line(row):
    """A row's cells: the fact's day as the agency reads it (a quality entry's quarter as text)."""
    item_id, on, *rest = row
    return [item_id, fact_day(on) if isinstance(on, date) else _("Triwulan %(q)d", q=on), *rest]


def lines(select, show_names):
    """The file's lines of cells, in batches read ``BATCH_SIZE`` rows at a time."""
    result = db.session.execute(_file_columns(select, show_names), execution_options={"yield_per": BATCH_SIZE})
    for batch in result.partitions():
        yield [_line(row) for row in batch]


def _csv_cell(cell):
    """A cell as CSV text: dates as ISO dates, nothing as an empty cell."""
    if cell is None:
        return ""
    return cell.isoformat() if isinstance(cell, date) else cell


def csv_chunks(select, show_names):
    """The CSV file as UTF-8 byte chunks (a heading line, then one chunk per batch of rows)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings(show_names))
    for batch in lines(select, show_names):
        writer.writerows([_csv_cell(cell) for cell in line] for line in batch)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def write_xlsx(report, select, show_names, file):
    """Writes the XLSX workbook to ``file``: a title line, the period, the headings, then every row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(report.indicator.code[:31])
    sheet.append([f"{report.indicator.code} — {report.indicator.name}"])
    sheet.append([_("Periode"), report.window.start.isoformat(), report.window.end.isoformat()])
    sheet.append(headings(show_names))
    for batch in lines(select, show_names):
        for line in batch:
            sheet.append(line)
    workbook.save(file)


def filename(report, fmt, row_key):
    """``rincian-KAB-2-PENERIMA-2026-T3-total.csv``: the report's file name, with the row drilled into."""
    return exports.filename(report, fmt, prefix="rincian", row=row_key)


def response(report, select, fmt, row_key, show_names):
    """The file as a download: CSV streamed while it is read, XLSX built on a temporary file, then sent."""
    name = filename(report, fmt, row_key)
    if fmt == "csv":
        streamed = Response(stream_with_context(csv_chunks(select, show_names)), content_type=exports.MEDIA_TYPES[fmt])
        streamed.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return streamed
    # Nameless on disk; closed by the response once sent (here, should writing fail).
    file = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        write_xlsx(report, select, show_names, file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return send_file(file, mimetype=exports.MEDIA_TYPES[fmt], as_attachment=True, download_name=name)
