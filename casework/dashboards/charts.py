"""Charts drawn on the server as SVG: a line chart for months, horizontal bars for districts, types and stages.

The SVG goes inline into the page, so it needs no script, no request of its
own and nothing from another host, and the page's CSS colours it (classes
``chart-s0``, ``chart-s1``… per series; no ``style`` attributes, which the
content security policy refuses). It is built with ElementTree, so every
label is escaped and the markup is always well formed. For screen readers
the chart is one image named by its ``<title>`` and ``<desc>``; every point
and bar carries its own ``<title>`` with the number as the page writes it,
and the table with the same numbers sits under each chart.
"""

import math
from typing import NamedTuple
from xml.etree import ElementTree as ET

from flask_babel import format_decimal
from markupsafe import Markup

WIDTH = 640
LEGEND_HEIGHT = 30
LINE_HEIGHT, LINE_LEFT, LINE_RIGHT, LINE_BOTTOM = 260, 56, 16, 30
BAR_LABEL_WIDTH, BAR_VALUE_WIDTH, BAR_THICKNESS, BAR_GAP, GROUP_GAP = 190, 76, 16, 3, 12
LABEL_CHARACTERS = 26
TICKS = 4


class Series(NamedTuple):
    """One line or one bar per label: its name (legend), values (None: no value) and the values as shown."""

    name: str
    values: list
    texts: list | None = None

    def text(self, index):
        """The value at ``index`` as the page shows it (formatted in the locale unless given)."""
        if self.texts is not None:
            return self.texts[index]
        value = self.values[index]
        return "—" if value is None else format_decimal(value)


def nice_ceiling(value):
    """(top of the axis, step between its ticks): a round step (1, 2 or 5 × 10ⁿ, at least 1) covering ``value``."""
    if value <= 0:
        return TICKS, 1
    rough = value / TICKS
    power = 10 ** math.floor(math.log10(rough))
    step = next(factor * power for factor in (1, 2, 5, 10) if rough <= factor * power)
    step = max(step, 1)
    return step * math.ceil(value / step), step


def _svg(key, title, description, height):
    """The root element, named for screen readers by its title and description."""
    root = ET.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {height}",
            "class": "chart",
            "role": "img",
            "aria-labelledby": f"chart-{key}-title chart-{key}-desc",
            "data-chart": key,
        },
    )
    ET.SubElement(root, "title", {"id": f"chart-{key}-title"}).text = title
    ET.SubElement(root, "desc", {"id": f"chart-{key}-desc"}).text = description
    return root


def _text(parent, x, y, content, css_class="chart-label", anchor="start"):
    """A text element at (x, y)."""
    element = ET.SubElement(parent, "text", {"x": _n(x), "y": _n(y), "class": css_class, "text-anchor": anchor})
    element.text = content
    return element


def _n(number):
    """A coordinate with at most one decimal, as SVG reads it."""
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _legend(root, series):
    """A key of the series' colours along the top, when there is more than one."""
    if len(series) < 2:
        return 0
    x = 8
    for index, line in enumerate(series):
        ET.SubElement(root, "rect", {"x": _n(x), "y": "8", "width": "14", "height": "14", "class": f"chart-s{index}"})
        _text(root, x + 20, 20, line.name, "chart-legend")
        x += 40 + 8 * len(line.name)
    return LEGEND_HEIGHT


def _number(value):
    """A value as a float for drawing (None and missing values draw as nothing)."""
    return None if value is None else float(value)


