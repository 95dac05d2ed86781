"""A data officer opens an achievement report on a tablet and drills down from a percentage to the clients."""

from datetime import date

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from casework.extensions import db
from casework.figures.achievement import Period, achievement, agency_indicators
from casework.figures.models import DenominatorKind, Indicator
from casework.org.models import Agency

pytestmark = pytest.mark.browser


def _busiest_spm_report(demo_app):
    """The demo agency's SPM recipients indicator with the most persons in need this year, and its total row."""
    with demo_app.app_context():
        agency = db.session.scalars(sa.select(Agency)).first()
        measured = agency_indicators(agency).where(
            Indicator.denominator == DenominatorKind.MEASURE, Indicator.measure == "spm_recipients"
        )
        reports = [
            achievement(agency, indicator, Period(date.today().year)) for indicator in db.session.scalars(measured)
        ]
        best = max(reports, key=lambda report: report.total.denominator or 0)
        return best.indicator.code, best.total


@pytest.mark.parametrize("viewport", ["tablet-768"], indirect=True)
def test_data_officer_drills_down_from_a_percentage(page, sign_in, screenshot, demo_users, demo_app):
    code, total = _busiest_spm_report(demo_app)
    assert total.denominator, "the demo agency has SPM cases this year"
    sign_in(demo_users["data_officer"])
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Angka resmi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Indikator capaian")
    page.get_by_role("link", name=code).click()

    table = page.locator("table[data-achievement]")
    total_row = table.locator("tr.total")
    expect(total_row.locator("th")).to_have_text("Jumlah")
    percent = total_row.locator("[data-percent]")
    expect(percent).to_have_text(f"{str(total.percent).replace('.', ',')} %")
    screenshot("achievement-report")
    # Nothing in the table is wider than the tablet.
    assert page.evaluate("document.documentElement.scrollWidth") <= 768

    percent.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rincian angka")
    expect(page.locator("[data-counted-number]")).to_have_text(str(total.realisation))
    rows = page.locator("table[data-counted] tbody tr")
    shown = min(total.realisation, 25)
    expect(rows).to_have_count(shown)
    expect(page.locator(".pager")).to_contain_text(f"{total.realisation} data")
    # Each row names its case and client; the case number opens the case.
    case_link = rows.first.locator("a")
    case_number = case_link.inner_text()
    assert case_number.startswith("KS-")
    screenshot("achievement-counted")
    case_link.click()
    page.wait_for_url("**/cases/*")
    expect(page.locator("main")).to_contain_text(case_number)
