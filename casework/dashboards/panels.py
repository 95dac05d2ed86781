"""The dashboards' panels: each one's numbers (from ``queries``) and its chart (from ``charts``), ready to render.

A panel carries the rows its table shows and the SVG drawn from the very
same rows, so the chart and the table one tap below it can never disagree.
The templates (``templates/dashboards/_panels.html``) render the tables and
the links to the figure pages behind each number.
"""

from typing import NamedTuple

from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _

from casework.cases.forms import OVERDUE_LABELS
from casework.cases.labels import STAGE_LABELS
from casework.cases.models import Stage
from casework.core.pagination import COUNT_BOUND
from casework.dashboards import queries
from casework.dashboards.charts import Series, bar_chart, line_chart
from casework.figures import spm
from casework.figures.achievement import Period
from casework.figures.close_queries import months_of_year
from casework.figures.routes import figure_percent
from casework.reference.labels import SPM_GROUP_LABELS


class Panel(NamedTuple):
    """A chart with the rows of its table; ``extra`` holds what the panel's template needs besides."""

    key: str
    title: str
    chart: object  # Markup: the inline SVG
    rows: list
    extra: dict = {}


def month_label(month):
    """A month's short name in the page's language ("Jan", "Mei")."""
    return get_locale().months["format"]["abbreviated"][month]


def _percent_text(value):
    """A percentage as the figures pages write it ("107,63 %"; "—" without one)."""
    return "—" if value is None else f"{figure_percent(value, 2)} %"


def case_flow(agency, year, months, unit_id=None):
    """Cases taken in and terminated per month."""
    flow = queries.case_flow(agency, year, unit_id)
    rows = [(month, flow[month][queries.OPENED], flow[month][queries.CLOSED]) for month in months]
    title = _("Kasus masuk dan ditutup per bulan, %(year)d", year=year)
    chart = line_chart(
        "case-flow",
        title,
        _("Grafik garis jumlah kasus yang masuk (intake) dan yang diterminasi setiap bulan."),
        [month_label(month) for month in months],
        [Series(_("Masuk"), [row[1] for row in rows]), Series(_("Ditutup"), [row[2] for row in rows])],
    )
    return Panel("case-flow", title, chart, rows)


def caseload_trend(agency, year, months, unit_id):
    """The unit's open cases at the end of each month, with those taken in and closed in it."""
    open_counts = queries.open_at_month_ends(agency, year, months, unit_id)
    flow = queries.case_flow(agency, year, unit_id)
    rows = [(month, open_counts[month], flow[month][queries.OPENED], flow[month][queries.CLOSED]) for month in months]
    title = _("Beban kasus unit per bulan, %(year)d", year=year)
    chart = line_chart(
        "caseload-trend",
        title,
        _("Grafik garis kasus yang masih terbuka di akhir setiap bulan, kasus masuk dan kasus ditutup."),
        [month_label(month) for month in months],
        [
            Series(_("Terbuka di akhir bulan"), [row[1] for row in rows]),
            Series(_("Masuk"), [row[2] for row in rows]),
            Series(_("Ditutup"), [row[3] for row in rows]),
        ],
    )
    return Panel("caseload-trend", title, chart, rows)


def spm_trend(agency, year, months):
    """SPM recipients whose needs were met, cumulative from January, with those who needed the service."""
    rows = queries.spm_recipients_trend(agency, year, months)
    title = _("Penerima SPM terpenuhi kebutuhannya (kumulatif), %(year)d", year=year)
    chart = line_chart(
        "spm-trend",
        title,
        _(
            "Grafik garis kumulatif sejak Januari: penerima layanan SPM yang kebutuhan dasarnya terpenuhi"
            " dan yang membutuhkan layanan."
        ),
        [month_label(row.month) for row in rows],
        [Series(_("Terpenuhi"), [row.met for row in rows]), Series(_("Membutuhkan"), [row.needed for row in rows])],
    )
    return Panel("spm-trend", title, chart, rows)


def outreach_trend(agency, year, months):
    """People reached by outreach, cumulative from January (the OUTREACH-REACHED indicator); None when not in use."""
    indicator, totals = queries.outreach_trend(agency, year, months)
    if indicator is None:
        return None
    rows = [(month, totals[month]) for month in months]
    title = _("Orang terjangkau penjangkauan (kumulatif), %(year)d", year=year)
    chart = line_chart(
        "outreach-trend",
        title,
        _("Grafik garis kumulatif sejak Januari: orang yang kasusnya masuk melalui penjangkauan atau razia gabungan."),
        [month_label(month) for month in months],
        [Series(_("Terjangkau"), [row.realisation for _month, row in rows])],
    )
    return Panel("outreach-trend", title, chart, rows, {"indicator": indicator})


