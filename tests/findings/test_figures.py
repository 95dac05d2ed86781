"""Figures of findings and complaints, checked against hand calculations on reports built by hand.

Times are written in WIB (Asia/Jakarta, UTC+7): periods are local months, so
a report received at 00:30 WIB on 1 January belongs to January although it is
still 31 December in UTC.
"""

import itertools
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from casework.auth.models import Role
from casework.extensions import db
from casework.figures.achievement import Period
from casework.findings.figures import (
    complaint_response,
    contribution_by_district,
    contribution_by_volunteer,
    response_times,
)
from casework.findings.models import CloseReason, ComplaintSource, Report, ReportKind, ReportStatus
from tests.findings.conftest import OTHER_DISTRICT_VILLAGE, VILLAGE
from tests.referrals.conftest import sign_in, token_of

__all__ = ["sign_in", "token_of"]

WIB = ZoneInfo("Asia/Jakarta")
FINDING, COMPLAINT = ReportKind.FINDING, ReportKind.COMPLAINT
RECEIVED, REVIEW = ReportStatus.RECEIVED, ReportStatus.UNDER_REVIEW
OPENED, ATTACHED, FORWARDED, CLOSED = (
    ReportStatus.CASE_OPENED,
    ReportStatus.CASE_ATTACHED,
    ReportStatus.FORWARDED,
    ReportStatus.CLOSED,
)


def wib(*parts):
    """A moment written in WIB."""
    return datetime(*parts, tzinfo=WIB)


@pytest.fixture
def add_report(agency, district_unit, supervisor, new_case):
    """Adds a report as it stands after its steps: ``add_report(by, received_at, status, ...)``.

    Decided reports were decided ``decided_after`` (default an hour) after receipt by the supervisor; those that
    reached a case point at one shared case.
    """
    numbers = itertools.count(1)
    shared = {}

    def add(by, received_at, status=RECEIVED, kind=FINDING, village=VILLAGE, decided_after=None, **fields):
        decided = status not in (RECEIVED, REVIEW)
        if status in (OPENED, ATTACHED) and "case" not in shared:
            shared["case"] = new_case()
        report = Report(
            agency_id=by.agency_id,
            kind=kind,
            number=f"X-{next(numbers):06d}",
            reported_by_id=by.id,
            source=ComplaintSource.CALL_CENTRE if kind == COMPLAINT else None,
            description="Uji",
            region_code=village,
            observed_on=received_at.date(),
            unit_id=by.unit_id,
            status=status,
            received_at=received_at,
            decided_at=received_at + (decided_after or timedelta(hours=1)) if decided else None,
            decided_by_id=supervisor.id if decided else None,
            case_id=shared["case"].id if status in (OPENED, ATTACHED) else None,
            forwarded_to_name="Dinas Sosial Provinsi" if status == FORWARDED else None,
            close_reason=CloseReason.NOT_FOUND if status == CLOSED else None,
            **fields,
        )
        db.session.add(report)
        db.session.flush()
        return report

    return add


@pytest.fixture
def findings_of_2026(add_report, volunteer, other_volunteer, make):
    """The findings behind the contribution figures (volunteer: 32, other volunteer: 2), and findings that must
    not count: outside 2026 in WIB, another agency's. (Tests of either figure use both sets of reports.)"""
    # The volunteer: 1 of 32 reached a case → 3.125 % → 3.13 (a float round() gives 3.12).
    add_report(volunteer, wib(2026, 1, 1, 0, 30), OPENED, village=OTHER_DISTRICT_VILLAGE)
    for status in [CLOSED] * 10 + [FORWARDED] * 10 + [RECEIVED] * 10:
        add_report(volunteer, wib(2026, 2, 10, 10, 0), status)
    add_report(volunteer, wib(2026, 12, 31, 23, 59), REVIEW)
    # The other volunteer: 1 of 2. 03:00 WIB on 1 April is still 31 March in UTC: April, the 2nd quarter.
    add_report(other_volunteer, wib(2026, 4, 1, 3, 0), ATTACHED, village=OTHER_DISTRICT_VILLAGE)
    add_report(other_volunteer, wib(2026, 5, 5, 9, 0), RECEIVED, village=OTHER_DISTRICT_VILLAGE)
    # Not counted: the year's edges in WIB, another agency's finding.
    add_report(volunteer, wib(2025, 12, 31, 23, 30), OPENED)
    add_report(volunteer, wib(2027, 1, 1, 0, 0), OPENED)
    add_report(make.user(role=Role.VOLUNTEER), wib(2026, 3, 1, 9, 0), RECEIVED)


def _rows(table):
    return [(row["key"], row["reported"], row["reached"], row["percent"]) for row in table["rows"]]


def _total(table):
    total = table["total"]
    return total["reported"], total["reached"], total["percent"]


