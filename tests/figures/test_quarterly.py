"""The quarterly SPM report: its figures per service type and in total, the entries, the draft job, the close, XLSX."""

import io
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from casework.audit.models import AuditEvent
from casework.auth.models import Role
from casework.core.errors import Conflict, ValidationFailed
from casework.extensions import db
from casework.figures import quarterly, quarterly_xlsx
from casework.figures.close import close_month
from casework.figures.models import SpmQualityEntry
from casework.figures.quarterly_tasks import draft_quarterly
from casework.reference.models import SpmServiceType
from casework.scheduling import load_jobs
from tests.figures.builders import Builder

BLANK = {"budget_allocation": "", "budget_realisation": "", "problems": "", "action_plan": ""}


@pytest.fixture
def spm_agency(make):
    """A city agency in the second quarter of 2026, with SPM cases of types kab-1 and kab-2 and quality entries.

    kab-2 (children): Ani (met in February) and Budi (met in May) of Ani,
    Budi and Citra (assessed in June, not met yet) → 2/3; Dewi, assessed in
    August, is after the quarter. kab-1 (disability): Eko, met → 1/1.
    Quality: kab-2 9/10 in Q1 and 8/10 in Q2 → 17/20; kab-1 5/5 in Q1.
    """
    division = make.unit(code="SEKR", name="Sekretariat")
    agency = division.agency
    officer = make.user(role=Role.DATA_OFFICER, unit=division, full_name="Petugas Data")
    build = Builder(agency, officer, division)
    kab = {
        spm_type.ordinal: spm_type
        for spm_type in db.session.scalars(sa.select(SpmServiceType).where(SpmServiceType.level == agency.level))
    }
    children, disability = kab[2], kab[1]
    for name, assessed, met in (
        ("Ani", date(2026, 1, 20), date(2026, 2, 10)),
        ("Budi", date(2026, 4, 5), date(2026, 5, 1)),
        ("Citra", date(2026, 6, 10), None),
        ("Dewi", date(2026, 8, 1), date(2026, 8, 20)),
    ):
        build.case(build.client(name), spm_service_type_id=children.id, assessed_on=assessed, needs_met_on=met)
    build.case(
        build.client("Eko"),
        spm_service_type_id=disability.id,
        assessed_on=date(2026, 3, 1),
        needs_met_on=date(2026, 3, 15),
    )
    for spm_type, quarter, met, total in ((children, 1, 9, 10), (children, 2, 8, 10), (disability, 1, 5, 5)):
        db.session.add(
            SpmQualityEntry(
                agency_id=agency.id,
                year=2026,
                quarter=quarter,
                spm_service_type_id=spm_type.id,
                met=met,
                total=total,
                entered_by_id=officer.id,
            )
        )
    db.session.flush()
    return SimpleNamespace(agency=agency, officer=officer, division=division, build=build, kab=kab)


def budget(allocation="", realisation="", problems="", plan=""):
    """An entry's texts as a form sends them."""
    return {
        "budget_allocation": allocation,
        "budget_realisation": realisation,
        "problems": problems,
        "action_plan": plan,
    }


def enter_budgets(s):
    """kab-2: Rp 10,000,000 allocated, 6,250,000 spent; kab-1: 4,000,000 and 3,000,000."""
    quarterly.set_entry(s.agency, s.officer, 2026, 2, s.kab[2], budget("10.000.000", "6.250.000", "Petugas kurang."))
    quarterly.set_entry(s.agency, s.officer, 2026, 2, s.kab[1], budget("4000000", "3000000", plan="Tambah pendamping."))


def line_of(report, ordinal):
    """The report line of the SPM type with ``ordinal``."""
    return next(line for line in report.lines if line.spm_type.ordinal == ordinal)


