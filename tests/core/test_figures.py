"""Published arithmetic: half-up rounding from the exact ratio, no cap, totals as the ratio of sums."""

from decimal import Decimal

from casework.core.figures import percent, total_percent


def test_half_up_from_the_exact_ratio():
    # 861 / 800 = 107.625 %: half-up gives 107.63 where float round() gives 107.62.
    assert percent(861, 800) == Decimal("107.63")
    assert round(861 / 800 * 100, 2) == 107.62


def test_places_and_no_cap():
    assert percent(1, 3, places=3) == Decimal("33.333")
    assert percent(2, 3) == Decimal("66.67")
    assert percent(364, 100) == Decimal("364.00")
    assert percent(0, 5) == Decimal("0.00")


def test_no_denominator_has_no_percentage():
    assert percent(3, 0) is None
    assert total_percent([]) is None


def test_total_is_the_ratio_of_the_sums_not_the_mean():
    rows = [(1, 2), (9, 10)]
    assert total_percent(rows) == Decimal("83.33")
    mean = (percent(1, 2) + percent(9, 10)) / 2
    assert mean == Decimal("70.00")
