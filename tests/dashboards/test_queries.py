"""The dashboards' numbers against the hand-built agency of conftest.py, and against the official figures."""

from datetime import date

from casework.dashboards import queries
from casework.figures.achievement import Period, achievement
from tests.dashboards.conftest import DISTRICT_A, DISTRICT_B, YEAR

MONTHS = list(range(1, 13))


def test_months_shown_are_the_past_ones():
    today = date(2026, 5, 14)
    assert queries.months_to_date(2025, today) == MONTHS
    assert queries.months_to_date(2026, today) == [1, 2, 3, 4, 5]
    assert queries.months_to_date(2027, today) == []


def test_cases_opened_and_closed_by_month_for_the_agency_and_a_unit(city):
    flow = queries.case_flow(city.agency, YEAR)
    opened = {month: counts["opened"] for month, counts in flow.items() if counts["opened"]}
    closed = {month: counts["closed"] for month, counts in flow.items() if counts["closed"]}
    assert opened == {1: 2, 2: 1, 3: 1, 5: 1, 6: 1, 7: 1}
    assert closed == {2: 1, 3: 2}
    # The other unit's case (z, July) is not the division's.
    unit_flow = queries.case_flow(city.agency, YEAR, city.division.id)
    assert unit_flow[7]["opened"] == 0 and unit_flow[1]["opened"] == 2


def test_open_cases_at_each_month_end(city):
    expected_unit = [3, 3, 2, 2, 3, 4, 4, 4, 4, 4, 4, 4]
    assert list(queries.open_at_month_ends(city.agency, YEAR, MONTHS, city.division.id).values()) == expected_unit
    expected_agency = [3, 3, 2, 2, 3, 4, 5, 5, 5, 5, 5, 5]
    assert list(queries.open_at_month_ends(city.agency, YEAR, MONTHS).values()) == expected_agency
    assert queries.open_at_month_ends(city.agency, YEAR, []) == {}


def test_spm_recipients_trend_is_cumulative_and_each_month_is_the_official_report(city):
    trend = queries.spm_recipients_trend(city.agency, YEAR, MONTHS)
    assert [(row.met, row.needed) for row in trend] == [(0, 0), (0, 1), (0, 1)] + [(1, 1)] * 2 + [(1, 2)] + [(2, 3)] * 6
    assert trend[0].percent is None and str(trend[6].percent) == "66.67"
    # Each point is the sum of the SPM types' year-to-date reports for that month.
    for row in trend:
        totals = [
            achievement(city.agency, indicator, Period(YEAR, month=row.month)).total
            for indicator in queries.spm_recipient_indicators(city.agency)
        ]
        assert row.met == sum(total.realisation for total in totals)
        assert row.needed == sum(total.denominator or 0 for total in totals)


def test_outreach_trend_counts_outreach_and_raids_year_to_date(city):
    indicator, totals = queries.outreach_trend(city.agency, YEAR, MONTHS)
    assert indicator.code == "OUTREACH-REACHED"
    assert [totals[month].realisation for month in MONTHS] == [1, 1] + [2] * 10
    assert totals[12].denominator is None and totals[12].percent is None


def test_by_district_adds_up_to_the_official_totals(city):
    rows = {row.code: row for row in queries.by_district(city.agency, YEAR)}
    assert set(rows) == {DISTRICT_A, DISTRICT_B, None}
    assert (rows[DISTRICT_A].opened, rows[DISTRICT_A].met, rows[DISTRICT_A].needed) == (3, 1, 1)
    assert (rows[DISTRICT_B].opened, rows[DISTRICT_B].met, rows[DISTRICT_B].needed) == (3, 1, 2)
    assert (rows[None].opened, rows[None].met, rows[None].needed) == (1, 0, 0)
    assert rows[DISTRICT_A].name != DISTRICT_A, "districts are named from the region table"
    official = [
        achievement(city.agency, indicator, Period(YEAR)).total
        for indicator in queries.spm_recipient_indicators(city.agency)
    ]
    assert sum(row.met for row in rows.values()) == sum(total.realisation for total in official) == 2
    assert sum(row.needed for row in rows.values()) == sum(total.denominator or 0 for total in official) == 3


def test_achievement_to_date_lists_every_indicator_with_its_total(city):
    totals = {indicator.code: total for indicator, total in queries.achievement_to_date(city.agency, YEAR)}
    assert (totals["KAB-2-PENERIMA"].realisation, totals["KAB-2-PENERIMA"].denominator) == (1, 2)
    assert (totals["KAB-3-PENERIMA"].realisation, totals["KAB-3-PENERIMA"].denominator) == (1, 1)
    assert (totals["KAB-2-MUTU"].realisation, totals["KAB-2-MUTU"].denominator) == (9, 10)
    assert totals["OUTREACH-REACHED"].realisation == 2
    assert not any(code.startswith("PROV-") for code in totals)
