"""One member of a household being registered: checking the row, naming the member in every message.

A member's problems are noted under ``members.<index>.<field>`` with the
member named ("Anggota ke-3: umur lebih dari 130 tahun"); the age is taken
from the birth date when one is given, and the vulnerable groups elderly and
under five follow the age unless given. A NIK given twice in the household,
or already registered in the event, is refused naming where it is.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.clients.identity import check_nik
from casework.clients.models import Sex
from casework.core.idempotency import parse_uuid
from casework.core.validation import Problems, choice, date_value, flag
from casework.disasters.models import AffectedHousehold, AffectedPerson, Relation
from casework.extensions import db

MAX_AGE = 130
ELDERLY_AGE = 60
UNDER_FIVE_AGE = 5
VULNERABLE_FLAGS = ("elderly", "pregnant_or_nursing", "under_five", "disability")
_NAME_LENGTH = AffectedPerson.__table__.c.name.type.length


def age_on(birth_date, day):
    """Whole years from ``birth_date`` to ``day``."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _member_label(index):
    """How messages name a member: "Anggota ke-3" (the head is the first)."""
    return _("Anggota ke-%(n)d", n=index + 1)


class Member:
    """Checks one member's values, noting problems under ``members.<index>.<field>``."""

    def __init__(self, problems, index, today):
        self.problems, self.index, self.today = problems, index, today

    def add(self, field, message):
        """Notes ``message`` for this member's ``field``, naming the member."""
        self.problems.add(f"members.{self.index}.{field}", f"{_member_label(self.index)}: {message}")

    def values(self, data):
        """The member's column values (flags derived from the age unless given), or None for a blank row."""
        name = (data.get("name") or "").strip()
        if len(name) > _NAME_LENGTH:
            self.add("name", _("nama paling banyak %(n)d karakter.", n=_NAME_LENGTH))
        elif not name:
            self.add("name", _("nama wajib diisi."))
        relation = self._relation(data.get("relation"))
        sex = choice(Problems(), data.get("sex"), "sex", Sex, required=False)
        if data.get("sex") not in (None, "") and sex is None:
            self.add("sex", _("pilih laki-laki atau perempuan."))
        birth_date, age = self._age(data.get("birth_date"), data.get("age_years"))
        values = {
            "uuid": self._uuid(data.get("uuid")),
            "name": name,
            "relation": relation,
            "sex": sex,
            "birth_date": birth_date,
            "age_years": age,
            "nik": self._nik(data.get("nik")),
        }
        derived = {
            "elderly": age is not None and age >= ELDERLY_AGE,
            "under_five": age is not None and age < UNDER_FIVE_AGE,
        }
        for key in VULNERABLE_FLAGS:
            # A group not given (None) follows the age: elderly from 60, under five below 5.
            given = data.get(key)
            values[key] = derived.get(key, False) if given is None else flag(given)
        if values["pregnant_or_nursing"] and sex == Sex.MALE:
            self.add("pregnant_or_nursing", _("hamil/menyusui hanya untuk perempuan."))
        return values

    def _uuid(self, value):
        """The member's UUID from the device, or a new one."""
        problems = Problems()
        member_uuid = parse_uuid(problems, value)
        if problems.fields:
            self.add("uuid", _("UUID tidak valid."))
        return member_uuid

    def _relation(self, value):
        """The relation to the head: the first member is the head, no one else is."""
        if self.index == 0:
            if value not in (None, "", Relation.HEAD.value):
                self.add("relation", _("anggota pertama adalah kepala keluarga."))
            return Relation.HEAD
        if value in (None, ""):
            return Relation.OTHER_RELATIVE
        if value == Relation.HEAD.value:
            self.add("relation", _("kepala keluarga hanya satu (anggota pertama)."))
            return None
        relation = choice(Problems(), value, "relation", Relation)
        if relation is None:
            self.add("relation", _("hubungan dengan kepala keluarga tidak dikenal."))
        return relation

    def _age(self, birth_value, age_value):
        """(birth date, age in years): the age is computed from the birth date when one is given."""
        problems = Problems()
        birth_date = date_value(problems, birth_value, "birth_date", self.today)
        for message in problems.fields.get("birth_date", []):
            self.add("birth_date", _("tanggal lahir: %(problem)s", problem=message))
        if birth_date is not None:
            age = age_on(birth_date, self.today)
            if age > MAX_AGE:
                self.add("birth_date", _("umur lebih dari %(max)d tahun menurut tanggal lahir.", max=MAX_AGE))
                return None, None
            return birth_date, age
        if age_value in (None, ""):
            if not problems.fields:
                self.add("age_years", _("isi umur atau tanggal lahir."))
            return None, None
        text_value = str(age_value).strip()
        if isinstance(age_value, bool) or not (text_value.isascii() and text_value.isdigit()):
            self.add("age_years", _("umur ditulis dalam tahun, angka 0 sampai %(max)d.", max=MAX_AGE))
            return None, None
        if int(text_value) > MAX_AGE:
            self.add("age_years", _("umur lebih dari %(max)d tahun.", max=MAX_AGE))
            return None, None
        return None, int(text_value)

    def _nik(self, value):
        """The NIK's 16 digits when given and well formed; structure problems are noted."""
        if value in (None, ""):
            return None
        check = check_nik(value)
        for message in check.errors:
            self.add("nik", message)
        return check.digits if check.valid else None


def refuse_repeated_niks(problems, event, members):
    """Notes a NIK given twice in the household, or registered already in the event (naming that household)."""
    first_with = {}
    for index, member in enumerate(members):
        nik = member["nik"]
        if nik is None:
            continue
        if nik in first_with:
            problems.add(
                f"members.{index}.nik",
                _(
                    "%(member)s: NIK sama dengan %(other)s.",
                    member=_member_label(index),
                    other=_member_label(first_with[nik]).lower(),
                ),
            )
        else:
            first_with[nik] = index
    if not first_with:
        return
    head = sa.orm.aliased(AffectedPerson)
    registered = db.session.execute(
        sa.select(AffectedPerson.nik, head.name, AffectedHousehold.kk_number)
        .join(AffectedHousehold, AffectedHousehold.id == AffectedPerson.household_id)
        .join(head, sa.and_(head.household_id == AffectedHousehold.id, head.relation == Relation.HEAD))
        .where(AffectedPerson.event_id == event.id, AffectedPerson.nik.in_(list(first_with)))
    ).all()
    for nik, head_name, kk_number in registered:
        household = f"{head_name} (KK {kk_number})" if kk_number else head_name
        problems.add(
            f"members.{first_with[nik]}.nik",
            _(
                "%(member)s: NIK ini sudah terdaftar di bencana ini, di keluarga %(household)s.",
                member=_member_label(first_with[nik]),
                household=household,
            ),
        )
