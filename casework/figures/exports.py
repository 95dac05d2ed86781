"""An achievement table as CSV, XLSX or JSON, for the CLI and the page's download links alike."""

import json

from flask_babel import gettext as _

from casework.exports import stream
from casework.figures.labels import DENOMINATOR_LABELS
from casework.figures.schemas import AchievementSchema

FORMATS = ("csv", "xlsx", "json")
MEDIA_TYPES = stream.MEDIA_TYPES


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
    heading, *lines = table(report)
    return b"".join(stream.csv_chunks(heading, [lines])).decode("utf-8")


def to_xlsx(report):
    """The table as an XLSX workbook's bytes: a title line, the period, then the table (written row by row)."""
    heading, *lines = table(report)
    preamble = [
        [f"{report.indicator.code} — {report.indicator.name}"],
        [_("Periode"), report.window.start.isoformat(), report.window.end.isoformat()],
    ]
    return stream.xlsx_bytes(report.indicator.code, heading, [lines], preamble)


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
