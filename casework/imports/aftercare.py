"""Import of aftercare visits (*bimbingan lanjut*): which ended case was visited when, and what the visit found.

The rules are ``casework.aftercare.services.record_visit``'s: a visit belongs
to a terminated case (or one in aftercare) whose client did not die, is not
before the termination nor in the future, and finds the client stable,
fallen back, or not met. A visit fills the case's slot of its month offset
(``bulan_ke``; when blank, the agency's offset whose day is nearest the
visit), or makes the slot when the case has none. A slot visited already is
refused, unless it is this row's own visit imported before (then the row
updates it). Each visit adds the "aftercare_visit" event to its case's
timeline, as recording it in the app does.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from casework.aftercare.labels import RESULT_LABELS
from casework.aftercare.models import AftercareVisit, VisitResult
from casework.aftercare.schedule import MAX_MONTH, visit_months
from casework.cases.models import CLOSED_STAGES, CaseEvent, Outcome
from casework.cases.stages import add_months
from casework.extensions import db
from casework.imports.case_refs import case_cell, case_column, resolve_cases
from casework.imports.cells import date_cell, enum_cell, int_cell, text_cell
from casework.imports.types import Action, Column, key_column, register

NOTES_MAX = 4000
_SLOTS = "aftercare.slots"


class AftercareVisits:
    """The ``aftercare`` record type (see ``casework.imports.types``)."""

    name = "aftercare"
    label = _l("Kunjungan bimbingan lanjut")
    can_update = True
    columns = (
        key_column(),
        case_column(),
        Column(
            "month_offset",
            _l("Bulan ke-"),
            example="6",
            help=_l("Bulan kunjungan setelah terminasi (1–120); kosong: jadwal dinas yang terdekat."),
        ),
        Column("visited_on", _l("Tanggal kunjungan"), required=True, example="10/09/2024"),
        Column("result", _l("Hasil kunjungan"), required=True, codes="visit_results", example="stable"),
        Column("notes", _l("Catatan")),
        Column("recorded_by", _l("Dicatat oleh"), help=_l("Nama pengguna; kosong: pengguna yang mengimpor.")),
    )

    def natural_key(self, row):
        """The case and the month offset when given: a case has one visit per month offset."""
        month = row.cell("month_offset")
        return f"{row.cell('case')}|{month}" if month and row.cell("case") else None

    def check(self, ctx, rows):
        """Parses each row and places it in its case's slot; the slots are read in one query per batch."""
        refs = resolve_cases(ctx, rows)
        months = visit_months(ctx.agency)
        parsed = []
        for row in rows:
            case = case_cell(row, refs)
            if case is not None and (case.stage not in CLOSED_STAGES or case.outcome == Outcome.DIED):
                row.error("case", _("Kunjungan bimbingan lanjut hanya untuk kasus yang sudah diterminasi."))
                case = None
            visited_on = date_cell(
                row,
                "visited_on",
                is_required=True,
                today=ctx.today,
                not_before=case.terminated_on if case else None,
                not_before_message=_("Kunjungan tidak bisa sebelum terminasi."),
            )
            month = int_cell(row, "month_offset", minimum=1, maximum=MAX_MONTH)
            result = enum_cell(row, "result", VisitResult, RESULT_LABELS, is_required=True)
            notes = text_cell(row, "notes", NOTES_MAX)
            recorder = ctx.user(row, "recorded_by") or ctx.actor.id
            if not row.ok:
                continue
            month = month or _nearest_month(months, case.terminated_on, visited_on)
            row.label = _("%(number)s · bulan ke-%(month)d", number=case.number, month=month)
            row.values = {
                "case_id": case.id,
                "month_offset": month,
                "due_on": add_months(case.terminated_on, month),
                "visited_on": visited_on,
                "result": result,
                "notes": notes,
                "recorded_by_id": recorder,
            }
            parsed.append(row)
        _place(ctx, parsed)

    def apply(self, ctx, rows):
        """Inserts new visits, records the slots found, and adds one timeline event per visit."""
        table = AftercareVisit.__table__
        creates = [row for row in rows if row.action == Action.CREATE]
        updates = [row for row in rows if row.action == Action.UPDATE]
        if creates:
            statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
            ids = db.session.scalars(statement, [dict(row.values) for row in creates]).all()
            for row, visit_id in zip(creates, ids, strict=True):
                row.target_id = visit_id
        if updates:
            changed = ("visited_on", "result", "notes", "recorded_by_id")
            statement = (
                table.update()
                .where(table.c.id == sa.bindparam("target"))
                .values({**{name: sa.bindparam(name) for name in changed}, "version": table.c.version + 1})
            )
            db.session.execute(
                statement,
                [{**{name: row.values[name] for name in changed}, "target": row.target_id} for row in updates],
            )
        events = [
            {
                "case_id": row.values["case_id"],
                "kind": "aftercare_visit",
                "actor_id": ctx.actor.id,
                "details": {
                    "visit": row.target_id,
                    "month": row.values["month_offset"],
                    "result": row.values["result"].value,
                    "imported": True,
                },
            }
            for row in rows
        ]
        if events:
            db.session.execute(CaseEvent.__table__.insert(), events)
        db.session.flush()


def _nearest_month(months, terminated_on, visited_on):
    """The agency's month offset whose day lies nearest ``visited_on``; else the whole months since termination."""
    if months:
        return min(months, key=lambda month: abs((add_months(terminated_on, month) - visited_on).days))
    elapsed = (visited_on.year - terminated_on.year) * 12 + visited_on.month - terminated_on.month
    return min(max(elapsed, 1), MAX_MONTH)


def _place(ctx, rows):
    """Sets each row's action: a new slot, its case's open slot, or its own earlier visit; else an error."""
    if not rows:
        return
    table = AftercareVisit.__table__
    slots = {}
    case_ids = sorted({row.values["case_id"] for row in rows})
    for start in range(0, len(case_ids), 500):
        found = db.session.execute(
            sa.select(table.c.case_id, table.c.month_offset, table.c.id, table.c.visited_on).where(
                table.c.case_id.in_(case_ids[start : start + 500])
            )
        )
        slots.update({(case_id, month): (visit_id, visited_on) for case_id, month, visit_id, visited_on in found})
    seen = ctx.state.setdefault(_SLOTS, set())
    for row in rows:
        slot = (row.values["case_id"], row.values["month_offset"])
        visit_id, visited_on = slots.get(slot, (None, None))
        own = row.known is not None and row.known[0] == visit_id
        if visited_on is not None and not own:
            row.error("month_offset", _("Kunjungan bulan ke-%(month)d kasus ini sudah dicatat.", month=slot[1]))
            continue
        if slot in seen:
            row.error("month_offset", _("Kunjungan bulan ke-%(month)d kasus ini ada dua kali di file.", month=slot[1]))
            continue
        seen.add(slot)
        if visit_id is not None:
            row.action, row.target_id = Action.UPDATE, visit_id
        else:
            row.action = Action.CREATE


AFTERCARE = register(AftercareVisits())
