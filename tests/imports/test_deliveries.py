"""The deliveries import: the rules of ``record_delivery`` for history, and needs met computed per batch."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework.cases import deliveries, stages
from casework.cases.models import CaseEvent, ServiceDelivery
from casework.extensions import db
from casework.imports.cells import Context
from casework.imports.deliveries import DELIVERIES
from tests.cases.conftest import INTAKE_DAY
from tests.imports.fixtures.rows import check, errors_of, run, store_key

TODAY = date(2026, 11, 20)


@pytest.fixture
def ctx(agency, caseworker):
    return Context(agency, caseworker, today=TODAY)


@pytest.fixture
def assessed_case(new_case, caseworker, service):
    """A case assessed on 3 November needing 3 days of meals and one clothing package."""

    def make():
        case = new_case()
        stages.begin_assessment(case, caseworker, case.version, {"started_on": INTAKE_DAY}, today=TODAY)
        needs = [{"service_id": service("permakanan").id, "quantity": 3}, {"service_id": service("sandang").id}]
        data = {"assessed_on": date(2026, 11, 3), "condition": "Sehat.", "needs": needs}
        return stages.complete_assessment(case, caseworker, case.version, data, today=TODAY)

    return make


def _events(case, kind):
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == kind)
    )


def test_imported_deliveries_meet_needs_on_the_day_record_delivery_would(ctx, assessed_case, caseworker, service):
    by_app, by_import = assessed_case(), assessed_case()
    given = [
        ("permakanan", date(2026, 11, 4), 1),
        ("sandang", date(2026, 11, 5), 1),
        ("permakanan", date(2026, 11, 6), 2),
    ]
    for slug, day, quantity in given:
        data = {"service_id": service(slug).id, "delivered_on": day, "quantity": quantity}
        deliveries.record_delivery(by_app, caseworker, data, today=TODAY)
    version = by_import.version
    # Two batches, as the machinery sends them: the case becomes met in the second.
    first = run(ctx, DELIVERIES, {"case": by_import.number, "service": "permakanan", "delivered_on": "04/11/2026"})
    second = run(
        ctx,
        DELIVERIES,
        {"case": by_import.number, "service": "1.06.04.2.01.0002", "delivered_on": "2026-11-05"},
        {
            "case": by_import.number,
            "service": "permakanan",
            "delivered_on": "06/11/2026",
            "quantity": "2",
            "unit_label": "hari",
        },
        first_line=3,
    )
    assert errors_of(first + second) == {}
    db.session.expire_all()
    assert by_import.needs_met_on == by_app.needs_met_on == date(2026, 11, 6)
    assert sorted(need.met_on for need in by_import.needs) == sorted(need.met_on for need in by_app.needs)
    assert by_import.first_delivered_on == date(2026, 11, 4)
    assert by_import.version == version + 1
    assert _events(by_import, "needs_met") == 1
    stored = db.session.scalars(sa.select(ServiceDelivery).where(ServiceDelivery.case_id == by_import.id)).all()
    assert sorted((row.delivered_on.day, row.quantity, row.unit_label) for row in stored) == [
        (4, 1, "hari"),
        (5, 1, "paket"),
        (6, 2, "hari"),
    ]
    assert {row.recorded_by_id for row in stored} == {caseworker.id}


def test_each_wrong_cell_is_reported_with_its_column(ctx, new_case, close_case):
    case = new_case()
    ended = new_case()
    close_case(ended, today=TODAY, outcome="reunified", terminated_on="2026-11-10")
    rows = check(
        ctx,
        DELIVERIES,
        {"case": "KS-1999-000001", "service": "permakanan", "delivered_on": "04/11/2026"},
        {"case": case.number, "service": "pijat-refleksi", "delivered_on": "04/11/2026"},
        {"case": case.number, "service": "sandang", "delivered_on": "01/11/2026"},
        {"case": case.number, "service": "sandang", "delivered_on": "31/12/2026"},
        {"case": case.number, "service": "sandang", "delivered_on": "31/02/2026"},
        {"case": ended.number, "service": "sandang", "delivered_on": "12/11/2026"},
        {"case": case.number, "service": "sandang", "delivered_on": "04/11/2026", "quantity": "0"},
        {"case": case.number, "service": "sandang", "delivered_on": "04/11/2026", "provider_unit": "TIDAK-ADA"},
        {"case": "", "service": "", "delivered_on": ""},
    )
    errors = errors_of(rows)
    assert [column for column, _message in errors[2]] == ["case"]
    assert "KS-1999-000001" in errors[2][0][1]
    assert errors[3] == [("service", "Kode layanan pijat-refleksi tidak dikenal.")]
    assert errors[4] == [("delivered_on", "Layanan tidak bisa diberikan sebelum penerimaan.")]
    assert errors[5] == [("delivered_on", "Tanggal tidak boleh di masa depan.")]
    assert [column for column, _message in errors[6]] == ["delivered_on"]
    assert errors[7] == [("delivered_on", "Layanan tidak bisa sesudah terminasi kasus (10/11/2026).")]
    assert [column for column, _message in errors[8]] == ["quantity"]
    assert [column for column, _message in errors[9]] == ["provider_unit"]
    assert sorted(column for column, _message in errors[10]) == ["case", "delivered_on", "service"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ServiceDelivery)) == 0


def test_an_ended_case_takes_the_deliveries_it_had_before_termination(ctx, new_case, close_case):
    ended = new_case()
    close_case(ended, today=TODAY, outcome="reunified", terminated_on="2026-11-10")
    rows = run(ctx, DELIVERIES, {"case": ended.number, "service": "sandang", "delivered_on": "10/11/2026"})
    assert errors_of(rows) == {}
    db.session.expire_all()
    assert ended.first_delivered_on == date(2026, 11, 10)


def test_the_meals_cap_counts_the_case_the_earlier_batches_and_the_row(ctx, new_case, caseworker, service):
    case = new_case()
    meals = service("permakanan")
    deliveries.record_delivery(
        case, caseworker, {"service_id": meals.id, "delivered_on": date(2026, 11, 3), "quantity": 3}, today=TODAY
    )
    meal = {"case": case.number, "service": "permakanan"}
    # A dry run checks every batch before writing any: the second batch counts the first one's days.
    first = check(ctx, DELIVERIES, {**meal, "delivered_on": "04/11/2026", "quantity": "2"})
    second = check(
        ctx,
        DELIVERIES,
        {**meal, "delivered_on": "05/11/2026", "quantity": "3"},
        {**meal, "delivered_on": "06/11/2026", "quantity": "2"},
        first_line=3,
    )
    assert errors_of(first) == {}
    assert errors_of(second) == {3: [("quantity", "Permakanan paling lama 7 hari; sudah diberikan 5.")]}
    assert second[1].ok


def test_a_case_is_found_by_its_source_key_from_the_cases_import(ctx, new_case):
    case = new_case()
    store_key(ctx, "cases", "LAMA-0007", case.id)
    rows = run(ctx, DELIVERIES, {"case": "LAMA-0007", "service": "sandang", "delivered_on": "05/11/2026"})
    assert errors_of(rows) == {}
    assert db.session.get(ServiceDelivery, rows[0].target_id).case_id == case.id


def test_a_changed_row_of_a_known_delivery_updates_it_and_the_needs(ctx, assessed_case):
    case = assessed_case()
    row = {
        "kode_sumber": "D-1",
        "case": case.number,
        "service": "permakanan",
        "delivered_on": "04/11/2026",
        "quantity": "3",
    }
    run(
        ctx,
        DELIVERIES,
        row,
        {"kode_sumber": "D-2", "case": case.number, "service": "sandang", "delivered_on": "05/11/2026"},
    )
    db.session.expire_all()
    assert case.needs_met_on == date(2026, 11, 5)
    changed = run(ctx, DELIVERIES, {**row, "quantity": "2"})
    assert changed[0].action == "update"
    db.session.expire_all()
    assert case.needs_met_on is None
    assert [need.met_on for need in case.needs if need.quantity == 3] == [None]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ServiceDelivery)) == 2
