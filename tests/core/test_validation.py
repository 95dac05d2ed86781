"""The shared input checks services use."""

import pytest

from casework.core.errors import ValidationFailed
from casework.core.validation import Problems, choice, text, whole_number
from casework.org.models import Unit, UnitKind


def test_text_trims_requires_and_limits_length(app):
    problems = Problems()
    column = Unit.__table__.c.code
    assert text(problems, {"code": "  KEC-01 "}, column, required=True) == "KEC-01"
    assert text(problems, {"code": "   "}, column) is None
    assert text(problems, {}, column, required=True) is None
    assert text(problems, {"code": "x" * 31}, column) == "x" * 31
    assert problems.fields == {"code": ["Wajib diisi.", "Paling banyak 30 karakter."]}


def test_choice_names_the_member_or_notes_the_message(app):
    problems = Problems()
    assert choice(problems, "panti", "kind", UnitKind) is UnitKind.PANTI
    assert choice(problems, "", "kind", UnitKind, required=False) is None
    assert choice(problems, "istana", "kind", UnitKind, "Pilih jenis unit.") is None
    assert choice(problems, None, "other", UnitKind) is None
    assert problems.fields == {"kind": ["Pilih jenis unit."], "other": ["Pilihan tidak dikenal."]}


@pytest.mark.parametrize(("value", "expected"), [("7", 7), (3, 3), ("", None), (None, None)])
def test_whole_number_accepts_positive_integers(app, value, expected):
    problems = Problems()
    assert whole_number(problems, value, "max_days", "salah") == expected
    assert problems.fields == {}


@pytest.mark.parametrize("value", ["0", 0, -2, "2.5", "tujuh", True])
def test_whole_number_refuses_everything_else(app, value):
    problems = Problems()
    assert whole_number(problems, value, "max_days", "salah") is None
    assert problems.fields == {"max_days": ["salah"]}


def test_raise_any_carries_every_field(app):
    problems = Problems()
    problems.raise_any()
    problems.add("a", "satu")
    problems.take(ValidationFailed("x", fields={"a": ["dua"], "b": ["tiga"]}))
    with pytest.raises(ValidationFailed) as refused:
        problems.raise_any()
    assert refused.value.fields == {"a": ["satu", "dua"], "b": ["tiga"]}
