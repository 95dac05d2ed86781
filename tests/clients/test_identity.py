"""NIK and KK numbers: a precise message for each kind of error, what a valid NIK tells, and properties."""

from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.clients.identity import check_kk_number, check_nik, compose_nik, disagreements
from casework.clients.models import Sex
from tests.clients.conftest import VALID_NIK

TODAY = date(2026, 11, 24)


def known(code):
    """A region look-up that knows every code, none retired (no database needed)."""
    return SimpleNamespace(retired=False)


def test_a_valid_nik_gives_sex_and_birth_date(app):
    check = check_nik("3275 0157 0590 0001")
    assert check.valid and check.digits == VALID_NIK
    assert (check.sex, check.birth_date) == (Sex.FEMALE, date(1990, 5, 17))


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("12345", "NIK harus 16 digit; yang diisi 5 digit."),
        ("32750157059000a1", "NIK hanya boleh berisi angka."),
        ("9975015705900001", "Kode provinsi 99 di NIK (digit 1–2) tidak dikenal."),
        ("3299015705900001", "Kode kabupaten/kota 32.99 di NIK (digit 3–4) tidak dikenal."),
        ("3275995705900001", "Kode kecamatan 32.75.99 di NIK (digit 5–6) tidak dikenal."),
        ("3275013505900001", "Tanggal lahir di NIK (digit 7–8) harus 01–31, atau 41–71 untuk perempuan; tertulis 35."),
        ("3275010005900001", "Tanggal lahir di NIK (digit 7–8) harus 01–31, atau 41–71 untuk perempuan; tertulis 00."),
        ("3275011713900001", "Bulan lahir di NIK (digit 9–10) harus 01–12; tertulis 13."),
        ("3275013002900001", "Tanggal lahir di NIK (30-02-90) tidak ada di kalender."),
        ("3275017102900001", "Tanggal lahir di NIK (31-02-90) tidak ada di kalender."),
        ("3275015705900000", "Nomor urut NIK (digit 13–16) tidak boleh 0000."),
    ],
)
def test_each_kind_of_wrong_nik_gets_a_precise_message(app, nik, message):
    check = check_nik(nik)
    assert check.errors == [message]
    assert (check.sex, check.birth_date) == (None, None)


def test_a_retired_region_code_is_a_warning_not_an_error():
    check = check_nik(VALID_NIK, lookup=lambda code: SimpleNamespace(retired=code == "32.75.01"))
    assert check.valid
    assert check.warnings == [
        "Kode kecamatan 32.75.01 di NIK sudah tidak berlaku (mungkin kode lama sebelum pemekaran)."
    ]


def test_kk_number_is_checked_for_digits_and_region(app):
    assert check_kk_number("3275010101200003").valid
    assert check_kk_number("32750101012000").errors == ["Nomor KK harus 16 digit; yang diisi 14 digit."]
    assert check_kk_number("3275990101200003").errors == [
        "Kode kecamatan 32.75.99 di Nomor KK (digit 5–6) tidak dikenal."
    ]


def test_disagreements_with_what_was_typed_are_warnings(app):
    check = check_nik(VALID_NIK)
    assert disagreements(check, Sex.FEMALE, date(1990, 5, 17), 1990) == []
    found = disagreements(check, Sex.MALE, date(1990, 5, 18), 1990)
    assert found == [
        "Jenis kelamin yang diisi tidak sama dengan jenis kelamin menurut NIK.",
        "Tanggal lahir yang diisi tidak sama dengan tanggal lahir menurut NIK (1990-05-17).",
    ]
    assert disagreements(check, None, None, 1992) == [
        "Tahun lahir yang diisi tidak sama dengan tahun lahir menurut NIK (1990)."
    ]
    assert disagreements(check_nik("12345"), Sex.MALE, None, None) == []


@given(st.text())
def test_checking_never_raises_on_any_text(value):
    check = check_nik(value, lookup=known, today=TODAY)
    assert check.valid == (not check.errors)
    assert check.valid or (check.sex, check.birth_date) == (None, None)


births = st.dates(min_value=date(TODAY.year - 99, 1, 1), max_value=TODAY)
sexes = st.sampled_from(list(Sex))
serials = st.integers(min_value=1, max_value=9999)


@given(births, sexes, serials)
def test_a_generated_nik_passes_and_gives_back_its_birth_date_and_sex(born, sex, serial):
    check = check_nik(compose_nik("32.75.01", born, sex, serial), lookup=known, today=TODAY)
    assert check.valid, check.errors
    assert (check.birth_date, check.sex) == (born, sex)


@given(births, serials)
def test_a_womans_nik_day_is_the_mans_plus_forty(born, serial):
    man = compose_nik("32.75.01", born, Sex.MALE, serial)
    woman = compose_nik("32.75.01", born, Sex.FEMALE, serial)
    assert int(woman[6:8]) == int(man[6:8]) + 40
    assert woman[:6] + woman[8:] == man[:6] + man[8:]
