"""The quarterly SPM report as an XLSX workbook, in the layout agencies submit.

A header block (agency, region, year, quarter, date, where the figures come
from), then the table: two heading rows, a row per SPM service type and the
total row. Counts and rupiah are numbers formatted with thousands
separators, percentages numbers with the report's decimals (107.63, not
"107,63 %"), so the sheet can be checked and summed. The sheet prints on A4
landscape. It is a few rows, so it is built in memory (styles and merged
headings need the normal, not the write-only, workbook).
"""

import io

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from casework.figures.spm import BAND_LABELS

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COUNT_FORMAT = "#,##0"
# (heading, group heading or None, width)
COLUMNS = (
    (_l("No"), None, 5),
    (_l("Jenis pelayanan dasar"), None, 34),
    (_l("Membutuhkan layanan (orang)"), _l("Penerima layanan"), 14),
    (_l("Terpenuhi kebutuhannya (orang)"), _l("Penerima layanan"), 14),
    (_l("Capaian (%)"), _l("Penerima layanan"), 10),
    (_l("Butir memenuhi standar"), _l("Mutu layanan"), 12),
    (_l("Butir diperiksa"), _l("Mutu layanan"), 12),
    (_l("Capaian (%)"), _l("Mutu layanan"), 10),
    (_l("Indeks SPM"), None, 10),
    (_l("Kategori"), None, 14),
    (_l("Alokasi (Rp)"), _l("Anggaran"), 18),
    (_l("Realisasi (Rp)"), _l("Anggaran"), 18),
    (_l("Realisasi (%)"), _l("Anggaran"), 10),
    (_l("Permasalahan"), None, 40),
    (_l("Rencana tindak lanjut"), None, 40),
)
PERCENT_COLUMNS = (5, 8, 9, 13)
COUNT_COLUMNS = (3, 4, 6, 7, 11, 12)
HEADING_ROW = 9
BOX = Border(*(Side(style="thin"),) * 4)


def filename(report):
    """``laporan-spm-2026-T3.xlsx``."""
    return f"laporan-spm-{report.year}-T{report.quarter}.xlsx"


def source_text(report):
    """Where the figures come from: the close (month and revision) or the live records."""
    month = format_date(report.period.end, "MMMM yyyy")
    if report.closed:
        return _("Tutup buku %(month)s, revisi %(revision)d", month=month, revision=report.closed.revision)
    return _("Belum ditutup (%(month)s): angka langsung dari catatan", month=month)


def _line_cells(number, label, line):
    """A table row's values, in ``COLUMNS`` order."""
    figures, entry = line.figures, line.entry
    return [
        number,
        label,
        figures.recipients.denominator or 0,
        figures.recipients.realisation,
        figures.recipients.percent,
        figures.quality.realisation,
        figures.quality.denominator or 0,
        figures.quality.percent,
        figures.index,
        str(BAND_LABELS[figures.band]) if figures.band else None,
        line.allocation,
        line.realisation,
        line.budget_percent,
        entry.problems if entry else None,
        entry.action_plan if entry else None,
    ]


def _header(sheet, report, made_on):
    """The block above the table: title, agency, region, year, quarter, date and source."""
    sheet.append([_("LAPORAN PENERAPAN STANDAR PELAYANAN MINIMAL BIDANG SOSIAL")])
    sheet["A1"].font = Font(bold=True, size=12)
    rows = (
        (_("Perangkat daerah"), report.agency.name),
        (_("Pemerintah daerah"), report.agency.region.name),
        (_("Tahun"), report.year),
        (_("Triwulan"), report.quarter),
        (_("Tanggal"), made_on),
        (_("Sumber angka"), source_text(report)),
    )
    for label, value in rows:
        sheet.append([label, value])
    sheet.cell(row=6, column=2).number_format = "dd/mm/yyyy"
    for row in range(2, 8):
        sheet.cell(row=row, column=2).alignment = Alignment(horizontal="left")
    sheet.append([])


def _headings(sheet):
    """Two heading rows: a group's heading merged over its columns, the other headings merged down both rows."""
    top, bottom = HEADING_ROW, HEADING_ROW + 1
    spans = {}
    for column, (heading, group, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
        if group is None:
            sheet.cell(row=top, column=column, value=str(heading))
            sheet.merge_cells(start_row=top, start_column=column, end_row=bottom, end_column=column)
        else:
            sheet.cell(row=bottom, column=column, value=str(heading))
            spans.setdefault(str(group), [column, column])[1] = column
    for group, (first, last) in spans.items():
        sheet.cell(row=top, column=first, value=group)
        sheet.merge_cells(start_row=top, start_column=first, end_row=top, end_column=last)
    for row in (top, bottom):
        for column in range(1, len(COLUMNS) + 1):
            cell = sheet.cell(row=row, column=column)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = BOX


def to_xlsx(report, made_on):
    """The report's workbook as bytes; ``made_on`` is the date printed in the header."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"SPM {report.year} T{report.quarter}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    _header(sheet, report, made_on)
    _headings(sheet)
    decimals = "0." + "0" * report.places if report.places else "0"
    lines = [(n, line.spm_type.name, line) for n, line in enumerate(report.lines, start=1)]
    for number, label, line in [*lines, (None, _("Jumlah"), report.total)]:
        sheet.append(_line_cells(number, label, line))
        row = sheet.max_row
        for column in range(1, len(COLUMNS) + 1):
            cell = sheet.cell(row=row, column=column)
            cell.border = BOX
            cell.alignment = Alignment(vertical="top", wrap_text=column in (2, 14, 15))
            if column in PERCENT_COLUMNS:
                cell.number_format = decimals
            elif column in COUNT_COLUMNS:
                cell.number_format = COUNT_FORMAT
            if number is None:
                cell.font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=HEADING_ROW + 2, column=3)
    sheet.print_title_rows = f"{HEADING_ROW}:{HEADING_ROW + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
