"""The figures of findings and complaints as files: the same tables the pages show, with their total rows.

These tables are small (a row per volunteer, district, month or quarter), so
they are built whole and written by ``casework.exports.stream`` like any list.
Volunteers are staff, not clients: their names are not masked.
"""

from flask_babel import gettext as _
from flask_login import current_user

from casework.audit.services import record
from casework.core.i18n import month_name, quarter_name
from casework.exports import stream
from casework.exports.lists import audited_filters
from casework.extensions import db
from casework.findings import figures
from casework.findings.figures_routes import PeriodForm, YearForm


def _share_lines(rows, total, label, counted, part):
    """A share table's lines: label, count, part, percentage; the total row last."""
    lines = [[label(row), row[counted], row[part], row["percent"]] for row in rows]
    return [*lines, [_("Jumlah"), total[counted], total[part], total["percent"]]]


def _send(name, fmt, headings, lines):
    """Audits the download of figure table ``name`` and sends ``lines`` as one batch."""
    record("export.list", list=name, format=fmt, filters=audited_filters(), rows=len(lines), masked=False)
    db.session.commit()
    return stream.download(f"{name}.{fmt}", fmt, headings, iter([lines]), name)


def contribution(fmt):
    """The PSKS contribution per volunteer, then per district, of the period chosen, as a file."""
    period = PeriodForm().period()
    agency_id = current_user.agency_id
    headings = [_("Relawan / kecamatan"), _("Temuan dilaporkan"), _("Sampai menjadi kasus"), _("Persentase (%)")]
    lines = []
    tables = (figures.contribution_by_volunteer(agency_id, period), figures.contribution_by_district(agency_id, period))
    for table in tables:
        lines += _share_lines(table["rows"], table["total"], lambda row: row["name"], "reported", "reached")
    return _send(f"kontribusi-psks-{period.year}", fmt, headings, lines)


def complaint_response(fmt):
    """The complaint response rate per month, then per quarter, and the year, as a file."""
    year = YearForm().chosen()["year"]
    response = figures.complaint_response(current_user.agency_id, year)
    headings = [_("Periode"), _("Diterima"), _("Ditanggapi"), _("Persentase (%)")]
    months = [
        [month_name(row["month"]), row["received"], row["resolved"], row["percent"]] for row in response["months"]
    ]
    quarters = _share_lines(
        response["quarters"], response["total"], lambda row: quarter_name(row["quarter"]), "received", "resolved"
    )
    return _send(f"tanggapan-pengaduan-{year}", fmt, headings, [*months, *quarters])
