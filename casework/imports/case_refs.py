"""The case an imported delivery, referral or aftercare visit belongs to, named in its ``case`` column.

A row names its case by the source key the cases import stored for it (the
``kode_sumber`` of the cases file) or by the case number ("KS-2024-000123").
A batch's distinct names are resolved in two queries (the stored keys, then
the numbers of the rest) plus one that reads what the checks need of the
cases; the answers are kept on the import's ``Context`` for later batches.
"""

from typing import NamedTuple

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from casework.cases.models import Case
from casework.extensions import db
from casework.imports.types import Column

CASE_COLUMN = "case"
CASES_TYPE = "cases"
_CHUNK = 500


class CaseRef(NamedTuple):
    """What the record types check against: the case's id, number, stage, dates, outcome and caseworker."""

    id: int
    number: str
    stage: str
    intake_date: object
    terminated_on: object
    outcome: object
    caseworker_id: int


def case_column():
    """The column naming the case (required), the same in every type that hangs off a case."""
    return Column(
        CASE_COLUMN,
        _l("Kasus"),
        required=True,
        help=_l("Kode sumber kasus dari file impor kasus, atau nomor kasus (misalnya KS-2024-000123)."),
        example="K-0001",
    )


def _read(ctx, ids):
    """{case id: CaseRef} for the agency's cases among ``ids``."""
    found = {}
    columns = (
        Case.id,
        Case.number,
        Case.stage,
        Case.intake_date,
        Case.terminated_on,
        Case.outcome,
        Case.caseworker_id,
    )
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = db.session.execute(sa.select(*columns).where(Case.id.in_(chunk), Case.agency_id == ctx.agency.id))
        found.update({row.id: CaseRef(*row) for row in rows})
    return found


def resolve_cases(ctx, rows):
    """Resolves the ``case`` cell of every row of the batch at once; {text: CaseRef or None}, cached on ``ctx``."""
    cache = ctx.state.setdefault("case_refs", {})
    wanted = sorted({row.cell(CASE_COLUMN) for row in rows} - set(cache) - {""})
    if not wanted:
        return cache
    ids = {text: record_id for text, record_id in ctx.keyed(CASES_TYPE, wanted).items() if record_id}
    by_number = [text for text in wanted if text not in ids]
    for start in range(0, len(by_number), _CHUNK):
        chunk = by_number[start : start + _CHUNK]
        numbered = db.session.execute(
            sa.select(Case.number, Case.id).where(Case.agency_id == ctx.agency.id, Case.number.in_(chunk))
        )
        ids.update(dict(numbered.all()))
    refs = _read(ctx, sorted(set(ids.values())))
    for text in wanted:
        cache[text] = refs.get(ids.get(text))
    return cache


def case_cell(row, refs):
    """The row's case (a CaseRef), noting an error when the cell is blank or names no case of the agency."""
    text = row.cell(CASE_COLUMN)
    if not text:
        row.error(CASE_COLUMN, _("Wajib diisi."))
        return None
    ref = refs.get(text)
    if ref is None:
        row.error(
            CASE_COLUMN,
            _("Kasus %(name)s tidak ditemukan: tulis kode sumber dari impor kasus atau nomor kasus.", name=text),
        )
    return ref