def test_report_per_type_and_total_is_cumulative_to_the_quarter_end(spm_agency):
    s = spm_agency
    enter_budgets(s)
    report = quarterly.quarterly_report(s.agency, 2026, 2)
    assert report.closed is None
    assert (report.period.start, report.period.end) == (date(2026, 4, 1), date(2026, 6, 30))
    # Every SPM type of the city level has a line, in the standard's order.
    assert [line.spm_type.ordinal for line in report.lines] == [1, 2, 3, 4, 5]
    children = line_of(report, 2)
    recipients, quality = children.figures.recipients, children.figures.quality
    assert (recipients.realisation, recipients.denominator, recipients.percent) == (2, 3, Decimal("66.67"))
    assert (quality.realisation, quality.denominator, quality.percent) == (17, 20, Decimal("85.00"))
    # 80 % × 2/3 + 20 % × 17/20 = 53.333… + 17 = 70.33: not achieved.
    assert (children.figures.index, children.figures.band) == (Decimal("70.33"), "not_achieved")
    assert (children.allocation, children.realisation, children.budget_percent) == (
        10_000_000,
        6_250_000,
        Decimal("62.50"),
    )
    assert children.entry.problems == "Petugas kurang."
    disability = line_of(report, 1)
    assert (disability.figures.index, disability.figures.band) == (Decimal("100.00"), "complete")
    # No cases, no quality entry, no budget: no percentages, no index.
    elderly = line_of(report, 3)
    assert (elderly.figures.recipients.percent, elderly.figures.index, elderly.budget_percent) == (None, None, None)
    # The total is the ratio of the sums: recipients 3/4, quality 22/25, budget 9.25 of 14 million.
    total = report.total
    assert (total.figures.recipients.realisation, total.figures.recipients.denominator) == (3, 4)
    assert (total.figures.quality.percent, total.figures.index) == (Decimal("88.00"), Decimal("77.60"))
    assert (total.allocation, total.realisation, total.budget_percent) == (14_000_000, 9_250_000, Decimal("66.07"))
    # The third quarter counts Dewi too (and still from 1 January).
    third = line_of(quarterly.quarterly_report(s.agency, 2026, 3), 2)
    assert (third.figures.recipients.realisation, third.figures.recipients.denominator) == (3, 4)
    assert third.entry is None and third.allocation is None


def test_entries_are_checked_versioned_and_audited_without_their_texts(spm_agency):
    s = spm_agency
    children = s.kab[2]
    with pytest.raises(ValidationFailed) as refused:
        quarterly.set_entry(s.agency, s.officer, 2026, 2, children, budget("12,5", "x"))
    assert set(refused.value.fields) == {"budget_allocation", "budget_realisation"}
    with pytest.raises(ValidationFailed) as refused:
        quarterly.set_entry(s.agency, s.officer, 2026, 2, children, budget("", "100"))
    assert "budget_allocation" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        quarterly.set_entry(s.agency, s.officer, 2026, 2, children, budget("100", "101"))
    assert "budget_realisation" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:
        quarterly.set_entry(s.agency, s.officer, 2026, 2, children, budget(problems="x" * 2001))
    assert "problems" in refused.value.fields
    province_type = db.session.scalar(sa.select(SpmServiceType).where(SpmServiceType.level == "province"))
    with pytest.raises(ValidationFailed):
        quarterly.set_entry(s.agency, s.officer, 2026, 2, province_type, budget("1"))
    # All blank on no entry keeps none.
    assert quarterly.set_entry(s.agency, s.officer, 2026, 2, children, BLANK) is None

    entry = quarterly.set_entry(s.agency, s.officer, 2026, 2, children, budget("1 000 000", "", "Data NIK Ani salah."))
    assert (entry.budget_allocation, entry.budget_realisation, entry.version) == (1_000_000, None, 1)
    # Saved from a copy read before: 409; saved with no version on an existing entry: 409.
    with pytest.raises(Conflict):
        quarterly.set_entry(s.agency, s.officer, 2026, 2, children, budget("2000000"), version=0)
    with pytest.raises(Conflict):
        quarterly.set_entry(s.agency, s.officer, 2026, 2, children, budget("2000000"), version=None)
    changed = quarterly.set_entry(
        s.agency, s.officer, 2026, 2, children, budget("1000000", "250000", "Data NIK Ani salah."), version=1
    )
    assert (changed.budget_realisation, changed.version) == (250_000, 2)
    # The same values again change nothing and audit nothing.
    quarterly.set_entry(
        s.agency, s.officer, 2026, 2, children, budget("1000000", "250000", "Data NIK Ani salah."), version=2
    )
    assert changed.version == 2
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "figures.quarterly_set").order_by(AuditEvent.id)
    ).all()
    assert [event.details for event in events] == [
        {"budget_allocation": [None, 1_000_000], "texts_changed": ["problems"]},
        {"budget_realisation": [None, 250_000], "texts_changed": []},
    ]
    assert all("Ani" not in str(event.details) for event in events)


def test_a_form_saves_every_type_or_none(spm_agency):
    s = spm_agency
    one, two = s.kab[1].id, s.kab[2].id
    values = {
        f"budget_allocation-{one}": "500",
        f"budget_allocation-{two}": "1000",
        f"budget_realisation-{two}": "2000",
    }
    with pytest.raises(ValidationFailed) as refused:
        quarterly.save_quarter(s.agency, s.officer, 2026, 2, values)
    assert list(refused.value.fields) == [f"budget_realisation-{two}"]
    assert quarterly.entries(s.agency, 2026, 2) == {}
    quarterly.save_quarter(s.agency, s.officer, 2026, 2, {**values, f"budget_realisation-{two}": "900"})
    saved = quarterly.entries(s.agency, 2026, 2)
    assert {key: entry.budget_allocation for key, entry in saved.items()} == {one: 500, two: 1000}


