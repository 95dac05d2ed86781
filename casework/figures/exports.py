"""An achievement table as CSV, XLSX or JSON, for the CLI and the page's download links alike."""

import csv
import io
import json

from flask_babel import gettext as _
from openpyxl import Workbook

from casework.figures.labels import DENOMINATOR_LABELS
from casework.figures.schemas import AchievementSchema

FORMATS = ("csv", "xlsx", "json")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def table(report):
    """The report as rows of cells: a heading row, one row per unit, the total row."""
    heading = [_("Unit"), _("Realisasi"), str(DENOMINATOR_LABELS[report.indicator.denominator]), _("Persentase (%)")]
    lines = [[row.label, row.realisation, row.denominator, row.percent] for row in (*report.rows, report.total)]
    return [heading, *lines]


def filename(report, fmt, prefix="capaian", row=None):
    """``capaian-KAB-2-PENERIMA-2026-T3.csv``: indicator, year and period (and a row drilled into, when given)."""
    period = report.period
    suffix = f"-T{period.quarter}" if period.quarter else f"-{period.month:02d}" if period.month else ""
    suffix += f"-{row}" if row else ""
    return f"{prefix}-{report.indicator.code}-{period.year}{suffix}.{fmt}"


def to_csv(report):
    """The table as CSV text (percentages as written, e.g. 107.63; no denominator is an empty cell)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in table(report):
        writer.writerow(["" if cell is None else cell for cell in line])
    return buffer.getvalue()


def to_xlsx(report):
    """The table as an XLSX workbook's bytes: a title line, the period, then the table (written row by row)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(report.indicator.code[:31])
    sheet.append([f"{report.indicator.code} — {report.indicator.name}"])
    sheet.append([_("Periode"), report.window.start.isoformat(), report.window.end.isoformat()])
    for line in table(report):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_json(report):
    """The report as the API answers it."""
    return AchievementSchema().dump(report)


def json_text(report):
    """The report as JSON text (UTF-8, indented)."""
    return json.dumps(to_json(report), ensure_ascii=False, indent=2) + "\n"


def render(report, fmt):
    """The report's file in ``fmt`` (one of ``FORMATS``), as bytes."""
    content = {"csv": to_csv, "xlsx": to_xlsx, "json": json_text}[fmt](report)
    return content.encode("utf-8") if isinstance(content, str) else content
