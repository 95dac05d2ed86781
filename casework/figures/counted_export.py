"""Every row behind one number as a CSV or XLSX file, written as it is read: memory does not grow with the rows.

The page lists the rows behind a number a page at a time; a file holds all
of them (a year of the documents figure in a large agency is hundreds of
thousands). The writing is the one every list's export uses
(``casework.exports.stream``): rows read in batches of ``BATCH_SIZE``, CSV
streamed, XLSX built on a temporary file. The CLI writes the same files
(``flask casework report counted``). Clients' names are shown to users who
read the registry, masked for those who may not read identities
(``casework.core.masking``).
"""

from datetime import date

from flask_babel import gettext as _

from casework.core.masking import mask_name
from casework.exports import stream
from casework.figures import exports
from casework.figures.drilldown import fact_day

FORMATS = stream.FORMATS
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


def _liner(show_names, mask):
    """A row's cells: the fact's day as the agency reads it (a quality entry's quarter as text), a masked name."""

    def line(row):
        item_id, on, case_number, *rest = row
        day = fact_day(on) if isinstance(on, date) else _("Triwulan %(q)d", q=on)
        if show_names and mask:
            rest[0] = mask_name(rest[0])
        return [item_id, day, case_number, *rest]

    return line


def lines(select, show_names, mask=False):
    """The file's lines of cells, in batches read ``BATCH_SIZE`` rows at a time."""
    return stream.batches(_file_columns(select, show_names), _liner(show_names, mask), BATCH_SIZE)


def csv_chunks(select, show_names, mask=False):
    """The CSV file as UTF-8 byte chunks (a heading line, then one chunk per batch of rows)."""
    return stream.csv_chunks(headings(show_names), lines(select, show_names, mask))


def _preamble(report):
    """The XLSX file's title line and period line."""
    return [
        [f"{report.indicator.code} — {report.indicator.name}"],
        [_("Periode"), report.window.start.isoformat(), report.window.end.isoformat()],
    ]


def write_xlsx(report, select, show_names, file, mask=False):
    """Writes the XLSX workbook to ``file``: a title line, the period, the headings, then every row."""
    rows = lines(select, show_names, mask)
    stream.write_xlsx(file, report.indicator.code, headings(show_names), rows, _preamble(report))


def filename(report, fmt, row_key):
    """``rincian-KAB-2-PENERIMA-2026-T3-total.csv``: the report's file name, with the row drilled into."""
    return exports.filename(report, fmt, prefix="rincian", row=row_key)


def response(report, select, fmt, row_key, show_names, mask=False):
    """The file as a download: CSV streamed while it is read, XLSX built on a temporary file, then sent."""
    rows = lines(select, show_names, mask)
    name = filename(report, fmt, row_key)
    return stream.download(name, fmt, headings(show_names), rows, report.indicator.code, _preamble(report))
