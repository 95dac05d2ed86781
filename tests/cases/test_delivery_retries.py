"""Retried deliveries: the INSERT finds a repeated UUID; a retry that a new create would fail returns the first."""

from datetime import date

import pytest
import sqlalchemy as sa

from casework.cases import deliveries
from casework.cases.models import Outcome, ServiceDelivery
from casework.core.errors import Conflict, ValidationFailed
from casework.extensions import db
from tests.cases.conftest import INTAKE_DAY

TODAY = date(2026, 11, 20)
UUID = "5d0c6a43-2f1e-4c7b-9a55-0f6e3c2b1a90"


def _deliveries(case):
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(ServiceDelivery).where(ServiceDelivery.case_id == case.id)
    )


@pytest.fixture
def statements(app):
    """The SQL statements run while the test runs, in order."""
    seen = []

    def note(_connection, _cursor, statement, *_rest):
        seen.append(statement)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", note)
        yield seen
        sa.event.remove(db.engine, "before_cursor_execute", note)


def test_a_new_delivery_is_one_insert_and_is_read_back_without_a_query(new_case, caseworker, service, statements):
    case, clothes = new_case(), service("sandang")
    statements.clear()
    delivery, created = deliveries.record_delivery(
        case, caseworker, {"service_id": clothes.id, "delivered_on": INTAKE_DAY}, uuid=UUID, today=TODAY
    )
    assert created and delivery in db.session
    assert str(delivery.uuid) == UUID and delivery.created_at is not None and delivery.service.slug == "sandang"
    on_deliveries = [statement for statement in statements if "service_delivery" in statement]
    assert len(on_deliveries) == 1 and on_deliveries[0].lstrip().upper().startswith("INSERT")


def test_a_retry_reaching_past_the_meals_limit_returns_the_first_delivery(new_case, caseworker, service):
    case, meals = new_case(), service("permakanan")
    data = {"service_id": meals.id, "delivered_on": INTAKE_DAY, "quantity": 7}
    first, _created = deliveries.record_delivery(case, caseworker, data, uuid=UUID, today=TODAY)
    again, created = deliveries.record_delivery(case, caseworker, data, uuid=UUID, today=TODAY)
    assert not created and again.id == first.id and _deliveries(case) == 1


def test_a_retry_after_the_case_closed_returns_the_first_delivery(new_case, caseworker, service, close_case):
    case = new_case()
    data = {"service_id": service("sandang").id, "delivered_on": INTAKE_DAY}
    first, _created = deliveries.record_delivery(case, caseworker, data, uuid=UUID, today=TODAY)
    close_case(case, outcome=Outcome.REFUSED.value, terminated_on=INTAKE_DAY, today=TODAY)
    again, created = deliveries.record_delivery(case, caseworker, data, uuid=UUID, today=TODAY)
    assert not created and again.id == first.id
    with pytest.raises(Conflict):
        deliveries.record_delivery(case, caseworker, data, today=TODAY)


def test_a_uuid_of_another_case_is_refused_and_writes_nothing(new_case, caseworker, service):
    one, other = new_case(), new_case()
    data = {"service_id": service("sandang").id, "delivered_on": INTAKE_DAY}
    deliveries.record_delivery(one, caseworker, data, uuid=UUID, today=TODAY)
    with pytest.raises(ValidationFailed) as refused:
        deliveries.record_delivery(other, caseworker, data, uuid=UUID, today=TODAY)
    assert "uuid" in refused.value.fields
    assert _deliveries(other) == 0 and other.first_delivered_on is None
