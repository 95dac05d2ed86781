"""The arithmetic of published figures: exact ratios, percentages rounded half-up, totals as the ratio of sums.

Agencies publish percentages rounded half-up from the exact ratio
(861 ÷ 800 = 107.625 % → 107.63 %); a float ``round()`` rounds 107.625 to
107.62, so everything here is ``Decimal``. Percentages are never capped at
100, and a total row is the ratio of the summed numerators and denominators,
never the mean of the rows' percentages.
"""

from decimal import ROUND_HALF_UP, Decimal


def percent(numerator, denominator, places=2):
    """``numerator ÷ denominator × 100`` rounded half-up to ``places`` decimals; None when the denominator is 0."""
    if not denominator:
        return None
    exact = Decimal(numerator) * 100 / Decimal(denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def total_percent(rows, places=2):
    """The total of ``(numerator, denominator)`` rows: the ratio of the sums, as ``percent`` rounds it."""
    return percent(sum(numerator for numerator, _ in rows), sum(denominator for _, denominator in rows), places)
