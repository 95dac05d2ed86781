"""Checking NIK and KK numbers by their structure, and what a valid NIK tells about its holder.

A NIK is ``PP KK CC DDMMYY SSSS``: province, regency, district of first
registration, birth date with 40 added to the day for women, and a serial.
``lokal.nik.parse_nik`` reads the structure; the region parts are checked
against our own region table, where a retired code is only a warning because a
NIK keeps the code it was issued with. Structure checks can refuse a number
but never prove that it exists.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l  # names only translated into a message when one is written
from lokal.nik import parse_nik

from casework.clients.models import Sex
from casework.reference.services import get_region

NUMBER_LENGTH = 16
# Typists copy numbers with spaces, dots or dashes between the groups.
_SEPARATORS = re.compile(r"[\s.\-]")
_LOKAL_SEX = {"L": Sex.MALE, "P": Sex.FEMALE}
FEMALE_DAY_OFFSET = 40


@dataclass
class IdentityCheck:
    """What checking one number found: the digits, problems (refusals), warnings, and what it encodes."""

    digits: str | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sex: Sex | None = None
    birth_date: date | None = None

    @property
    def valid(self):
        """True when nothing refuses the number."""
        return not self.errors


def _digits(value, label, check):
    """The 16 digits of ``value`` (separators dropped), or None with a precise problem noted on ``check``."""
    digits = _SEPARATORS.sub("", value)
    if not digits.isascii() or not digits.isdigit():
        check.errors.append(_("%(label)s hanya boleh berisi angka.", label=label))
    elif len(digits) != NUMBER_LENGTH:
        check.errors.append(_("%(label)s harus 16 digit; yang diisi %(n)d digit.", label=label, n=len(digits)))
    else:
        return digits
    return None


def _check_regions(digits, label, check, lookup):
    """Notes unknown province, regency or district codes (digits 1–6) as errors, retired ones as warnings."""
    parts = (
        (digits[:2], _l("Kode provinsi"), "1–2"),
        (f"{digits[:2]}.{digits[2:4]}", _l("Kode kabupaten/kota"), "3–4"),
        (f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}", _l("Kode kecamatan"), "5–6"),
    )
    for code, name, positions in parts:
        region = lookup(code)
        if region is None:
            check.errors.append(
                _(
                    "%(name)s %(code)s di %(label)s (digit %(positions)s) tidak dikenal.",
                    name=name,
                    code=code,
                    label=label,
                    positions=positions,
                )
            )
            # The parts below an unknown code cannot be known either.
            return
        if region.retired:
            check.warnings.append(
                _(
                    "%(name)s %(code)s di %(label)s sudah tidak berlaku (mungkin kode lama sebelum pemekaran).",
                    name=name,
                    code=code,
                    label=label,
                )
            )


def _check_birth_date(digits, check):
    """Notes a precise problem with the birth-date part (digits 7–12) when it is not a real date."""
    day, month = int(digits[6:8]), int(digits[8:10])
    if not (1 <= day <= 31 or 41 <= day <= 71):
        check.errors.append(
            _(
                "Tanggal lahir di NIK (digit 7–8) harus 01–31, atau 41–71 untuk perempuan; tertulis %(day)s.",
                day=digits[6:8],
            )
        )
    elif not 1 <= month <= 12:
        check.errors.append(_("Bulan lahir di NIK (digit 9–10) harus 01–12; tertulis %(month)s.", month=digits[8:10]))
    else:
        check.errors.append(
            _(
                "Tanggal lahir di NIK (%(day)02d-%(month)s-%(year)s) tidak ada di kalender.",
                day=day - FEMALE_DAY_OFFSET if day > FEMALE_DAY_OFFSET else day,
                month=digits[8:10],
                year=digits[10:12],
            )
        )


def check_nik(value, lookup=get_region, today=None):
    """Checks a NIK; a valid one also gives the holder's sex and birth date.

    ``lookup`` finds a region by dotted code (None when unknown); tests pass
    their own. ``today`` fixes the century inference (a two-digit year later
    than this year's is read as the last century).
    """
    check = IdentityCheck()
    label = _l("NIK")
    digits = _digits(str(value), label, check)
    if digits is None:
        return check
    check.digits = digits
    _check_regions(digits, label, check, lookup)
    parsed = parse_nik(digits, reference_date=today)
    if parsed.birth_date is None:
        _check_birth_date(digits, check)
    else:
        check.birth_date = date.fromisoformat(parsed.birth_date)
        check.sex = _LOKAL_SEX[parsed.gender]
    if parsed.serial == "0000":
        check.errors.append(_("Nomor urut NIK (digit 13–16) tidak boleh 0000."))
    if check.errors:
        # A number that is refused tells nothing reliable about its holder.
        check.sex = check.birth_date = None
    return check


def check_kk_number(value, lookup=get_region):
    """Checks a family-card (KK) number: 16 digits whose first six name a known district."""
    check = IdentityCheck()
    label = _l("Nomor KK")
    digits = _digits(str(value), label, check)
    if digits is not None:
        check.digits = digits
        _check_regions(digits, label, check, lookup)
    return check


def compose_nik(district_code, birth_date, sex, serial):
    """The NIK a district would issue to someone born on ``birth_date`` of ``sex`` with ``serial`` (1–9999)."""
    day = birth_date.day + (FEMALE_DAY_OFFSET if sex == Sex.FEMALE else 0)
    return f"{district_code.replace('.', '')}{day:02d}{birth_date:%m%y}{serial:04d}"


def disagreements(check, sex, birth_date, birth_year):
    """Where what was typed differs from what a valid NIK encodes: warnings, never refusals."""
    if not check.valid:
        return []
    found = []
    if sex is not None and sex != check.sex:
        found.append(_("Jenis kelamin yang diisi tidak sama dengan jenis kelamin menurut NIK."))
    if birth_date is not None and birth_date != check.birth_date:
        found.append(
            _("Tanggal lahir yang diisi tidak sama dengan tanggal lahir menurut NIK (%(date)s).", date=check.birth_date)
        )
    elif birth_date is None and birth_year is not None and birth_year != check.birth_date.year:
        found.append(
            _(
                "Tahun lahir yang diisi tidak sama dengan tahun lahir menurut NIK (%(year)d).",
                year=check.birth_date.year,
            )
        )
    return found


def identity_warnings(client):
    """Every warning about a stored client's NIK and KK number: retired codes and disagreements with the NIK."""
    warnings = []
    if client.nik:
        check = check_nik(client.nik)
        warnings += check.warnings + disagreements(check, client.sex, client.birth_date, client.birth_year)
    if client.kk_number:
        warnings += check_kk_number(client.kk_number).warnings
    return warnings
