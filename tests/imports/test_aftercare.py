"""The aftercare visits import: a visit fills its case's slot (or makes it), by ``record_visit``'s rules."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework.aftercare.models import AftercareVisit, VisitResult
from casework.cases.models import CaseEvent
from casework.extensions import db
from casework.imports.aftercare import AFTERCARE
from casework.imports.cells import Context
from tests.aftercare.conftest import AS_OF
from tests.imports.fixtures.rows import check, errors_of, run


@pytest.fixture
def ctx(agency, caseworker):
    return Context(agency, caseworker, today=AS_OF)


def _visits(case):
    return db.session.scalars(
        sa.select(AftercareVisit).where(AftercareVisit.case_id == case.id).order_by(AftercareVisit.month_offset)
    ).all()


def test_a_visit_without_a_slot_makes_the_nearest_one_of_the_agency_schedule(ctx, ended_case, caseworker):
    case = ended_case(date(2025, 3, 31))
    rows = run(ctx, AFTERCARE, {"case": case.number, "visited_on": "05/10/2025", "result": "Stabil / tetap mandiri"})
    assert errors_of(rows) == {}
    (visit,) = _visits(case)
    # 6 months after 31 March is 30 September: the nearest of 6, 12, 18, 24, 36 to 5 October.
    assert (visit.month_offset, visit.due_on, visit.visited_on) == (6, date(2025, 9, 30), date(2025, 10, 5))
    assert (visit.result, visit.recorded_by_id) == (VisitResult.STABLE, caseworker.id)
    kinds = db.session.scalars(sa.select(CaseEvent.kind).where(CaseEvent.case_id == case.id)).all()
    assert kinds.count("aftercare_visit") == 1


def test_a_visit_fills_the_open_slot_the_graduation_scheduled(ctx, ended_case, assess, supervisor):
    case = ended_case(date(2025, 3, 31))
    assess(case)
    slots = {visit.month_offset: visit for visit in _visits(case)}
    assert set(slots) == {6, 12, 18, 24, 36}
    version = slots[12].version
    row = {
        "case": case.number,
        "month_offset": "12",
        "visited_on": "2026-04-02",
        "result": "fallen_back",
        "notes": "Kembali ke jalan.",
        "recorded_by": supervisor.username,
    }
    rows = run(ctx, AFTERCARE, row)
    assert rows[0].action == "update" and rows[0].target_id == slots[12].id
    db.session.expire_all()
    visit = db.session.get(AftercareVisit, slots[12].id)
    assert (visit.visited_on, visit.result, visit.recorded_by_id) == (date(2026, 4, 2), "fallen_back", supervisor.id)
    assert visit.version == version + 1
    assert len(_visits(case)) == 5
    # The same visit with other notes, under the same key: it updates its own visit, not a refusal.
    again = run(Context(ctx.agency, ctx.actor, today=AS_OF), AFTERCARE, {**row, "notes": "Sudah ditangani lagi."})
    assert errors_of(again) == {}
    db.session.expire_all()
    assert db.session.get(AftercareVisit, slots[12].id).notes == "Sudah ditangani lagi."


def test_visits_are_refused_where_record_visit_refuses_them(ctx, ended_case, new_case):
    ended, died, still_open = ended_case(date(2025, 3, 31)), ended_case(date(2025, 3, 31), outcome="died"), new_case()
    first = {"kode_sumber": "V-1", "case": ended.number, "month_offset": "6", "visited_on": "01/10/2025"}
    run(ctx, AFTERCARE, {**first, "result": "stable"})
    rows = check(
        Context(ctx.agency, ctx.actor, today=AS_OF),
        AFTERCARE,
        {"case": still_open.number, "visited_on": "01/10/2025", "result": "stable"},
        {"case": died.number, "visited_on": "01/10/2025", "result": "stable"},
        {"case": ended.number, "visited_on": "01/03/2025", "result": "stable"},
        {"case": ended.number, "visited_on": "02/10/2025", "result": "baik"},
        {"case": ended.number, "month_offset": "6", "visited_on": "02/10/2025", "result": "not_met"},
        {"case": ended.number, "month_offset": "12", "visited_on": "01/04/2026", "result": "stable"},
        {"case": ended.number, "month_offset": "12", "visited_on": "02/04/2026", "result": "not_met"},
        {"case": ended.number, "month_offset": "0", "visited_on": "02/04/2026", "result": "stable"},
    )
    columns = {line: [column for column, _message in errors] for line, errors in errors_of(rows).items()}
    assert columns == {
        2: ["case"],
        3: ["case"],
        4: ["visited_on"],
        5: ["result"],
        6: ["month_offset"],
        # Line 8 is the same key as line 7 (case and month): the machinery refuses the second.
        8: [None],
        9: ["month_offset"],
    }
    assert "sudah dicatat" in errors_of(rows)[6][0][1]
    assert rows[5].action == "create"
