"""Reading a dashboard page in tests: a table's cells as text, and a chart's SVG as an XML element."""

import re
from html.parser import HTMLParser
from xml.etree import ElementTree as ET


class _Table(HTMLParser):
    """Collects the cell texts of the table marked ``data-table="<key>"``, row by row (body rows only)."""

    def __init__(self, key):
        super().__init__()
        self.key, self.depth, self.in_body, self.rows, self.cell = key, 0, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("data-table") == self.key:
            self.depth = 1
        elif self.depth and tag == "tbody":
            self.in_body = True
        elif self.depth and self.in_body and tag == "tr":
            self.rows.append([])
        elif self.depth and self.in_body and tag in ("th", "td"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.cell is not None:
            self.rows[-1].append(" ".join(" ".join(self.cell).split()))
            self.cell = None
        elif tag == "table" and self.depth:
            self.depth, self.in_body = 0, False

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html, key):
    """The body rows of the page's table ``key``: a list of cell texts per row."""
    parser = _Table(key)
    parser.feed(html)
    return parser.rows


def chart(html, key):
    """The page's chart ``key`` parsed as XML (parsing fails on markup that is not well formed)."""
    match = re.search(rf'<svg [^>]*data-chart="{key}".*?</svg>', html, re.DOTALL)
    assert match, f"no chart {key}"
    return ET.fromstring(match.group(0))  # noqa: S314  (our own page)
