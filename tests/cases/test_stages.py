"""The case flow through its named operations: guards, timeline events, needs met, and refusals that write nothing."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework.cases import deliveries, stages, stays
from casework.cases.models import Case, CaseEvent, Outcome, Setting, Stage
from casework.cases.queries import overdue_flags
from casework.closure.services import propose_closure
from casework.core.errors import Conflict, ValidationFailed
from casework.extensions import db
from tests.cases.conftest import INTAKE_DAY

TODAY = date(2026, 11, 20)


def _events(case):
    return db.session.scalars(
        sa.select(CaseEvent.kind).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()


def _assess(case, actor, *needs):
    stages.begin_assessment(case, actor, case.version, {"started_on": INTAKE_DAY}, today=TODAY)
    data = {"assessed_on": date(2026, 11, 3), "condition": "Tidur di emperan toko, sehat.", "needs": list(needs)}
    return stages.complete_assessment(case, actor, case.version, data, today=TODAY)


def test_case_numbers_are_sequential_per_year(new_case):
    first, second = new_case(), new_case()
    assert first.number.startswith("KS-2026-")
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


def test_full_flow_reaches_needs_met_and_termination(new_case, caseworker, service, category, close_case):
    case = new_case()
    meals, clothes = service("permakanan"), service("sandang")
    _assess(case, caseworker, {"service_id": meals.id, "quantity": 3}, {"service_id": clothes.id})
    assert case.stage == Stage.PLANNING
    stages.record_plan(
        case,
        caseworker,
        case.version,
        {"planned_on": date(2026, 11, 4), "plan_goals": "Pulang ke keluarga"},
        today=TODAY,
    )
    assert case.stage == Stage.INTERVENTION
    for day in (4, 5):
        deliveries.record_delivery(
            case, caseworker, {"service_id": meals.id, "delivered_on": date(2026, 11, day)}, today=TODAY
        )
    deliveries.record_delivery(
        case, caseworker, {"service_id": clothes.id, "delivered_on": date(2026, 11, 5)}, today=TODAY
    )
    assert case.needs_met_on is None
    deliveries.record_delivery(
        case, caseworker, {"service_id": meals.id, "delivered_on": date(2026, 11, 6)}, today=TODAY
    )
    assert case.needs_met_on == date(2026, 11, 6)
    close_case(case, outcome="reunified", terminated_on=date(2026, 11, 7), aftercare_months=12, today=TODAY)
    assert case.stage == Stage.AFTERCARE and case.aftercare_until == date(2027, 11, 7)
    assert _events(case) == [
        "opened",
        "assessment_started",
        "assessed",
        "planned",
        *["service_delivered"] * 4,
        "needs_met",
        "closure_proposed",
        "closure_approved",
    ]


def test_spm_type_is_derived_from_category(new_case, new_client, caseworker, service, category):
    client = new_client(
        full_name="Mbah Sarinah",
        categories=[{"category_id": category("lanjut-usia-telantar").id, "since": "2026-01-01"}],
    )
    case = new_case(client=client)
    _assess(case, caseworker, {"service_id": service("sandang").id})
    assert case.spm_service_type.code == "kab-3"


def test_plan_needs_finished_assessment(new_case, caseworker):
    case = new_case()
    with pytest.raises(Conflict) as refused:
        stages.record_plan(case, caseworker, case.version, {"planned_on": INTAKE_DAY, "plan_goals": "x"}, today=TODAY)
    assert "tahap" in refused.value.message
    assert case.stage == Stage.INTAKE and _events(case) == ["opened"]


def test_termination_needs_outcome_and_date(new_case):
    case = new_case()
    with pytest.raises(ValidationFailed) as refused:
        stages.termination_facts(case, {}, today=TODAY)
    assert set(refused.value.fields) == {"outcome", "terminated_on"}
    with pytest.raises(ValidationFailed) as refused:
        stages.termination_facts(case, {"outcome": "died", "terminated_on": "2026-10-01"}, today=TODAY)
    assert "terminated_on" in refused.value.fields


def test_impossible_dates_are_refused(new_case, caseworker):
    case = new_case()
    for started in ("2026-02-30", "2026-13-01", "2027-01-01", "2026-11-01"):
        with pytest.raises(ValidationFailed) as refused:
            stages.begin_assessment(case, caseworker, case.version, {"started_on": started}, today=TODAY)
        assert "started_on" in refused.value.fields
    assert case.stage == Stage.INTAKE


def test_service_outside_catalogue_is_refused(new_case, caseworker):
    case = new_case()
    stages.begin_assessment(case, caseworker, case.version, {"started_on": INTAKE_DAY}, today=TODAY)
    data = {"assessed_on": INTAKE_DAY, "condition": "x", "needs": [{"service_id": 999999}]}
    with pytest.raises(ValidationFailed) as refused:
        stages.complete_assessment(case, caseworker, case.version, data, today=TODAY)
    assert "katalog" in refused.value.fields["needs"][0]
    with pytest.raises(ValidationFailed):
        deliveries.record_delivery(case, caseworker, {"service_id": "abc", "delivered_on": INTAKE_DAY}, today=TODAY)


def test_meals_are_capped_at_seven_days(new_case, caseworker, service):
    case = new_case()
    meals = service("permakanan")
    deliveries.record_delivery(case, caseworker, {"service_id": meals.id, "delivered_on": INTAKE_DAY, "quantity": 6})
    with pytest.raises(ValidationFailed) as refused:
        deliveries.record_delivery(
            case, caseworker, {"service_id": meals.id, "delivered_on": INTAKE_DAY, "quantity": 2}
        )
    assert "7 hari" in refused.value.fields["quantity"][0]


def test_delivery_retry_with_same_uuid_creates_one(new_case, caseworker, service):
    case = new_case()
    data = {"service_id": service("sandang").id, "delivered_on": INTAKE_DAY}
    first, created = deliveries.record_delivery(case, caseworker, data, uuid="0b7e7f3e-4a4e-4a51-9d7f-1f2b3c4d5e6f")
    again, created_again = deliveries.record_delivery(
        case, caseworker, data, uuid="0b7e7f3e-4a4e-4a51-9d7f-1f2b3c4d5e6f"
    )
    assert created and not created_again and first.id == again.id


def test_stale_version_is_a_conflict(new_case, caseworker):
    case = new_case()
    old = case.version
    stages.begin_assessment(case, caseworker, old, {"started_on": INTAKE_DAY}, today=TODAY)
    with pytest.raises(Conflict):
        propose_closure(case, caseworker, old, {"outcome": "died", "terminated_on": INTAKE_DAY}, today=TODAY)


def test_shelter_stay_over_limit_is_overdue(new_case, caseworker, shelter, agency):
    case = new_case()
    with pytest.raises(ValidationFailed) as refused:
        stays.admit(
            case,
            caseworker,
            case.version,
            {"unit_id": shelter.id, "admitted_on": "2026-11-10", "discharged_on": "2026-11-05"},
            today=TODAY,
        )
    assert "discharged_on" in refused.value.fields
    stay = stays.admit(
        case, caseworker, case.version, {"unit_id": shelter.id, "admitted_on": "2026-11-02"}, today=TODAY
    )
    assert case.setting == Setting.SHELTER and stay.limit_days == agency.stay_limit_days
    assert stay.overdue(TODAY) and not stay.overdue(date(2026, 11, 8))
    assert "stay" in overdue_flags(agency, [case.id], today=TODAY)[case.id]
    stays.discharge(case, caseworker, case.version, {"discharged_on": "2026-11-09", "setting": "family"}, today=TODAY)
    assert case.setting == Setting.FAMILY and "stay" not in overdue_flags(agency, [case.id], today=TODAY)[case.id]


def test_assessment_overdue_after_agency_limit(new_case, agency):
    case = new_case()
    assert overdue_flags(agency, [case.id], today=date(2026, 11, 9))[case.id] == []
    assert overdue_flags(agency, [case.id], today=date(2026, 11, 10))[case.id] == ["assessment"]


def test_database_refuses_terminated_case_without_outcome(new_case):
    case = new_case()
    with pytest.raises(sa.exc.IntegrityError), db.session.begin_nested():
        db.session.execute(sa.update(Case).where(Case.id == case.id).values(stage=Stage.TERMINATED))


def test_terminated_case_takes_no_deliveries(new_case, caseworker, service, close_case):
    case = new_case()
    close_case(case, outcome=Outcome.REFUSED.value, terminated_on=INTAKE_DAY)
    with pytest.raises(Conflict):
        deliveries.record_delivery(case, caseworker, {"service_id": service("sandang").id, "delivered_on": INTAKE_DAY})
