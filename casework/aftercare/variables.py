"""The variables of the agency's self-reliance index: name, weight and maximum score, kept as data per agency.

An agency starts with a default set, saved the first time it is used (an
exit assessment or a change on the variables page). An assessment keeps the
weights and maxima it was scored with, so changing a variable changes later
assessments only.
"""

import sqlalchemy as sa
from flask_babel import gettext as _

from casework.aftercare.models import SelfRelianceVariable
from casework.core.errors import NotFound, check_version
from casework.core.validation import Problems
from casework.extensions import db

# The default index an agency starts with: (code, name, weight, maximum score), each scored 0 to its maximum.
DEFAULT_VARIABLES = (
    ("income", "Penghasilan / pekerjaan", 3, 4),
    ("housing", "Tempat tinggal", 2, 4),
    ("health", "Kesehatan", 2, 4),
    ("family_support", "Dukungan keluarga", 2, 4),
    ("documents", "Dokumen kependudukan", 1, 4),
    ("social_functioning", "Keberfungsian sosial", 2, 4),
)


def all_variables(agency):
    """The agency's index variables in order, inactive ones too; the default set (not saved yet) when it has none."""
    rows = db.session.scalars(
        sa.select(SelfRelianceVariable)
        .where(SelfRelianceVariable.agency_id == agency.id)
        .order_by(SelfRelianceVariable.ordinal, SelfRelianceVariable.id)
    ).all()
    return rows or _defaults(agency)


def variables(agency):
    """The agency's active index variables in order (the default set when it has none)."""
    return [row for row in all_variables(agency) if row.active]


def _defaults(agency):
    """The default variables for ``agency`` as new rows, at the version they are saved with."""
    return [
        SelfRelianceVariable(
            agency_id=agency.id,
            code=code,
            name=name,
            weight=weight,
            max_score=top,
            ordinal=index,
            active=True,
            version=1,
        )
        for index, (code, name, weight, top) in enumerate(DEFAULT_VARIABLES, start=1)
    ]


def saved_variables(agency):
    """The agency's active variables, saving the default set first when it has none."""
    found = all_variables(agency)
    if any(row.id is None for row in found):
        db.session.add_all(found)
        db.session.flush()
    return [row for row in found if row.active]


def save_variable(agency, data, code=None, version=None):
    """Adds a variable to the agency's index, or changes the one of ``code`` (at ``version``).

    ``data``: ``name``, ``weight``, ``max_score``, ``active``, and ``code`` for a new one. Assessments keep
    the weights and maxima they were scored with.
    """
    saved_variables(agency)
    variable = None
    if code is not None:
        variable = db.session.scalar(
            sa.select(SelfRelianceVariable).where(
                SelfRelianceVariable.agency_id == agency.id, SelfRelianceVariable.code == code
            )
        )
        if variable is None:
            raise NotFound(_("Variabel tidak ditemukan."))
        check_version(variable, version, _("Variabel ini sudah diubah orang lain. Lihat keadaan terbaru."))
    problems = Problems()
    name = (data.get("name") or "").strip()
    if not name or len(name) > SelfRelianceVariable.__table__.c.name.type.length:
        problems.add("name", _("Isi nama variabel (paling banyak 120 karakter)."))
    numbers = {
        field: bounded_number(problems, data.get(field), field, 1, 100, _("Isi bilangan bulat 1 sampai 100."))
        for field in ("weight", "max_score")
    }
    new_code = None if variable is not None else _new_code(problems, agency, data.get("code"))
    problems.raise_any()
    if variable is None:
        last = db.session.scalar(
            sa.select(sa.func.max(SelfRelianceVariable.ordinal)).where(SelfRelianceVariable.agency_id == agency.id)
        )
        variable = SelfRelianceVariable(agency_id=agency.id, code=new_code, ordinal=(last or 0) + 1)
        db.session.add(variable)
    variable.name, variable.weight, variable.max_score = name, numbers["weight"], numbers["max_score"]
    variable.active = bool(data.get("active", True))
    db.session.flush()
    return variable


def _new_code(problems, agency, value):
    """A new variable's code: lower-case letters, digits and underscores, not used in the agency yet."""
    code = (value or "").strip().lower()
    if not code or len(code) > 30 or not all(char.isascii() and (char.isalnum() or char == "_") for char in code):
        problems.add("code", _("Isi kode: huruf kecil, angka atau garis bawah, paling banyak 30 karakter."))
        return None
    taken = sa.select(SelfRelianceVariable.id).where(
        SelfRelianceVariable.agency_id == agency.id, SelfRelianceVariable.code == code
    )
    if db.session.scalar(taken) is not None:
        problems.add("code", _("Kode ini sudah dipakai."))
    return code


def bounded_number(problems, value, field, low, high, message):
    """A whole number from ``low`` to ``high`` given as a number or digits; else ``message`` is noted."""
    text = str(value if value is not None else "").strip()
    number = int(text) if text.isascii() and text.isdigit() else None
    if isinstance(value, bool) or number is None or not low <= number <= high:
        problems.add(field, message)
        return None
    return number
