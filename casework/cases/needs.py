"""When a case's basic needs were met: the day deliveries first covered every service the assessment required."""

import sqlalchemy as sa

from casework.cases.models import ServiceDelivery
from casework.extensions import db


def delivered_by_day(case_id):
    """{service_id: [(day, quantity delivered that day), ...]} for the case, days in order."""
    rows = db.session.execute(
        sa.select(ServiceDelivery.service_id, ServiceDelivery.delivered_on, sa.func.sum(ServiceDelivery.quantity))
        .where(ServiceDelivery.case_id == case_id)
        .group_by(ServiceDelivery.service_id, ServiceDelivery.delivered_on)
        .order_by(ServiceDelivery.delivered_on)
    )
    days = {}
    for service_id, day, quantity in rows:
        days.setdefault(service_id, []).append((day, int(quantity)))
    return days


def _met_on(deliveries, quantity):
    """The day the running total of ``deliveries`` reached ``quantity``, or None."""
    total = 0
    for day, delivered in deliveries:
        total += delivered
        if total >= quantity:
            return day
    return None


def refresh_needs_met(case):
    """Sets each need's met date and the case's needs-met date; returns True when the case became met just now."""
    days = delivered_by_day(case.id)
    for need in case.needs:
        need.met_on = _met_on(days.get(need.service_id, ()), need.quantity)
    met = [need.met_on for need in case.needs]
    was_met = case.needs_met_on is not None
    case.needs_met_on = max(met) if met and all(met) and case.assessed_on else None
    return case.needs_met_on is not None and not was_met
