"""Properties of the parsers that read what people type or import: they answer or refuse, never crash.

NIK checking, region code look-ups and import row cells are fed arbitrary text; each property runs a bounded
number of examples so the file stays within a few seconds on either database.
"""

import string
from datetime import date

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.clients.identity import check_nik, compose_nik
from casework.clients.models import Sex
from casework.core.errors import ValidationFailed
from casework.extensions import db
from casework.imports.cells import Context, bool_cell, date_cell, enum_cell, int_cell, parse_date, sex_cell
from casework.imports.types import Row
from casework.reference.models import Region
from casework.reference.services import dotted_code, get_region, normalise_region_name, require_region, search_regions

TODAY = date(2026, 12, 3)
FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
# Arbitrary text as typed or pasted. No NUL bytes and no lone surrogates: decoded UTF-8 (a form, a file) holds none.
TEXT = st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=40)
CODE_LIKE = st.text(alphabet=string.digits + ". -", max_size=20)


@pytest.fixture
def districts(app):
    """Active district codes of the region table (a sample of 50)."""
    return db.session.scalars(
        sa.select(Region.code).where(Region.level == 3, Region.retired.is_(False)).order_by(Region.code).limit(50)
    ).all()


@FAST
@given(digits=st.text(alphabet=string.digits, min_size=16, max_size=16))
def test_any_sixteen_digits_are_accepted_consistently_or_refused_with_messages(app, digits):
    check = check_nik(digits, today=TODAY)
    if check.valid:
        day = int(digits[6:8])
        assert check.sex == (Sex.FEMALE if day > 40 else Sex.MALE)
        assert check.birth_date.day == day % 40 and check.birth_date.month == int(digits[8:10])
        assert check.birth_date.year % 100 == int(digits[10:12]) and check.birth_date <= TODAY
        assert digits[12:] != "0000"
    else:
        assert check.errors and all(isinstance(message, str) and message for message in check.errors)
        assert check.sex is None and check.birth_date is None


@FAST
@given(
    index=st.integers(min_value=0, max_value=49),
    born=st.dates(min_value=date(TODAY.year - 99, 1, 1), max_value=TODAY),
    sex=st.sampled_from(list(Sex)),
    serial=st.integers(min_value=1, max_value=9999),
)
def test_a_nik_built_from_a_real_district_and_date_round_trips(districts, index, born, sex, serial):
    district = districts[index % len(districts)]
    nik = compose_nik(district, born, sex, serial)
    check = check_nik(nik, today=TODAY)
    assert check.valid, check.errors
    assert (check.sex, check.birth_date, check.digits) == (sex, born, nik)
    # Separators typists add change nothing.
    spaced = f"{nik[:6]} {nik[6:12]}-{nik[12:]}"
    assert check_nik(spaced, today=TODAY).digits == nik


@FAST
@given(text=TEXT | CODE_LIKE)
def test_any_text_is_a_nik_or_a_refusal(app, text):
    check = check_nik(text, today=TODAY)
    assert check.valid or check.errors


@FAST
@given(text=TEXT | CODE_LIKE)
def test_region_lookups_never_crash_on_any_text(app, text):
    dotted = dotted_code(text)
    assert dotted is None or get_region(dotted) is None or get_region(dotted).code == dotted
    assert get_region(text) is None or dotted is not None
    assert set(normalise_region_name(text)) <= set(string.ascii_lowercase + string.digits + "' ")
    try:
        require_region(text)
    except ValidationFailed as error:
        assert error.fields["region_code"]
    try:
        found = search_regions(text)
    except ValidationFailed as error:
        assert error.fields["q"]
    else:
        assert len(found) <= 50


def _row(text):
    """A one-cell import row; the file readers trim every cell before the parsers see it."""
    return Row(line=2, cells={"c": text.strip()})


@FAST
@given(text=TEXT | CODE_LIKE | st.dates().map(lambda d: d.strftime("%d/%m/%Y")))
def test_date_cells_give_a_date_or_an_error(app, text):
    row = _row(text)
    value = date_cell(row, "c", today=TODAY)
    if value is not None:
        assert not row.errors and value <= TODAY and value == parse_date(text.strip())
    elif text.strip():
        assert row.errors and "Tanggal" in row.errors[0].message


@FAST
@given(text=TEXT | st.sampled_from(["ya", "Tidak", "YES", "0", "1", "v", "-", ""]))
def test_yes_no_cells_give_a_boolean_or_an_error(app, text):
    row = _row(text)
    value = bool_cell(row, "c")
    assert isinstance(value, bool)
    assert not row.errors or row.errors[0].message == 'Isi "ya" atau "tidak".'


@FAST
@given(text=TEXT | st.integers(-(10**12), 10**12).map(str) | st.integers(0, 999).map(lambda n: f"{n}.0"))
def test_number_cells_give_a_number_in_range_or_an_error(app, text):
    row = _row(text)
    value = int_cell(row, "c", minimum=0, maximum=1000)
    if value is not None:
        assert 0 <= value <= 1000 and not row.errors
    elif text.strip():
        assert row.errors and "bilangan bulat" in row.errors[0].message


@FAST
@given(text=TEXT | st.sampled_from(["L", "p", "Perempuan", "laki-laki", "male"]))
def test_code_cells_give_a_member_or_an_error(app, text):
    row = _row(text)
    assert sex_cell(row, "c") in (None, "male", "female")
    row = _row(text)
    member = enum_cell(row, "c", Sex)
    assert member is None or member in Sex
    if member is None and text.strip():
        assert row.errors and row.errors[0].message


@FAST
@given(text=TEXT | CODE_LIKE)
def test_region_cells_give_a_region_or_an_error(app, text):
    context = Context(agency=None, actor=None, today=TODAY)
    row = _row(text)
    code = context.region(row, "c", levels=(3, 4))
    if code is not None:
        assert not row.errors and get_region(code).level in (3, 4)
    elif text.strip():
        assert row.errors and row.errors[0].message