def line_chart(key, title, description, labels, series):
    """Lines over ``labels`` (months), one per series, with a dot and its number at every point."""
    root = _svg(key, title, description, LINE_HEIGHT)
    top = _legend(root, series) + 12
    bottom = LINE_HEIGHT - LINE_BOTTOM
    plot_width = WIDTH - LINE_LEFT - LINE_RIGHT
    values = [_number(value) for line in series for value in line.values if value is not None]
    ceiling, step = nice_ceiling(max(values, default=0))

    def y_of(value):
        return bottom - (bottom - top) * value / ceiling

    def x_of(index):
        return LINE_LEFT + plot_width * (index + 0.5) / len(labels)

    axis = ET.SubElement(root, "g", {"class": "chart-axis"})
    for tick in range(0, int(ceiling) + 1, int(step)):
        y = _n(y_of(tick))
        ET.SubElement(axis, "line", {"x1": _n(LINE_LEFT), "x2": _n(WIDTH - LINE_RIGHT), "y1": y, "y2": y})
        _text(axis, LINE_LEFT - 6, y_of(tick) + 4, format_decimal(tick), anchor="end")
    for index, label in enumerate(labels):
        _text(axis, x_of(index), LINE_HEIGHT - 10, label, anchor="middle")
    for number, line in enumerate(series):
        group = ET.SubElement(root, "g", {"class": f"chart-series chart-s{number}"})
        points = [(x_of(index), y_of(_number(value))) for index, value in enumerate(line.values) if value is not None]
        if len(points) > 1:
            ET.SubElement(
                group, "polyline", {"points": " ".join(f"{_n(x)},{_n(y)}" for x, y in points), "class": "chart-line"}
            )
        for index, value in enumerate(line.values):
            if value is None:
                continue
            dot = ET.SubElement(
                group, "circle", {"cx": _n(x_of(index)), "cy": _n(y_of(_number(value))), "r": "4", "class": "chart-dot"}
            )
            ET.SubElement(dot, "title").text = f"{line.name}, {labels[index]}: {line.text(index)}"
    return Markup(ET.tostring(root, encoding="unicode"))  # noqa: S704  (ElementTree escaped every text)


def _short(label):
    """A row label cut to fit the label column (its full text stays in the row's title)."""
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def bar_chart(key, title, description, labels, series):
    """Horizontal bars, one row per label and one bar per series in it, each ending in its number."""
    group_height = len(series) * (BAR_THICKNESS + BAR_GAP) - BAR_GAP + GROUP_GAP
    legend = LEGEND_HEIGHT if len(series) > 1 else 0
    height = legend + 8 + group_height * max(len(labels), 1)
    root = _svg(key, title, description, height)
    _legend(root, series)
    values = [_number(value) for line in series for value in line.values if value is not None]
    ceiling = max(values, default=0) or 1
    room = WIDTH - BAR_LABEL_WIDTH - BAR_VALUE_WIDTH
    ET.SubElement(
        root,
        "line",
        {
            "x1": _n(BAR_LABEL_WIDTH),
            "x2": _n(BAR_LABEL_WIDTH),
            "y1": _n(legend),
            "y2": _n(height),
            "class": "chart-base",
        },
    )
    for row, label in enumerate(labels):
        top = legend + 4 + row * group_height
        group = ET.SubElement(root, "g", {"class": "chart-row"})
        ET.SubElement(group, "title").text = label
        _text(group, BAR_LABEL_WIDTH - 8, top + (group_height - GROUP_GAP) / 2 + 5, _short(label), anchor="end")
        for number, line in enumerate(series):
            value = _number(line.values[row])
            y = top + number * (BAR_THICKNESS + BAR_GAP)
            width = room * (value or 0) / ceiling
            bar = ET.SubElement(
                group,
                "rect",
                {
                    "x": _n(BAR_LABEL_WIDTH),
                    "y": _n(y),
                    "width": _n(width),
                    "height": _n(BAR_THICKNESS),
                    "class": f"chart-bar chart-s{number}",
                },
            )
            ET.SubElement(bar, "title").text = f"{line.name}, {label}: {line.text(row)}"
            _text(group, BAR_LABEL_WIDTH + width + 6, y + BAR_THICKNESS - 3, line.text(row), "chart-value")
    return Markup(ET.tostring(root, encoding="unicode"))  # noqa: S704  (ElementTree escaped every text)
