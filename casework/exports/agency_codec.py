r"""How column values of the agency export are written as CSV text and read back, without loss.

CSV has no NULL, so NULL is written ``\N`` (as PostgreSQL's COPY does) and a
text starting with a backslash gets one more in front. Timestamps keep their
offset (ISO 8601), floats their shortest exact form, binary values are
base64, JSON is compact with sorted keys, booleans are ``1``/``0``.
"""

import base64
import csv
import json
import uuid
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

import sqlalchemy as sa

NULL = "\\N"


def base_type(column_type):
    """The type a value is stored as (a TypeDecorator's implementation)."""
    return column_type.impl_instance if isinstance(column_type, sa.TypeDecorator) else column_type


def _json(value):
    """Compact JSON with sorted keys (PostgreSQL's jsonb keeps its own key order)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _scalar(value):
    """The text of a value of any other type."""
    if isinstance(value, str):
        return "\\" + value if value.startswith("\\") else value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Enum):
        return _scalar(value.value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def encoder(column_type):
    """A function turning a value of a column of ``column_type`` into its CSV text."""
    convert = _json if isinstance(base_type(column_type), sa.JSON) else _scalar

    def encode_value(value):
        """``value`` as CSV text."""
        return NULL if value is None else convert(value)

    return encode_value


def encode(value, column_type):
    """The CSV text of a column value (``encoder`` is quicker for many values of one column)."""
    return encoder(column_type)(value)


def _enum(base):
    """Reads an enum column's value as its enum member when the column has an enum class."""
    enum_class = getattr(base, "enum_class", None)
    return enum_class if enum_class is not None else str


def decoder(column_type):
    """A function turning the CSV text of a column of ``column_type`` back into its value."""
    base = base_type(column_type)
    if isinstance(base, sa.JSON):
        convert = json.loads
    elif isinstance(base, sa.Boolean):
        convert = lambda text: text == "1"  # noqa: E731
    elif isinstance(base, sa.Enum):
        convert = _enum(base)
    elif isinstance(base, sa.LargeBinary):
        convert = base64.b64decode
    elif isinstance(base, sa.Uuid):
        convert = uuid.UUID
    elif isinstance(base, sa.DateTime):
        convert = datetime.fromisoformat
    elif isinstance(base, sa.Date):
        convert = date.fromisoformat
    elif isinstance(base, sa.Float):
        convert = float
    elif isinstance(base, sa.Numeric):
        convert = Decimal
    elif isinstance(base, sa.Integer):
        convert = int
    else:
        convert = _text

    def decode(text):
        """``text`` as the column's value."""
        return None if text == NULL else convert(text)

    return decode


def _text(text):
    """Undoes the extra backslash of a text that starts with one."""
    return text[1:] if text.startswith("\\") else text


def writer(stream):
    """The CSV writer every file of the export uses (RFC 4180, CRLF line ends)."""
    return csv.writer(stream, lineterminator="\r\n")


def reader(stream):
    """The matching CSV reader."""
    return csv.reader(stream)
