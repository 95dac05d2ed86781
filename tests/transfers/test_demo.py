"""The demo returns: made by the operations on two planned cases, once."""

import sqlalchemy as sa

from casework.demo import load_demo_data
from casework.extensions import db
from casework.transfers.models import ReturnPlan, ReturnStatus


def test_the_demo_has_a_planned_and_a_finished_return_and_a_second_run_adds_none(app):
    load_demo_data()
    statuses = sorted(status.value for status in db.session.scalars(sa.select(ReturnPlan.status)))
    assert statuses == [ReturnStatus.ARRIVED.value, ReturnStatus.PLANNED.value]
    load_demo_data()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReturnPlan)) == 2
