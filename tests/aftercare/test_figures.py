"""Graduation figures against a hand calculation: rates by type, sustained graduation at 12 and 24 months."""

from datetime import date
from decimal import Decimal

from casework.aftercare.figures import early_warning_select, graduation_rates, sustained_graduation
from casework.aftercare.models import AftercareVisit
from casework.aftercare.services import record_visit
from casework.extensions import db
from casework.figures.achievement import Period
from tests.aftercare.conftest import AS_OF


def _visit(case, month):
    """The case's visit slot at ``month``."""
    return next(
        visit for visit in db.session.query(AftercareVisit).filter_by(case_id=case.id) if visit.month_offset == month
    )


def _year_2024(ended_case, assess, new_case, caseworker):
    """The hand-built exits. 2024: A, B, F self-reliant; C, E, I natural; D removed; G in 2025; H open."""
    a = ended_case(date(2024, 1, 31), "self_reliant")
    assess(a)
    b = ended_case(date(2024, 2, 29), "reunified")
    assess(b)
    c = ended_case(date(2024, 6, 10), "reunified")
    assess(c, "not_self_reliant")
    d = ended_case(date(2024, 7, 1), "refused")
    e = ended_case(date(2024, 8, 1), "died")
    f = ended_case(date(2024, 12, 15), "returned_to_origin")
    assess(f)
    g = ended_case(date(2025, 1, 10), "self_reliant")
    assess(g)
    i = ended_case(date(2024, 9, 9), "placed_in_panti")
    # A fell back after its +12 point (31 Jan 2025) and before +24; B came back as a new case on its +12 day.
    visit = _visit(a, 12)
    record_visit(visit, caseworker, visit.version, {"visited_on": "2025-02-01", "result": "fallen_back"}, today=AS_OF)
    h = new_case(client=b.client, intake_date=date(2025, 2, 28))
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g, "h": h, "i": i}


def test_graduation_rates_by_type_match_the_hand_count(agency, ended_case, assess, new_case, caseworker):
    _year_2024(ended_case, assess, new_case, caseworker)
    rates = graduation_rates(agency.id, Period(2024))
    by_type = {row["type"].value: (row["count"], row["exits"], row["percent"]) for row in rates["types"]}
    # 3 of 7 = 42.857… → 42.86; 1 of 7 = 14.285… → 14.29; the rows add to 100.01, the total is 7 ÷ 7.
    assert by_type == {
        "self_reliant": (3, 7, Decimal("42.86")),
        "natural": (3, 7, Decimal("42.86")),
        "removed": (1, 7, Decimal("14.29")),
    }
    assert rates["exits"] == 7
    assert rates["total_percent"] == Decimal("100.00")
    assert sum(row["percent"] for row in rates["types"]) == Decimal("100.01")
    # D (refused), E (died) and I (placed, never assessed) have no exit assessment.
    assert rates["unassessed"] == 3


def test_rates_of_a_quarter_and_a_month(agency, ended_case, assess, new_case, caseworker):
    _year_2024(ended_case, assess, new_case, caseworker)
    first_quarter = graduation_rates(agency.id, Period(2024, quarter=1))
    assert first_quarter["exits"] == 2
    assert first_quarter["types"][0]["percent"] == Decimal("100.00")
    february = graduation_rates(agency.id, Period(2024, month=2), places=3)
    assert (february["exits"], february["types"][0]["count"]) == (1, 1)
    assert graduation_rates(agency.id, Period(2023))["types"][0]["percent"] is None


def test_sustained_graduation_at_12_and_24_months(agency, ended_case, assess, new_case, caseworker):
    _year_2024(ended_case, assess, new_case, caseworker)
    twelve, twenty_four = sustained_graduation(agency.id, Period(2024), as_of=AS_OF)
    # +12: A, B and F have passed it; B fell back (new case on its +12 day, 28 Feb 2025 = 29 Feb 2024 + 12 months).
    assert twelve == {"months": 12, "eligible": 3, "sustained": 2, "percent": Decimal("66.67")}
    # +24: F's (15 Dec 2026) is still ahead; A fell back in February 2025, B earlier.
    assert twenty_four == {"months": 24, "eligible": 2, "sustained": 0, "percent": Decimal("0.00")}


def test_the_month_end_rule_of_the_points(agency, ended_case, assess, new_case, caseworker):
    _year_2024(ended_case, assess, new_case, caseworker)
    # On 27 Feb 2025 only A's +12 (31 Jan 2025) has passed; on 28 Feb 2025 B's (29 Feb 2024 + 12) has too.
    assert sustained_graduation(agency.id, Period(2024), as_of=date(2025, 2, 27))[0]["eligible"] == 1
    assert sustained_graduation(agency.id, Period(2024), as_of=date(2025, 2, 28))[0]["eligible"] == 2


def test_early_warning_lists_the_graduates_showing_signs(agency, ended_case, assess, new_case, caseworker):
    cases = _year_2024(ended_case, assess, new_case, caseworker)
    rows = {row.number: row for row in db.session.execute(early_warning_select(agency.id, today=AS_OF))}
    a, b, c = rows[cases["a"].number], rows[cases["b"].number], rows[cases["c"].number]
    assert (a.fallen_back, a.new_case) == (True, False)
    assert (b.fallen_back, b.new_case) == (False, True)
    # Every graduate's visits before today are overdue (none recorded but A's month 12).
    assert a.overdue and b.overdue and c.overdue
    # Never assessed, no visits: not watched.
    assert cases["d"].number not in rows
    assert cases["i"].number not in rows
