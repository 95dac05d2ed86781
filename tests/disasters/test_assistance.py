"""Recording assistance: the rules of a meal day, catalogue items, idempotent ticks, nothing half-written."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from casework.audit.models import AuditEvent
from casework.core.errors import ValidationFailed
from casework.disasters.assistance import Slot, record_values, set_assistance
from casework.disasters.models import AssistanceKind, DisasterAssistance
from casework.extensions import db
from tests.disasters.assistance_support import dated_event, days_ago, give, open_site, register
from tests.disasters.conftest import member


def _refusal(call):
    """The fields of the ValidationFailed ``call`` raises."""
    with pytest.raises(ValidationFailed) as caught:
        call()
    return caught.value.fields


def _records():
    """How many assistance rows exist."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(DisasterAssistance))


@pytest.fixture
def flood(agency, supervisor):
    """A flood ten days ago whose emergency period ended three days ago."""
    return dated_event(agency, supervisor, days_ago(10), until=days_ago(3))


@pytest.fixture
def family(flood, supervisor, caseworker):
    """A family of two at a site since eight days ago."""
    site = open_site(flood, supervisor, days_ago(9))
    return register(flood, caseworker, [member("Budi Santoso"), member("Rina", relation="child", age_years=3)],
                    site=site, arrived=days_ago(8))  # fmt: skip


def test_meals_on_a_day_of_the_stay_are_recorded_once_however_often_ticked(flood, family, caseworker):
    budi = family[0]
    row = give(flood, caseworker, budi, AssistanceKind.MEALS, days_ago(5), 2)
    again, changed = set_assistance(flood, caseworker, Slot(AssistanceKind.MEALS, days_ago(5), person=budi), 2)
    assert (again.id, changed, _records()) == (row.id, False, 1)
    third, changed = set_assistance(flood, caseworker, Slot(AssistanceKind.MEALS, days_ago(5), person=budi), 3)
    assert (third.id, third.quantity, changed, _records()) == (row.id, 3, True, 1)
    assert row.site_id == budi.site_id
    actions = db.session.scalars(sa.select(AuditEvent.action).where(AuditEvent.action.like("disaster.assistance%")))
    assert sorted(actions) == ["disaster.assistance_changed", "disaster.assistance_recorded"]


def test_a_quantity_of_zero_removes_the_record(flood, family, caseworker):
    give(flood, caseworker, family[0], AssistanceKind.CLOTHING, days_ago(4))
    row, changed = set_assistance(flood, caseworker, Slot(AssistanceKind.CLOTHING, days_ago(4), person=family[0]), 0)
    assert (row, changed, _records()) == (None, True, 0)


def test_a_meal_after_the_emergency_period_is_refused_with_its_dates(flood, family, caseworker):
    fields = _refusal(lambda: give(flood, caseworker, family[0], AssistanceKind.MEALS, days_ago(2), 3))
    assert "masa tanggap darurat" in fields["given_on"][0]
    assert _records() == 0


def test_a_meal_before_the_person_arrived_is_refused_naming_them(flood, family, caseworker):
    fields = _refusal(lambda: give(flood, caseworker, family[0], AssistanceKind.MEALS, days_ago(9), 3))
    assert fields["given_on"] == [fields["given_on"][0]] and "Budi Santoso" in fields["given_on"][0]


def test_a_meal_for_someone_not_at_a_site_is_refused(flood, caseworker):
    at_home = register(flood, caseworker, [member("Wati", sex="female")])
    fields = _refusal(lambda: give(flood, caseworker, at_home[0], AssistanceKind.MEALS, days_ago(5), 3))
    assert "tidak berada di tempat pengungsian" in fields["given_on"][0]


def test_four_meals_a_day_and_meals_for_a_household_are_refused(flood, family, caseworker):
    assert "quantity" in _refusal(lambda: give(flood, caseworker, family[0], AssistanceKind.MEALS, days_ago(5), 4))
    household = family[0].household
    fields = _refusal(lambda: give(flood, caseworker, household, AssistanceKind.MEALS, days_ago(5), 1, household=True))
    assert "household" in fields


def test_the_future_and_days_before_the_event_are_refused(flood, family, caseworker):
    future = days_ago(-1)
    assert "given_on" in _refusal(lambda: give(flood, caseworker, family[0], AssistanceKind.CLOTHING, future))
    assert "given_on" in _refusal(lambda: give(flood, caseworker, family[0], AssistanceKind.CLOTHING, days_ago(11)))


def test_clothing_and_psychosocial_support_may_go_to_a_household_after_the_emergency(flood, family, caseworker):
    household = family[0].household
    row = give(flood, caseworker, household, AssistanceKind.PSYCHOSOCIAL, days_ago(1), household=True)
    assert (row.household_id, row.person_id) == (household.id, None)


def test_a_catalogue_item_needs_kind_other_and_a_known_service(flood, family, caseworker):
    values = {"person": str(family[0].uuid), "kind": "other", "given_on": days_ago(4).isoformat(), "quantity": 2}
    fields = _refusal(lambda: record_values(flood, caseworker, values))
    assert "service" in fields
    fields = _refusal(lambda: record_values(flood, caseworker, {**values, "service": "no-such-service"}))
    assert "service" in fields
    row, changed = record_values(flood, caseworker, {**values, "service": "sandang"})
    assert (row.kind, row.service.slug, row.quantity, changed) == (AssistanceKind.OTHER, "sandang", 2, True)


def test_a_repeated_uuid_returns_the_first_record(flood, family, caseworker):
    values = {"person": str(family[1].uuid), "kind": "clothing", "given_on": days_ago(4).isoformat(), "quantity": 1}
    values["uuid"] = "5d1c6a0e-6a39-4c39-9d33-1b8f1f3d4a11"
    first, created = record_values(flood, caseworker, values)
    again, changed = record_values(flood, caseworker, values)
    assert (again.id, created, changed, _records()) == (first.id, True, False, 1)
    other = {**values, "kind": "psychosocial"}
    assert "uuid" in _refusal(lambda: record_values(flood, caseworker, other))


def test_every_problem_is_reported_at_once(flood, caseworker):
    fields = _refusal(lambda: record_values(flood, caseworker, {"kind": "snacks", "quantity": "x"}))
    assert {"person", "kind", "quantity", "given_on"} <= set(fields)


def test_a_closed_event_takes_no_assistance(flood, family, caseworker, supervisor):
    from casework.core.localtime import local_today
    from casework.disasters.events import advance_status

    advance_status(flood, supervisor, flood.version, {"status": "recovery"}, today=local_today())
    advance_status(flood, supervisor, flood.version, {"status": "closed"}, today=local_today())
    with pytest.raises(ValidationFailed, match="ditutup"):
        give(flood, caseworker, family[0], AssistanceKind.CLOTHING, days_ago(1))
    assert _records() == 0


def test_the_meal_day_rule_counts_the_last_emergency_day(flood, family, caseworker):
    row = give(flood, caseworker, family[1], AssistanceKind.MEALS, days_ago(3), 3)
    assert row.given_on == days_ago(3) and days_ago(3) + timedelta(days=1) == days_ago(2)
