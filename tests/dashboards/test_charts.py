"""The SVG charts: round axis steps, escaped labels, well-formed markup whatever the data."""

from decimal import Decimal
from xml.etree import ElementTree as ET

import pytest

from casework.dashboards.charts import Series, bar_chart, line_chart, nice_ceiling

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def request_context(app):
    """Numbers are formatted in the page's language: charts draw inside a request."""
    with app.test_request_context():
        yield


def _parse(markup):
    return ET.fromstring(str(markup))  # noqa: S314  (our own chart)


@pytest.mark.parametrize(
    ("value", "expected"), [(0, (4, 1)), (3, (3, 1)), (7, (8, 2)), (861, (1000, 500)), (107.63, (150, 50))]
)
def test_the_axis_ends_on_a_round_step_above_the_largest_value(value, expected):
    assert nice_ceiling(value) == expected


def test_labels_are_escaped_and_the_markup_stays_well_formed(request_context):
    hostile = '<script>alert("x")</script> & Co'
    markup = bar_chart("t", hostile, "d & e", [hostile, "Dua"], [Series("n<1>", [3, None])])
    assert "<script>" not in markup
    svg = _parse(markup)
    assert svg.find(f"{SVG}title").text == hostile
    titles = [title.text for title in svg.iter(f"{SVG}title")]
    assert f"n<1>, {hostile}: 3" in titles and "n<1>, Dua: —" in titles


def test_a_line_skips_missing_values_and_numbers_follow_the_locale(request_context):
    svg = _parse(line_chart("t", "T", "D", ["Jan", "Feb", "Mar"], [Series("A", [1234, None, Decimal("5.5")])]))
    dots = [dot.find(f"{SVG}title").text for dot in svg.iter(f"{SVG}circle")]
    assert dots == ["A, Jan: 1.234", "A, Mar: 5,5"]
    assert len(list(svg.iter(f"{SVG}polyline"))) == 1


def test_nothing_to_draw_still_gives_a_chart(request_context):
    assert _parse(line_chart("t", "T", "D", [], [Series("A", [])])).get("role") == "img"
    assert _parse(bar_chart("t", "T", "D", [], [Series("A", [])])).get("role") == "img"