def test_contribution_per_volunteer_and_district_for_a_year(
    agency, volunteer, other_volunteer, findings_of_2026, complaints_of_2026
):
    by_volunteer = contribution_by_volunteer(agency.id, Period(2026))
    assert _rows(by_volunteer) == [
        (volunteer.id, 32, 1, Decimal("3.13")),
        (other_volunteer.id, 2, 1, Decimal("50.00")),
    ]
    assert by_volunteer["rows"][0]["name"] == volunteer.full_name
    # The total is the ratio of the sums (2 ÷ 34 = 5.88 %), not the mean of the rows (26.57 %).
    assert _total(by_volunteer) == (34, 2, Decimal("5.88"))

    by_district = contribution_by_district(agency.id, Period(2026))
    # Bantargebang: 31 findings, none reached a case; Bekasi Timur: 3, two did (66.666… → 66.67).
    assert _rows(by_district) == [
        ("32.75.07", 31, 0, Decimal("0.00")),
        ("32.75.01", 3, 2, Decimal("66.67")),
    ]
    assert [row["name"] for row in by_district["rows"]] == ["Bantargebang", "Bekasi Timur"]
    assert _total(by_district) == (34, 2, Decimal("5.88"))


def test_contribution_for_a_month_and_a_quarter(agency, volunteer, other_volunteer, findings_of_2026):
    assert _rows(contribution_by_volunteer(agency.id, Period(2026, month=1))) == [
        (volunteer.id, 1, 1, Decimal("100.00"))
    ]
    # The first quarter: 1 + 30 findings, 1 reached: 3.2258… → 3.23.
    assert _rows(contribution_by_volunteer(agency.id, Period(2026, quarter=1))) == [
        (volunteer.id, 31, 1, Decimal("3.23"))
    ]
    second = contribution_by_volunteer(agency.id, Period(2026, quarter=2))
    assert _rows(second) == [(other_volunteer.id, 2, 1, Decimal("50.00"))]
    assert _rows(contribution_by_volunteer(agency.id, Period(2026, month=3))) == []
    empty = contribution_by_district(agency.id, Period(2026, month=3))
    assert (empty["rows"], _total(empty)) == ([], (0, 0, None))


@pytest.fixture
def complaints_of_2026(add_report, caseworker):
    """Complaints of 2026 and when they were decided (an hour after receipt unless said)."""
    # January: 4 received, 2 decided in January, 1 on 4 February (resolved for the quarter and the year only).
    for status in (OPENED, CLOSED, RECEIVED):
        add_report(caseworker, wib(2026, 1, 15, 9, 0), status, kind=COMPLAINT)
    add_report(caseworker, wib(2026, 1, 15, 9, 0), FORWARDED, kind=COMPLAINT, decided_after=timedelta(days=20))
    add_report(caseworker, wib(2026, 2, 3, 9, 0), FORWARDED, kind=COMPLAINT)
    # 00:30 WIB on 1 April is 31 March in UTC: it counts in April.
    add_report(caseworker, wib(2026, 4, 1, 0, 30), REVIEW, kind=COMPLAINT)
    add_report(caseworker, wib(2026, 12, 10, 9, 0), CLOSED, kind=COMPLAINT)
    # Decided at midnight WIB as 2027 begins: unresolved in every period of 2026.
    add_report(caseworker, wib(2026, 12, 31, 23, 0), CLOSED, kind=COMPLAINT)
    # Not counted: a complaint of 2025 in WIB (2026 no longer, in UTC).
    add_report(caseworker, wib(2025, 12, 31, 23, 0), CLOSED, kind=COMPLAINT)


def test_complaint_response_per_month_quarter_and_year(agency, findings_of_2026, complaints_of_2026):
    figures = complaint_response(agency.id, 2026)
    months = {row["month"]: (row["received"], row["resolved"], row["percent"]) for row in figures["months"]}
    assert months == {
        1: (4, 2, Decimal("50.00")),
        2: (1, 1, Decimal("100.00")),
        3: (0, 0, None),
        4: (1, 0, Decimal("0.00")),
        **dict.fromkeys(range(5, 12), (0, 0, None)),
        12: (2, 1, Decimal("50.00")),
    }
    quarters = [(row["quarter"], row["received"], row["resolved"], row["percent"]) for row in figures["quarters"]]
    # The first quarter: 4 of 5 resolved by 31 March (80 %), not the mean of its months' rates (75 %).
    assert quarters == [
        (1, 5, 4, Decimal("80.00")),
        (2, 1, 0, Decimal("0.00")),
        (3, 0, 0, None),
        (4, 2, 1, Decimal("50.00")),
    ]
    # The year: 5 of 8 resolved by its end, one more than its months' rows add up to.
    assert figures["total"] == {"received": 8, "resolved": 5, "percent": Decimal("62.50")}


