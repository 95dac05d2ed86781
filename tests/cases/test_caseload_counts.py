"""The caseload's counts and overdue rules at scale: a case's first delivery day, and counts that stop at a bound."""

from datetime import date

import sqlalchemy as sa

from casework.cases import deliveries, queries, routes, stages, stays
from casework.cases.models import Case, Stage
from casework.extensions import db
from tests.admin.helpers import page_text
from tests.cases.conftest import INTAKE_DAY

# Well past the plan of 4 November and the agency's 14 days to deliver a first service.
TODAY = date(2026, 12, 1)


def _in_intervention(case, actor, service):
    """Takes ``case`` through assessment (needing three days of ``service``) and a plan made on 4 November."""
    stages.begin_assessment(case, actor, case.version, {"started_on": INTAKE_DAY}, today=TODAY)
    assessment = {
        "assessed_on": date(2026, 11, 3),
        "condition": "Sehat.",
        "needs": [{"service_id": service.id, "quantity": 3}],
    }
    stages.complete_assessment(case, actor, case.version, assessment, today=TODAY)
    plan = {"planned_on": date(2026, 11, 4), "plan_goals": "Pulang ke keluarga"}
    stages.record_plan(case, actor, case.version, plan, today=TODAY)
    assert case.stage == Stage.INTERVENTION


def _stored_first_day(case):
    """The case's first delivery day as the database holds it."""
    return db.session.scalar(sa.select(Case.first_delivered_on).where(Case.id == case.id))


def test_deliveries_keep_the_first_delivery_day_and_end_the_plan_without_services(
    new_case, caseworker, service, agency
):
    case = new_case()
    meals = service("permakanan")
    _in_intervention(case, caseworker, meals)
    assert _stored_first_day(case) is None
    assert queries.overdue_flags(agency, [case.id], today=TODAY)[case.id] == ["services"]
    assert queries.overdue_counts(agency, caseworker_id=caseworker.id, today=TODAY)["services"] == 1
    version = case.version

    def deliver(day):
        deliveries.record_delivery(case, caseworker, {"service_id": meals.id, "delivered_on": day}, today=TODAY)

    deliver(date(2026, 11, 6))
    assert case.first_delivered_on == _stored_first_day(case) == date(2026, 11, 6)
    # Recording a delivery is not a change of the case: its version stays.
    assert case.version == version
    deliver(date(2026, 11, 5))
    assert case.first_delivered_on == _stored_first_day(case) == date(2026, 11, 5)
    deliver(date(2026, 11, 7))
    assert _stored_first_day(case) == date(2026, 11, 5) and case.needs_met_on == date(2026, 11, 7)
    assert queries.overdue_flags(agency, [case.id], today=TODAY)[case.id] == []
    assert queries.overdue_counts(agency, caseworker_id=caseworker.id, today=TODAY)["services"] == 0


def test_stage_and_overdue_counts_come_in_one_query(new_case, caseworker, agency):
    for _n in range(3):
        new_case()
    statements = []

    def count(*_args):
        statements.append(1)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        by_stage, overdue = queries.caseload_counts(agency, caseworker_id=caseworker.id, today=TODAY)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert by_stage == {stage: 3 if stage == Stage.INTAKE else 0 for stage in Stage}
    assert overdue == {"assessment": 3, "stay": 0, "services": 0}


def test_counts_and_the_pager_stop_at_the_bound(client, login, caseworker, new_case, monkeypatch):
    monkeypatch.setattr(queries, "COUNT_BOUND", 2)
    monkeypatch.setattr(routes, "COUNT_BOUND", 2)
    for _n in range(3):
        new_case(intake_date=TODAY)
    login(caseworker)
    by_stage, _overdue = queries.caseload_counts(caseworker.agency, caseworker_id=caseworker.id)
    assert by_stage[Stage.INTAKE] == 3
    first = page_text(client.get("/cases/?per_page=1"))
    assert "<strong>2+</strong> Penjangkauan / penerimaan" in first
    assert "lebih dari 2 data · halaman 1" in first and 'rel="next"' in first
    # Past the bound counted from the page: the last page knows the exact total again.
    last = page_text(client.get("/cases/?per_page=1&page=3"))
    assert "3 data · halaman 3 dari 3" in last and 'rel="next"' not in last


def test_a_stay_past_its_limit_is_counted_until_discharged(new_case, caseworker, shelter, agency):
    case = new_case()
    stays.admit(case, caseworker, case.version, {"unit_id": shelter.id, "admitted_on": "2026-11-02"}, today=TODAY)
    assert queries.overdue_counts(agency, caseworker_id=caseworker.id, today=TODAY)["stay"] == 1
    assert queries.overdue_counts(agency, today=date(2026, 11, 3))["stay"] == 0
    discharge = {"discharged_on": "2026-11-20", "setting": "family"}
    stays.discharge(case, caseworker, case.version, discharge, today=TODAY)
    assert queries.overdue_counts(agency, caseworker_id=caseworker.id, today=TODAY)["stay"] == 0
