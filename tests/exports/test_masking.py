"""Masking identities for roles without ``clients.identity``: the rules, and who holds the permission."""

import pytest

from casework.auth.models import Role
from casework.core.masking import FIELD_MASKS, mask_name, mask_nik, mask_phone, masked, may_see_identity
from casework.core.permissions import PERMISSIONS


def test_names_keep_each_words_first_letter():
    assert mask_name("Siti Aminah") == "S*** A*****"
    assert mask_name("  Budi   Santoso ") == "B*** S******"
    assert mask_name("A") == "A"
    assert mask_name(None) is None and mask_name("") == ""


def test_nik_and_kk_keep_only_the_region_prefix():
    assert mask_nik("3275014501900001") == "327501**********"
    assert mask_nik("12345") == "*****"
    assert mask_nik(None) is None


def test_phone_keeps_its_last_two_digits_only():
    assert mask_phone("+62 812-3456-7890") == "*" * 11 + "90"
    assert mask_phone(None) is None


def test_masked_shows_in_full_only_when_allowed():
    assert masked("nik", "3275014501900001", True) == "3275014501900001"
    assert masked("nik", "3275014501900001", False) == "327501**********"
    assert masked("address", "Jl. Melati No. 5", False) == "J** M***** N** 5"
    assert set(FIELD_MASKS) >= {"full_name", "nik", "kk_number", "phone", "address", "mother_name"}


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        (Role.ADMIN, True),
        (Role.SUPERVISOR, True),
        (Role.CASEWORKER, True),
        (Role.DATA_OFFICER, False),
        (Role.VIEWER, False),
        (Role.VOLUNTEER, False),
    ],
)
def test_who_sees_identities(make, role, sees):
    assert (role in PERMISSIONS["clients.identity"]) is sees
    assert may_see_identity(make.user(role=role)) is sees
