"""The agency head and the data officer open their dashboards on a tablet: charts, their tables, drill-downs."""

from datetime import date

import pytest
import sqlalchemy as sa
from babel.numbers import format_decimal
from playwright.sync_api import expect

from casework.dashboards import queries
from casework.extensions import db
from casework.org.models import Agency

pytestmark = pytest.mark.browser


def _expected_trend(demo_app):
    """The demo agency's SPM recipients this year so far, as the dashboard's last month shows them."""
    with demo_app.app_context(), demo_app.test_request_context():
        agency = db.session.scalars(sa.select(Agency)).first()
        year = date.today().year
        months = queries.months_to_date(year)
        last = queries.spm_recipients_trend(agency, year, months[-1:])[0]
        return last, sum(row.opened for row in queries.by_district(agency, year))


@pytest.mark.parametrize("viewport", ["tablet-768"], indirect=True)
def test_agency_head_reads_charts_and_the_tables_behind_them(page, sign_in, screenshot, demo_users, demo_app):
    last, opened = _expected_trend(demo_app)
    assert last.needed, "the demo agency has SPM cases this year"
    sign_in(demo_users["viewer"])
    page.locator("[data-panel=dashboard]").get_by_role("link", name="Buka dasbor").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")

    trend = page.locator("[data-dashboard-panel=spm-trend]")
    chart = trend.get_by_role("img", name="Penerima SPM terpenuhi kebutuhannya (kumulatif)", exact=False)
    expect(chart).to_be_visible()
    table = trend.locator("table")
    expect(table).to_be_hidden()
    trend.get_by_text("Lihat tabel angka").click()
    expect(table).to_be_visible()
    last_row = table.locator("tbody tr").last
    expect(last_row.locator("td").nth(0)).to_have_text(format_decimal(last.met, locale="id"))
    expect(last_row.locator("td").nth(1)).to_have_text(format_decimal(last.needed, locale="id"))

    districts = page.locator("[data-dashboard-panel=districts]")
    districts.get_by_text("Lihat tabel angka").click()
    cells = districts.locator("tbody td:nth-child(2)").all_inner_texts()
    assert sum(int(cell.replace(".", "")) for cell in cells) == opened
    # Nothing is wider than the tablet; the whole page, folded tables open, is kept for a look.
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    screenshot("dashboard-viewer")

    # A month of the trend opens the SPM index of that month.
    last_row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indeks SPM")


@pytest.mark.parametrize("viewport", ["tablet-768"], indirect=True)
def test_data_officer_drills_down_from_an_indicator_to_what_it_counted(page, sign_in, screenshot, demo_users):
    sign_in(demo_users["data_officer"])
    page.goto("/dashboards/")
    panel = page.locator("[data-dashboard-panel=achievement]")
    expect(panel.get_by_role("img")).to_be_visible()
    expect(page.locator("[data-dashboard-panel=closes] table tbody tr")).to_have_count(date.today().month)
    panel.get_by_text("Lihat tabel angka").click()
    row = panel.locator("tr[data-indicator=OUTREACH-REACHED]")
    number = row.locator("td").first.inner_text()
    screenshot("dashboard-data-officer")
    row.locator("td a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rincian angka")
    expect(page.locator("[data-counted-number]")).to_have_text(number)
