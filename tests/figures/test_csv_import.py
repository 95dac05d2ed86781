"""The CSV reader and cell checks shared by the imports, and the upload kept for confirmation."""

import hashlib
from datetime import timedelta

import pytest
import sqlalchemy as sa

from casework.core.errors import NotFound
from casework.core.types import utcnow
from casework.extensions import db
from casework.figures import csv_import, population, targets
from casework.figures.csv_import import PendingImport, count_cell, read_rows, year_cell
from tests.figures import target_fixtures as fixtures

# The agency whose uploads are kept.
office, agency = fixtures.office, fixtures.agency

COLUMNS = ("year", "unit_code", "indicator_code", "target")


def test_reads_rows_by_header_in_any_order_and_case_with_their_file_lines(app):
    content = b"Target, INDICATOR_CODE,unit code,year,note\n12,T-OUT,CAB1,2026,x\n\n7,T-REF,DINSOS,2027,y\n"
    rows, errors = read_rows(content, COLUMNS)
    assert errors == []
    assert rows == [
        (2, {"year": "2026", "unit_code": "CAB1", "indicator_code": "T-OUT", "target": "12"}),
        (4, {"year": "2027", "unit_code": "DINSOS", "indicator_code": "T-REF", "target": "7"}),
    ]


def test_reads_excel_files_with_a_byte_order_mark_and_semicolons(app):
    content = "\ufeffyear;unit_code;indicator_code;target\r\n2026;CAB1;T-OUT;1.000\r\n".encode()
    rows, errors = read_rows(content, COLUMNS)
    assert errors == []
    assert rows == [(2, {"year": "2026", "unit_code": "CAB1", "indicator_code": "T-OUT", "target": "1.000"})]


def test_a_short_row_reads_its_missing_cells_as_blank(app):
    rows, _errors = read_rows(b"year,unit_code,indicator_code,target\n2026,CAB1\n", COLUMNS)
    assert rows == [(2, {"year": "2026", "unit_code": "CAB1", "indicator_code": "", "target": ""})]


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        (b"year,unit_code,target\n2026,CAB1,3\n", 1, "indicator_code"),
        (b"year,unit_code,indicator_code,target\n", 0, "tidak berisi baris data"),
        (b"", 1, "Baris judul"),
        ("year,unit_code,indicator_code,target\n2026,Cabang Utara \xe9,T,1\n".encode("latin-1"), 0, "UTF-8"),
    ],
)
def test_a_file_that_cannot_be_read_is_one_error(app, content, line, fragment):
    rows, errors = read_rows(content, COLUMNS)
    assert rows == []
    assert len(errors) == 1
    assert errors[0].line == line
    assert fragment in errors[0].message


def test_a_file_too_large_is_refused_before_reading(app):
    _rows, errors = read_rows(b"x" * (csv_import.MAX_BYTES + 1), COLUMNS)
    assert errors[0].line == 0 and "terlalu besar" in errors[0].message


@pytest.mark.parametrize(
    ("raw", "value", "fragment"),
    [
        ("0", 0, None),
        ("861", 861, None),
        ("", None, "Wajib diisi"),
        ("-5", None, "negatif"),
        ("1.000", None, "bilangan bulat"),
        ("12,5", None, "bilangan bulat"),
        ("sepuluh", None, "bilangan bulat"),
        ("１２", None, "bilangan bulat"),
        ("1234567890", None, "terlalu besar"),
    ],
)
def test_counts_are_whole_numbers_from_zero(app, raw, value, fragment):
    errors = []
    assert count_cell(errors, 5, {"count": raw}, "count") == value
    if fragment is None:
        assert errors == []
    else:
        assert errors[0][:2] == (5, "count") and fragment in errors[0].message


@pytest.mark.parametrize(("raw", "value"), [("2026", 2026), ("1999", None), ("26", None), ("", None), ("2026.0", None)])
def test_years_have_four_digits_in_range(app, raw, value):
    errors = []
    assert year_cell(errors, 3, {"year": raw}) == value
    assert bool(errors) == (value is None)


def test_an_upload_is_kept_for_its_agency_and_kind_only(app, agency, make):
    pending = csv_import.store_pending(targets.IMPORT, agency, b"year\n", "t.csv", None)
    assert csv_import.pending_upload(targets.IMPORT, agency, pending.uuid) == pending
    with pytest.raises(NotFound):
        csv_import.pending_upload(population.IMPORT, agency, pending.uuid)
    with pytest.raises(NotFound):
        csv_import.pending_upload(targets.IMPORT, make.agency(), pending.uuid)
    with pytest.raises(NotFound):
        csv_import.pending_upload(targets.IMPORT, agency, "not-a-uuid")


def test_storing_an_upload_drops_those_nobody_confirmed_for_a_day(app, agency):
    old = csv_import.store_pending(targets.IMPORT, agency, b"old", "old.csv", None)
    old.uploaded_at = utcnow() - timedelta(days=1, minutes=1)
    recent = csv_import.store_pending(targets.IMPORT, agency, b"recent", "recent.csv", None)
    db.session.flush()
    csv_import.store_pending(targets.IMPORT, agency, b"new", "new.csv", None)
    kept = set(db.session.scalars(sa.select(PendingImport.content)))
    assert b"old" not in kept and {b"recent", b"new"} <= kept
    assert recent.sha256 == hashlib.sha256(b"recent").hexdigest()
