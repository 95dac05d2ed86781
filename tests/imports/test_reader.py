"""The one file reader: CSV (BOM, comma, semicolon, tab) and XLSX (first or named sheet), headers by id or name."""

import io
from datetime import date, datetime

import pytest

from casework.imports.cells import parse_date
from casework.imports.reader import FileProblem, read_table
from tests.imports.helpers import csv_bytes, xlsx_bytes

COLUMNS = ["kode_sumber", "full_name", "nik"]
ALIASES = {"Nama lengkap": "full_name", "NIK": "nik"}


def _read(data, sheet=None, required=("full_name",)):
    _positions, rows = read_table(io.BytesIO(data), COLUMNS, required, sheet_name=sheet, aliases=ALIASES)
    return list(rows)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
@pytest.mark.parametrize("bom", [False, True])
def test_csv_delimiters_and_byte_order_mark(app, delimiter, bom):
    data = csv_bytes(
        ["Nama lengkap", "NIK", "lain"], [["Siti; Aminah" if delimiter != ";" else "Siti", "3275", "x"]], delimiter, bom
    )
    ((line, cells),) = _read(data)
    assert line == 2
    assert cells == {"full_name": "Siti; Aminah" if delimiter != ";" else "Siti", "nik": "3275"}


def test_headers_by_id_or_indonesian_name_any_case_blank_lines_skipped(app):
    data = b"KODE_SUMBER,nama LENGKAP *\r\nA1,Siti\r\n,\r\n\r\nA2,Budi\r\n"
    assert _read(data) == [
        (2, {"kode_sumber": "A1", "full_name": "Siti"}),
        (5, {"kode_sumber": "A2", "full_name": "Budi"}),
    ]


def test_missing_required_column_is_a_file_problem(app):
    with pytest.raises(FileProblem, match="Tidak ada: full_name"):
        _read(csv_bytes(["kode_sumber", "nik"], [["A1", "1"]]))


def test_not_utf8_is_a_file_problem(app):
    with pytest.raises(FileProblem, match="UTF-8"):
        _read("Nama lengkap\nJos\xe9\n".encode("latin-1"))


def test_xlsx_first_sheet_or_the_sheet_named_for_the_type_with_typed_cells(app):
    data = xlsx_bytes(["NIK", "Nama lengkap"], [[3275014501900001, "Siti"]], sheet="clients", before=("Catatan",))
    assert _read(data, sheet="clients") == [(2, {"nik": "3275014501900001", "full_name": "Siti"})]
    with pytest.raises(FileProblem, match="Tidak ada: full_name"):
        _read(data, sheet="cases")  # no such sheet: the first one is read, and it is empty
    dated = xlsx_bytes(["Nama lengkap", "kode_sumber"], [["Budi", datetime(2024, 2, 1)]])
    assert _read(dated) == [(2, {"full_name": "Budi", "kode_sumber": "2024-02-01"})]


def test_broken_xlsx_is_a_file_problem(app):
    with pytest.raises(FileProblem, match="XLSX"):
        _read(b"PK\x03\x04 not really a zip")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("17/08/2024", date(2024, 8, 17)),
        ("1-2-2024", date(2024, 2, 1)),
        ("2024-02-01", date(2024, 2, 1)),
        ("45323", date(2024, 2, 1)),
        ("45323.0", date(2024, 2, 1)),
        ("31/02/2024", None),
        ("kemarin", None),
    ],
)
def test_dates_day_first_iso_and_excel_serials(text, expected):
    assert parse_date(text) == expected
