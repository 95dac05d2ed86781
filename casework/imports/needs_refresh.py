"""After imported deliveries: the cases' first delivery day and "needs met" dates, recomputed in SQL.

``casework.cases.needs.refresh_needs_met`` does this for one case in Python
after each delivery recorded in the app; an import batch touches up to a
thousand cases, so here the days are computed set-based per 500 cases (a
window sum of each case's deliveries per service, compared with the
assessed quantities), writing only the rows whose value changes.
"""

import sqlalchemy as sa

from casework.cases.models import Case, CaseEvent, CaseNeed, ServiceDelivery
from casework.extensions import db


def _met_on(needs, case_ids):
    """A subquery (``need_id``, ``met_on``) of the cases' needs with the day each was met, or NULL.

    The day is the first delivery day on which the need's service's running total reached its quantity. The
    running totals of the cases' deliveries (a window sum per case and service, computed once for the chunk),
    joined to the needs and grouped per need: one pass, not a correlated lookup per need (which PostgreSQL
    re-ran, window sum included, for every need row).
    """
    deliveries = ServiceDelivery.__table__
    daily = (
        sa.select(
            deliveries.c.case_id,
            deliveries.c.service_id,
            deliveries.c.delivered_on,
            sa.func.sum(deliveries.c.quantity).label("quantity"),
        )
        .where(deliveries.c.case_id.in_(case_ids))
        .group_by(deliveries.c.case_id, deliveries.c.service_id, deliveries.c.delivered_on)
        .subquery("daily")
    )
    running = sa.select(
        daily.c.case_id,
        daily.c.service_id,
        daily.c.delivered_on,
        sa.func.sum(daily.c.quantity)
        .over(partition_by=(daily.c.case_id, daily.c.service_id), order_by=daily.c.delivered_on)
        .label("total"),
    ).subquery("running")
    need = needs.alias("need")
    return (
        sa.select(need.c.id.label("need_id"), sa.func.min(running.c.delivered_on).label("met_on"))
        .select_from(
            need.outerjoin(
                running,
                sa.and_(
                    running.c.case_id == need.c.case_id,
                    running.c.service_id == need.c.service_id,
                    running.c.total >= need.c.quantity,
                ),
            )
        )
        .where(need.c.case_id.in_(case_ids))
        .group_by(need.c.id)
        .subquery("met")
    )


def _needs_met_on(cases):
    """The case's needs-met day: the last of its needs' met days once every need is met and it was assessed."""
    needs = CaseNeed.__table__
    of_case = needs.c.case_id == cases.c.id
    all_met = sa.and_(
        cases.c.assessed_on.is_not(None),
        sa.exists().where(of_case),
        ~sa.exists().where(of_case, needs.c.met_on.is_(None)),
    )
    latest = sa.select(sa.func.max(needs.c.met_on)).where(of_case).scalar_subquery()
    return sa.case((all_met, latest), else_=sa.null())


def refresh_cases(ctx, case_ids):
    """Recomputes the cases' first delivery day and needs-met dates from their deliveries, as ``record_delivery`` does.

    Set-based per 500 cases, no statement per case: the needs' met days in one UPDATE; then each case's two days
    computed once (a derived table) and written in one UPDATE … FROM, only where one of them changes, so a case row
    is rewritten once, with its indexes. A case whose needs-met date changes moves its version; one that became met
    gets a "needs_met" timeline event.
    """
    cases, needs, deliveries = Case.__table__, CaseNeed.__table__, ServiceDelivery.__table__
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start : start + 500]
        met = _met_on(needs, chunk)
        db.session.execute(
            needs.update()
            .where(needs.c.id == met.c.need_id, needs.c.met_on.is_distinct_from(met.c.met_on))
            .values(met_on=met.c.met_on)
        )
        now = _needs_met_on(cases)
        became_met = db.session.execute(
            sa.select(cases.c.id, now).where(cases.c.id.in_(chunk), cases.c.needs_met_on.is_(None), now.is_not(None))
        ).all()
        first = (
            sa.select(sa.func.min(deliveries.c.delivered_on))
            .where(deliveries.c.case_id == cases.c.id)
            .scalar_subquery()
        )
        days = (
            sa.select(cases.c.id.label("case_id"), first.label("first"), now.label("met"))
            .where(cases.c.id.in_(chunk))
            .subquery("days")
        )
        met_moved = cases.c.needs_met_on.is_distinct_from(days.c.met)
        db.session.execute(
            cases.update()
            .where(
                cases.c.id == days.c.case_id,
                sa.or_(cases.c.first_delivered_on.is_distinct_from(days.c.first), met_moved),
            )
            .values(
                first_delivered_on=days.c.first,
                needs_met_on=days.c.met,
                version=cases.c.version + sa.case((met_moved, 1), else_=0),
            )
        )
        if became_met:
            db.session.execute(
                CaseEvent.__table__.insert(),
                [
                    {
                        "case_id": case_id,
                        "kind": "needs_met",
                        "actor_id": ctx.actor.id,
                        "details": {"on": on.isoformat()},
                    }
                    for case_id, on in became_met
                ],
            )