def districts(agency, year):
    """Cases taken in and SPM recipients met, per district of the intake village."""
    rows = queries.by_district(agency, year)
    title = _("Per kecamatan, %(year)d", year=year)
    chart = bar_chart(
        "districts",
        title,
        _("Diagram batang per kecamatan tempat kasus masuk: kasus masuk dan penerima SPM yang terpenuhi kebutuhannya."),
        [row.name for row in rows],
        [
            Series(_("Kasus masuk"), [row.opened for row in rows]),
            Series(_("Penerima SPM terpenuhi"), [row.met for row in rows]),
        ],
    )
    return Panel("districts", title, chart, rows)


def spm_types(agency, year):
    """Per SPM service type: recipients achievement, quality achievement, the SPM index and its band."""
    rows, overall = spm.spm_index(agency, Period(year))
    title = _("Indeks SPM per jenis layanan, %(year)d", year=year)
    # The types' names are long and alike ("Rehabilitasi sosial dasar …"): the chart names their target groups.
    labels = [str(SPM_GROUP_LABELS[row.spm_type.target_group]) for row in rows]
    chart = bar_chart(
        "spm-types",
        title,
        _("Diagram batang per jenis layanan SPM: capaian penerima (persen) dan indeks SPM."),
        labels,
        [
            Series(
                _("Capaian penerima"),
                [row.recipients.percent for row in rows],
                [_percent_text(row.recipients.percent) for row in rows],
            ),
            Series(
                _("Indeks SPM"),
                [row.index for row in rows],
                ["—" if row.index is None else figure_percent(row.index, 2) for row in rows],
            ),
        ],
    )
    return Panel("spm-types", title, chart, rows, {"overall": overall})


def _bounded_texts(counts):
    """Counts as the caseload shows them: past ``COUNT_BOUND`` as "10.000+"."""
    return [format_decimal(min(count, COUNT_BOUND)) + ("+" if count > COUNT_BOUND else "") for count in counts]


def own_stages(stage_counts):
    """A caseworker's cases by stage (the caseload's counts, each bounded as the caseload bounds them)."""
    rows = [(stage, stage_counts[stage]) for stage in Stage]
    title = _("Kasus saya per tahap")
    chart = bar_chart(
        "stages",
        title,
        _("Diagram batang jumlah kasus saya di setiap tahap penanganan."),
        [str(STAGE_LABELS[stage]) for stage, _count in rows],
        [Series(_("Kasus"), [count for _stage, count in rows], _bounded_texts(count for _stage, count in rows))],
    )
    return Panel("stages", title, chart, rows)


def overdue(overdue_counts):
    """Overdue cases by kind, as the caseload counts them."""
    rows = list(overdue_counts.items())
    title = _("Kasus lewat tenggat")
    chart = bar_chart(
        "overdue",
        title,
        _("Diagram batang jumlah kasus lewat tenggat menurut jenisnya."),
        [str(OVERDUE_LABELS[kind]) for kind, _count in rows],
        [Series(_("Kasus"), [count for _kind, count in rows], _bounded_texts(count for _kind, count in rows))],
    )
    return Panel("overdue", title, chart, rows)


def achievement(agency, year):
    """Every indicator's achievement for the year so far (total rows), with a bar per percentage."""
    rows = queries.achievement_to_date(agency, year)
    title = _("Capaian indikator %(year)d", year=year)
    chart = bar_chart(
        "achievement",
        title,
        _("Diagram batang persentase capaian setiap indikator pada tahun itu (tahun berjalan: sampai saat ini)."),
        [indicator.code for indicator, _total in rows],
        [
            Series(
                _("Capaian"),
                [total.percent for _indicator, total in rows],
                [_percent_text(total.percent) for _indicator, total in rows],
            )
        ],
    )
    return Panel("achievement", title, chart, rows)


def closes(agency, year, months):
    """The monthly closes of the year's months so far: latest revision and date, late records it took in (no chart)."""
    rows = [status for status in months_of_year(agency.id, year) if status.month in months]
    return Panel("closes", _("Tutup buku bulanan %(year)d", year=year), None, rows)