@pytest.fixture
def timed_reports(add_report, volunteer, caseworker):
    """January findings decided after 1, 2, 3 and 10 hours (one pending) and visited after 0, 0 and 3 days;
    a February complaint decided after 63 minutes."""
    january = wib(2026, 1, 5, 8, 0)
    for hours, visited in ((1, date(2026, 1, 5)), (2, None), (3, date(2026, 1, 8)), (10, None)):
        add_report(volunteer, january, CLOSED, decided_after=timedelta(hours=hours), first_visit_on=visited)
    # Received at 01:00 WIB on 6 January (5 January in UTC), visited that same day: 0 days.
    add_report(volunteer, wib(2026, 1, 6, 1, 0), REVIEW, first_visit_on=date(2026, 1, 6))
    # 63 minutes = 1.05 hours: half-up gives 1.1 (half-even would give 1.0).
    add_report(caseworker, wib(2026, 2, 3, 9, 0), CLOSED, kind=COMPLAINT, decided_after=timedelta(minutes=63))


def test_response_times_median_and_90th_percentile(agency, timed_reports):
    times = response_times(agency.id, 2026)
    january, february, march = times["months"][:3]
    # Hours [1, 2, 3, 10]: median (2 + 3) ÷ 2; the 90th at rank 2.7: 3 + 0.7 × (10 − 3) = 7.9.
    assert january["decision_hours"] == {"count": 4, "median": Decimal("2.5"), "p90": Decimal("7.9")}
    # Days [0, 0, 3]: median 0; the 90th at rank 1.8: 0 + 0.8 × 3 = 2.4.
    assert january["visit_days"] == {"count": 3, "median": Decimal("0.0"), "p90": Decimal("2.4")}
    assert february["decision_hours"] == {"count": 1, "median": Decimal("1.1"), "p90": Decimal("1.1")}
    assert february["visit_days"] == march["decision_hours"] == {"count": 0, "median": None, "p90": None}
    # The year's are over all its reports, not the months' medians: [1, 1.05, 2, 3, 10] → 2 and 3 + 0.6 × 7.
    assert times["total"]["decision_hours"] == {"count": 5, "median": Decimal("2.0"), "p90": Decimal("7.2")}
    assert times["total"]["visit_days"] == january["visit_days"]

    complaints_only = response_times(agency.id, 2026, ReportKind.COMPLAINT)
    assert complaints_only["months"][0]["decision_hours"]["count"] == 0
    assert complaints_only["total"]["decision_hours"] == {"count": 1, "median": Decimal("1.1"), "p90": Decimal("1.1")}


def test_figures_through_the_api(client, token_of, staff, volunteer, findings_of_2026, complaints_of_2026):
    headers = token_of(staff(Role.VIEWER))
    response = client.get("/api/v1/findings/figures/contribution?year=2026", headers=headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["by_volunteer"]["rows"][0] == {
        "user_id": volunteer.id,
        "name": volunteer.full_name,
        "reported": 32,
        "reached": 1,
        "percent": "3.13",
    }
    assert body["by_volunteer"]["total"] == {"reported": 34, "reached": 2, "percent": "5.88"}
    assert body["by_district"]["rows"][1]["district_code"] == "32.75.01"

    quarter = client.get("/api/v1/findings/figures/contribution?year=2026&quarter=1", headers=headers).get_json()
    assert (quarter["quarter"], quarter["month"], quarter["by_volunteer"]["total"]["percent"]) == (1, None, "3.23")

    complaints = client.get("/api/v1/findings/figures/complaint-response?year=2026", headers=headers).get_json()
    assert complaints["quarters"][0] == {"quarter": 1, "received": 5, "resolved": 4, "percent": "80.00"}
    assert complaints["months"][2] == {"month": 3, "received": 0, "resolved": 0, "percent": None}
    assert complaints["total"] == {"received": 8, "resolved": 5, "percent": "62.50"}

    times = client.get("/api/v1/findings/figures/response-times?year=2026&kind=finding", headers=headers)
    assert times.status_code == 200 and times.get_json()["kind"] == "finding"


@pytest.mark.parametrize(
    ("query", "field"),
    [("year=1999", "year"), ("year=abc", "year"), ("month=13", "month"), ("month=2&quarter=1", "quarter")],
)
def test_a_bad_period_is_refused_by_field(client, token_of, staff, query, field):
    response = client.get(f"/api/v1/findings/figures/contribution?{query}", headers=token_of(staff(Role.VIEWER)))
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_volunteers_and_caseworkers_see_no_figures(client, token_of, volunteer, caseworker, sign_in):
    for user in (volunteer, caseworker):
        assert client.get("/api/v1/findings/figures/contribution", headers=token_of(user)).status_code == 403
        sign_in(user)
        assert client.get("/findings/figures/").status_code == 403


def test_the_pages_show_the_tables(client, sign_in, staff, volunteer, findings_of_2026, complaints_of_2026):
    sign_in(staff(Role.DATA_OFFICER))
    page = client.get("/findings/figures/?year=2026&quarter=1")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert volunteer.full_name in html and "3,23%" in html
    complaints = client.get("/findings/figures/complaints?year=2026").get_data(as_text=True)
    assert "80,00%" in complaints and "62,50%" in complaints
    times = client.get("/findings/figures/response-times?year=2026&kind=complaint")
    assert times.status_code == 200
    assert client.get("/findings/figures/?month=2&quarter=1").status_code == 422