def test_the_scheduler_drafts_the_quarter_just_ended_once(spm_agency):
    s = spm_agency
    assert load_jobs()["figures.draft_quarterly"].cron == {"month": "1,4,7,10", "day": 1, "hour": 3, "minute": 0}
    quarterly.set_entry(s.agency, s.officer, 2026, 1, s.kab[2], budget("10000000", "2000000", "Masalah T1"))
    # On 1 July the second quarter is drafted: a line per type, kab-2's allocation carried over.
    outcome = draft_quarterly(today=date(2026, 7, 1))
    assert outcome[s.agency.code] == 5
    drafted = quarterly.entries(s.agency, 2026, 2)
    assert len(drafted) == 5
    children = drafted[s.kab[2].id]
    assert (children.budget_allocation, children.budget_realisation, children.problems) == (10_000_000, None, None)
    assert children.updated_by_id is None
    assert draft_quarterly(today=date(2026, 7, 1))[s.agency.code] == 0
    drafts = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "figures.quarterly_drafted")).all()
    assert [event.details for event in drafts if event.details["agency_id"] == s.agency.id] == [
        {"agency_id": s.agency.id, "year": 2026, "quarter": 2, "entries": 5}
    ]
    # The officer completes the draft at the version the scheduler left.
    done = quarterly.set_entry(s.agency, s.officer, 2026, 2, s.kab[2], budget("10000000", "5000000"), version=1)
    assert (done.budget_realisation, done.updated_by_id) == (5_000_000, s.officer.id)
    # On 1 January the fourth quarter of the year before is drafted.
    draft_quarterly(today=date(2027, 1, 1))
    assert len(quarterly.entries(s.agency, 2026, 4)) == 5


def test_a_closed_quarter_is_served_from_its_close_and_a_late_record_shows_in_the_next_revision(spm_agency):
    s = spm_agency
    close, _changed = close_month(s.agency, 2026, 6)
    # A case assessed in May, entered after the close: live figures move, the report does not.
    s.build.case(s.build.client("Fajar"), spm_service_type_id=s.kab[2].id, assessed_on=date(2026, 5, 20))
    report = quarterly.quarterly_report(s.agency, 2026, 2)
    assert report.closed.id == close.id and report.closed.revision == 1
    children = line_of(report, 2)
    assert (children.figures.recipients.realisation, children.figures.recipients.denominator) == (2, 3)
    revised, changed = close_month(s.agency, 2026, 6)
    assert changed and revised.revision == 2
    report = quarterly.quarterly_report(s.agency, 2026, 2)
    assert report.closed.revision == 2
    assert line_of(report, 2).figures.recipients.denominator == 4
    assert line_of(report, 2).figures.index == Decimal("57.00")


def test_xlsx_has_the_header_block_and_numbers_with_formats(spm_agency):
    s = spm_agency
    enter_budgets(s)
    report = quarterly.quarterly_report(s.agency, 2026, 2)
    sheet = load_workbook(io.BytesIO(quarterly_xlsx.to_xlsx(report, date(2026, 7, 3)))).active
    header = {sheet.cell(row=row, column=1).value: sheet.cell(row=row, column=2).value for row in range(2, 8)}
    assert header["Perangkat daerah"] == s.agency.name
    assert (header["Tahun"], header["Triwulan"]) == (2026, 2)
    assert header["Tanggal"].date() == date(2026, 7, 3)
    assert header["Sumber angka"].startswith("Belum ditutup")
    assert sheet.page_setup.orientation == "landscape"
    assert sheet["C9"].value == "Penerima layanan" and sheet["C10"].value == "Membutuhkan layanan (orang)"
    rows = {row[1]: row for row in sheet.iter_rows(min_row=11, values_only=True)}
    children = rows[s.kab[2].name]
    assert children[:9] == (2, s.kab[2].name, 3, 2, 66.67, 17, 20, 85, 70.33)
    assert children[9:] == ("Belum tercapai", 10_000_000, 6_250_000, 62.5, "Petugas kurang.", None)
    total = rows["Jumlah"]
    assert total[2:5] == (4, 3, 75) and total[10:13] == (14_000_000, 9_250_000, 66.07)
    cells = {cell.column_letter: cell for cell in sheet[11 + 1]}
    assert cells["E"].number_format == "0.00" and cells["K"].number_format == "#,##0"
    assert cells["E"].data_type == "n"
