"""Demo returns to origin for the demo agency, made by the return operations on two of its open cases.

One return planned for next week, by bus with the demo caseworker; one finished:
the client left by ship and was received by their family. Idempotent: the
first plan's UUID is fixed, and a second run finds it and changes nothing.
"""

import uuid
from datetime import date, timedelta

import sqlalchemy as sa

from casework.cases.models import Case, Stage
from casework.extensions import db
from casework.reference.models import Region
from casework.transfers import returns
from casework.transfers.models import ReturnPlan

_DEMO_RETURNS = uuid.UUID("3b0d5c1e-2f7a-4a86-9c3d-5e1f0a2b4c6d")


def _uuid(story):
    """The fixed UUID of one demo plan."""
    return uuid.uuid5(_DEMO_RETURNS, story)


def load_demo_returns(agency, today=None):
    """Adds the demo return plans unless they exist (or the agency has too few such cases, or no villages)."""
    today = today or date.today()
    if db.session.scalar(sa.select(ReturnPlan.id).where(ReturnPlan.uuid == _uuid("planned"))):
        return
    # The newest open cases past assessment and two weeks old (tracing uses the oldest ones).
    cases = db.session.scalars(
        sa.select(Case)
        .where(
            Case.agency_id == agency.id,
            Case.stage.in_((Stage.PLANNING, Stage.INTERVENTION)),
            Case.intake_date <= today - timedelta(days=14),
        )
        .order_by(Case.intake_date.desc(), Case.id.desc())
        .limit(2)
    ).all()
    # A village of origin outside the agency's own city.
    village = db.session.scalar(
        sa.select(Region.code)
        .where(Region.level == 4, Region.retired.is_(False), ~Region.code.startswith(agency.region_code + "."))
        .order_by(Region.code)
        .limit(1)
    )
    if len(cases) < 2 or village is None:
        return
    planned, finished = cases
    trip = {"to_region_code": village, "to_address": "Dusun Krajan RT 01 RW 02", "handover": "family"}
    returns.plan_return(
        planned,
        planned.caseworker,
        {
            **trip,
            "from_place": "Rumah singgah dinas",
            "travel_date": (today + timedelta(days=7)).isoformat(),
            "travel_mode": "bus",
            "escort_user_id": planned.caseworker_id,
            "family_name": "Sumarni",
            "family_relationship": "ibu kandung",
        },
        uuid=_uuid("planned"),
    )
    plan, _created = returns.plan_return(
        finished,
        finished.caseworker,
        {
            **trip,
            "from_place": "Pelabuhan Tanjung Priok",
            "travel_date": (today - timedelta(days=10)).isoformat(),
            "travel_mode": "ship",
            "escort_name": "Pak Joko (TKSK)",
            "family_name": "Darmo",
            "family_relationship": "ayah",
        },
        uuid=_uuid("finished"),
    )
    departed = {"departed_on": (today - timedelta(days=10)).isoformat()}
    returns.record_departure(plan, finished.caseworker, plan.version, departed, today=today)
    arrival = {"arrived_on": (today - timedelta(days=8)).isoformat(), "received_by": "Darmo (ayah)"}
    returns.confirm_arrival(plan, finished.caseworker, plan.version, arrival, today=today)
